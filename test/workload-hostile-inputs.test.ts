// Hostile and mistaken inputs (issue 20): each is exit 2 with the file and line, never an internal
// error (exit 1) and never a hang, and the limits that stop them say how to raise them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { renderTemplate } from '../src/workload/template.ts';
import { verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dir = tempDir('verdict-hostile-');

function workload(name: string, cases: string, extra: { prompt?: string; candidate?: string } = {}): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'version: 1',
      `name: ${name}`,
      `prompt: "${extra.prompt ?? 'Q: {{q}}'}"`,
      `cases: ${cases}`,
      'graders: [{ equals: a }]',
      `candidates: [${extra.candidate ?? '{ id: a, model: "openai:gpt-4o-mini" }'}]`,
      '',
    ].join('\n'),
  );
  return file;
}

function file(name: string, content: string | Buffer): string {
  writeFileSync(path.join(dir, name), content);
  return name;
}

async function validate(workloadFile: string, ...flags: string[]) {
  const outcome = await verdictInProcess(['validate', workloadFile, ...flags], { cwd: dir });
  assert.doesNotMatch(outcome.stderr, /internal error/);
  return outcome;
}

/** Exit 2 with a message naming the workload's cases.file line and then `expected`. */
async function refused(workloadFile: string, expected: RegExp, ...flags: string[]) {
  const outcome = await validate(workloadFile, ...flags);
  assert.equal(outcome.code, 2, outcome.stdout + outcome.stderr);
  assert.match(outcome.stderr, expected);
  return outcome;
}

test('YAML aliases: a bomb, an alias to no anchor and the limit are located input errors; many ordinary aliases pass', async () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
    const previous = String.fromCharCode(97 + index);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const bomb = path.join(dir, 'bomb.yaml');
  writeFileSync(bomb, `${levels.join('\n')}\n`);
  await refused(bomb, /bomb\.yaml:2:8 YAML aliases expand past the limit of 10000 .*--max-aliases raises it/);

  const undefinedAlias = path.join(dir, 'undefined-alias.yaml');
  writeFileSync(undefinedAlias, 'version: 1\nname: *nope\n');
  await refused(undefinedAlias, /undefined-alias\.yaml:2:7 YAML alias \*nope refers to no anchor &nope/);

  // 300 aliases of a scalar: the yaml library's default (100) refused this ordinary file.
  const many = path.join(dir, 'many-aliases.yaml');
  writeFileSync(
    many,
    `version: 1\nname: &n many\nprompt: "Q: {{q}}"\ncases: [${Array(300).fill('{ vars: { q: *n } }').join(', ')}]\ngraders: [{ equals: a }]\ncandidates: [{ id: a, model: "openai:gpt-4o-mini" }]\n`,
  );
  const accepted = await validate(many);
  assert.equal(accepted.code, 0, accepted.stderr);
  await refused(
    many,
    /many-aliases\.yaml:4:\d+ YAML aliases expand past the limit of 100;?.*--max-aliases/,
    '--max-aliases',
    '100',
  );
});

test('a cases file that is a folder, a device or a FIFO is refused before it is opened', async () => {
  const folder = path.join(dir, 'a-folder');
  execFileSync('mkdir', ['-p', folder]);
  await refused(
    workload('folder', '{ file: a-folder, format: jsonl }'),
    /folder\.yaml:4:16 cases\.file: a-folder: is a folder, not a file/,
  );
  await refused(
    workload('zero', '{ file: /dev/zero, format: jsonl }'),
    /zero\.yaml:4:16 cases\.file: \/dev\/zero: is a device, not a regular file/,
  );
  const fifo = path.join(dir, 'a-fifo');
  execFileSync('mkfifo', [fifo]);
  await refused(
    workload('fifo', '{ file: a-fifo, format: jsonl }'),
    /fifo\.yaml:4:16 cases\.file: a-fifo: is a FIFO, not a regular file/,
  );
  await refused(path.join(dir, 'a-folder'), /a-folder: is a folder, not a file/);
});

test('line and file caps are located errors naming the flag that raises them', async () => {
  file('long.jsonl', `{"q":"x"}\n{"q":"${'y'.repeat(3000)}"}\n`);
  const long = workload('long', '{ file: long.jsonl }');
  await refused(
    long,
    /long\.yaml:4:\d+ cases\.file: long\.jsonl:2 line is longer than the limit of 2 KiB; --max-line-bytes raises it/,
    '--max-line-bytes',
    '2K',
  );
  assert.equal((await validate(long, '--max-line-bytes', '4K')).code, 0);
  await refused(
    long,
    /long\.jsonl: the file is 2\.9 KiB, over the limit of 1 KiB; --max-file-bytes raises it/,
    '--max-file-bytes',
    '1K',
  );
  const usage = await validate(long, '--max-line-bytes', 'lots');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--max-line-bytes expects a size in bytes \(e\.g\. 64M, 2G\), got "lots"/);
  // The same caps in CSV, where a quoted record may span lines.
  file('long.csv', `q\n"${'z'.repeat(3000)}"\n`);
  await refused(
    workload('long-csv', '{ file: long.csv }'),
    /long\.csv:2 line is longer than the limit of 2 KiB/,
    '--max-line-bytes',
    '2K',
  );
});

test('a long JSONL line is read in linear time', async () => {
  // 32 MB in one line: re-splitting the pending text on every 64 KB chunk took ~7 s for this.
  file('huge-line.jsonl', `{"q":"${'x'.repeat(32 * 2 ** 20)}"}\n`);
  const outcome = await validate(
    workload('huge-line', '{ file: huge-line.jsonl }'),
    '--max-line-bytes',
    '64M',
  );
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.ok(outcome.ms < 3000, `32 MB line took ${outcome.ms.toFixed(0)} ms`);
});

test('40,000 unknown keys are reported in linear time, the first 50 listed', async () => {
  const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join('\n');
  const many = path.join(dir, 'many-keys.yaml');
  writeFileSync(
    many,
    `version: 1\nname: x\nprompt: hi\ncases: [{ vars: {} }]\ngraders: [{ equals: a }]\ncandidates: [{ id: a, model: "openai:x" }]\n${keys}\n`,
  );
  const outcome = await refused(many, /many-keys\.yaml:7:1 k0: unknown key "k0"/);
  assert.match(outcome.stderr, /workload is invalid \(40000 problems\)/);
  assert.match(outcome.stderr, /many-keys\.yaml:56:1 k49: unknown key/);
  assert.match(outcome.stderr, /… and 39950 more/);
  assert.ok(outcome.ms < 5000, `40,000 keys took ${outcome.ms.toFixed(0)} ms`);
  // Duplicate keys, checked in one pass instead of the parser's own quadratic check.
  const duplicate = path.join(dir, 'duplicate-key.yaml');
  writeFileSync(duplicate, 'version: 1\nname: a\nname: b\n');
  await refused(
    duplicate,
    /duplicate-key\.yaml:3:1 YAML syntax: Map keys must be unique \("name" appears twice\)/,
  );
});

test('a UTF-8 BOM is dropped in every format, the workload too', async () => {
  const bom = '\uFEFF';
  file('bom.jsonl', `${bom}{"q":"x"}\n`);
  file('bom.csv', `${bom}q\nx\n`);
  file('bom-cases.yaml', `${bom}- q: x\n`);
  for (const cases of ['bom.jsonl', 'bom.csv', 'bom-cases.yaml']) {
    const outcome = await validate(workload(`bom-${cases.replace('.', '-')}`, `{ file: ${cases} }`));
    assert.equal(outcome.code, 0, `${cases}: ${outcome.stderr}`);
  }
  const withBom = path.join(dir, 'bom-workload.yaml');
  writeFileSync(
    withBom,
    bom + execFileSync('cat', [workload('plain', '{ file: bom.jsonl }')], { encoding: 'utf8' }),
  );
  assert.equal((await validate(withBom)).code, 0);
});

test("template variables are a case's own fields: {{constructor}}, {{__proto__}} and {{toString}} are unknown", async () => {
  file('plain.jsonl', '{"q":"x"}\n');
  for (const name of ['constructor', '__proto__', 'toString']) {
    await refused(
      workload(`proto-${name}`, '{ file: plain.jsonl }', { prompt: `Q: {{${name}}}` }),
      new RegExp(
        `plain\\.jsonl:1 the prompt uses \\{\\{${name}\\}\\} but this case has no such variable; it has: q`,
      ),
    );
    await refused(
      workload(`proto-vars-${name}`, `{ file: plain.jsonl, vars: { q: q } }`, { prompt: `Q: {{${name}}}` }),
      new RegExp(`:3:9 prompt: unknown template variable \\{\\{${name}\\}\\}`),
    );
  }
  assert.equal(renderTemplate('{{constructor}} {{toString}}', {}), '{{constructor}} {{toString}}');
  // A record's own __proto__ field is an ordinary variable.
  file('own-proto.jsonl', '{"__proto__":"x"}\n');
  assert.equal(
    (await validate(workload('own-proto', '{ file: own-proto.jsonl }', { prompt: 'Q: {{__proto__}}' }))).code,
    0,
  );
  const key = path.join(dir, 'proto-key.yaml');
  writeFileSync(key, 'version: 1\n__proto__: { a: 1 }\n');
  const outcome = await refused(
    key,
    /proto-key\.yaml:2:1 __proto__: unknown key "__proto__"; allowed: version/,
  );
  assert.doesNotMatch(outcome.stderr, /object Object/);
});

test('base_url is http or https only', async () => {
  file('plain.jsonl', '{"q":"x"}\n');
  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/v1']) {
    await refused(
      workload(`url-${url.split(':')[0]}`, '{ file: plain.jsonl }', {
        candidate: `{ id: a, model: "openai-compatible:x", base_url: "${url}" }`,
      }),
      /:6:\d+ candidates\[0\]\.base_url: expected an http:\/\/ or https:\/\/ URL/,
    );
  }
});

test('a cases file format comes from its extension; unknown ones are refused unless format: says', async () => {
  file('cases.parquet', '{"q":"x"}\n');
  file('cases', '{"q":"x"}\n');
  await refused(
    workload('parquet', '{ file: cases.parquet }'),
    /parquet\.yaml:4:\d+ cases\.file: cannot tell the format of "cases\.parquet" from its extension/,
  );
  await refused(
    workload('bare', '{ file: cases }'),
    /bare\.yaml:4:\d+ cases\.file: cannot tell the format of "cases"/,
  );
  assert.equal((await validate(workload('stated', '{ file: cases, format: jsonl }'))).code, 0);
});

test('a duplicate CSV header and invalid UTF-8 are reported with their line', async () => {
  file('dup.csv', '\nq,a,q\n1,2,3\n');
  await refused(
    workload('dup', '{ file: dup.csv }'),
    /dup\.csv:2 column "q" appears twice in the header \(columns 1 and 3\); rename one/,
  );
  file('bad.csv', Buffer.concat([Buffer.from('q\nfine\nab'), Buffer.from([0xff]), Buffer.from('c\n')]));
  await refused(workload('bad-csv', '{ file: bad.csv }'), /bad\.csv:3:3 is not valid UTF-8 text/);
  file(
    'bad.jsonl',
    Buffer.concat([Buffer.from('{"q":"fine"}\n{"q":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
  );
  await refused(workload('bad-jsonl', '{ file: bad.jsonl }'), /bad\.jsonl:2:7 is not valid UTF-8 text/);
  const badWorkload = path.join(dir, 'bad-workload.yaml');
  writeFileSync(
    badWorkload,
    Buffer.concat([Buffer.from('version: 1\nname: '), Buffer.from([0xfe]), Buffer.from('\n')]),
  );
  await refused(badWorkload, /bad-workload\.yaml:2:7 is not valid UTF-8 text/);
});
