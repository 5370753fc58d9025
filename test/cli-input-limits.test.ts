// The input caps of `verdict run` and `validate` (issue 20) in every other command that reads a
// user's files — cost, load, canary, gate, diff, import: a file over a cap is exit 2 with the file,
// its line where it has one, and the flag that raises the cap; the same flag, given room, lets the
// command go on. The flags are parsed by the one shared reader (workload/input-limits.ts).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { refusedInProcess, verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';

const dir = tempDir('verdict-limits-');
const store = path.join(dir, 'v.db');

const workload = (cases: string, name = 'limits') =>
  [
    'version: 1',
    `name: ${name}`,
    'prompt: "Q: {{q}}"',
    `cases: ${cases}`,
    'graders: [{ equals: a }]',
    'candidates:',
    '  - { id: a, model: "openai:gpt-4o-mini" }',
    // Port 9 refuses connections: a load test that got past its inputs fails its first request.
    '  - { id: b, model: "openai-compatible:m", base_url: "http://127.0.0.1:9/v1" }',
    'traffic: { requests_per_month: 1000 }',
    '',
  ].join('\n');

const write = (name: string, text: string) => writeFileSync(path.join(dir, name), text);

before(async () => {
  // Line 2 is about 3 KiB; the file about 3 KiB.
  write('cases.jsonl', `{"id":"c1","q":"a"}\n{"id":"c2","q":"${'x'.repeat(3000)}"}\n{"id":"c3","q":"b"}\n`);
  write('w.yaml', workload('{ file: cases.jsonl, id: id }'));
  // 300 aliases of one scalar: over a cap of 100, under 1,000.
  write('aliases.yaml', workload(`[${Array(300).fill('{ vars: { q: *n } }').join(', ')}]`, '&n limits'));
  const opened = openSqliteStore(store);
  await seedSyntheticRun(opened, { runId: 'r1', cases: 4, workloadName: 'limits' });
  await opened.close();
});

const verdict = (...argv: string[]) => verdictInProcess(argv, { cwd: dir });

const refused = (argv: string[], message: RegExp) => refusedInProcess(argv, message, { cwd: dir });

async function accepted(argv: string[], code = 0): Promise<string> {
  const outcome = await verdict(...argv);
  assert.equal(outcome.code, code, `${argv.join(' ')}: ${outcome.stderr}`);
  return outcome.stderr;
}

const lineCap = /cases\.jsonl:2 line is longer than the limit of 2 KiB; --max-line-bytes raises it/;
const fileCap = /cases\.jsonl: the file is 3 KiB, over the limit of 1 KiB; --max-file-bytes raises it/;
const aliasCap = /aliases\.yaml:4:\d+ YAML aliases expand past the limit of 100 .*--max-aliases raises it/;

test('verdict cost: the workload and its cases under the three caps, each raised by its flag', async () => {
  await refused(['cost', 'w.yaml', '--max-line-bytes', '2K'], lineCap);
  await accepted(['cost', 'w.yaml', '--max-line-bytes', '4K']);
  await refused(['cost', 'w.yaml', '--max-file-bytes', '1K'], fileCap);
  await accepted(['cost', 'w.yaml', '--max-file-bytes', '4K']);
  await refused(['cost', 'aliases.yaml', '--max-aliases', '100'], aliasCap);
  await accepted(['cost', 'aliases.yaml', '--max-aliases', '1000']);
  // A load-test result is read under the same file cap.
  write('lt.json', JSON.stringify({ kind: 'load-test', pad: 'x'.repeat(5000) }));
  await refused(
    ['cost', 'w.yaml', '--load-test', 'lt.json', '--max-file-bytes', '4K'],
    /lt\.json: the file is 4\.9 KiB, over the limit of 4 KiB; --max-file-bytes raises it/,
  );
});

test('verdict load --workload: the caps hold before any request; raised, the test starts', async () => {
  const load = ['load', '--workload', 'w.yaml', '--candidate', 'b', '--no-store'];
  await refused([...load, '--max-line-bytes', '2K'], lineCap);
  await refused([...load, '--max-file-bytes', '1K'], fileCap);
  // Past its inputs, the load test sends its first request, which port 9 refuses: exit 3.
  const started = await accepted([...load, '--max-line-bytes', '4K', '--warmup', '0s'], 3);
  assert.match(started, /the first request to http:\/\/127\.0\.0\.1:9\/v1 \(m\) failed/);
  await refused(['load', '--workload', 'aliases.yaml', '--candidate', 'b', '--max-aliases', '100'], aliasCap);
});

test('verdict canary: the workload, its cases and a kept subset under the caps', async () => {
  const canary = ['canary', 'w.yaml', '--dry-run', '--store', store];
  await refused([...canary, '--max-line-bytes', '2K'], lineCap);
  await refused([...canary, '--max-file-bytes', '1K'], fileCap);
  await accepted([...canary, '--max-line-bytes', '4K']);
  await refused(['canary', 'aliases.yaml', '--dry-run', '--store', store, '--max-aliases', '100'], aliasCap);
  write('subset.json', JSON.stringify({ kind: 'verdict-canary', pad: 'x'.repeat(5000) }));
  await refused(
    [...canary, '--subset', 'subset.json', '--max-line-bytes', '4K', '--max-file-bytes', '4K'],
    /subset\.json: the file is 4\.9 KiB, over the limit of 4 KiB; --max-file-bytes raises it/,
  );
});

test('verdict gate and diff: a baseline file under the file cap', async () => {
  mkdirSync(path.join(dir, 'ci'), { recursive: true });
  await accepted(['gate', 'r1', '--write-baseline', 'ci/base.json', '--store', store]);
  const cap = /ci\/base\.json: the file is [\d.]+ KiB, over the limit of 1 KiB; --max-file-bytes raises it/;
  await refused(
    ['gate', 'r1', '--baseline', 'ci/base.json', '--store', store, '--max-file-bytes', '1K'],
    cap,
  );
  await accepted(['gate', 'r1', '--baseline', 'ci/base.json', '--store', store, '--max-file-bytes', '1M']);
  await refused(['diff', 'ci/base.json', 'r1', '--store', store, '--max-file-bytes', '1K'], cap);
  await accepted(['diff', 'ci/base.json', 'r1', '--store', store, '--max-file-bytes', '1M']);
  // gate reads JSON only: the line and alias caps are not its flags.
  await refused(
    ['gate', 'r1', '--baseline', 'ci/base.json', '--store', store, '--max-aliases', '5'],
    /--max-aliases/,
  );
});

test('verdict import promptfoo: the config and its tests files under the three caps', async () => {
  const suite = path.join(dir, 'suite');
  mkdirSync(suite, { recursive: true });
  writeFileSync(
    path.join(suite, 'tests.jsonl'),
    `{"vars":{"q":"a"}}\n{"vars":{"q":"${'x'.repeat(3000)}"}}\n`,
  );
  writeFileSync(
    path.join(suite, 'promptfooconfig.yaml'),
    `prompts: ["Q: {{q}}"]\nproviders: [openai:gpt-4o-mini]\ntests: file://tests.jsonl\n`,
  );
  writeFileSync(
    path.join(suite, 'aliases.yaml'),
    `prompts: [&p "Q: {{q}}"]\nproviders: [openai:gpt-4o-mini]\ntests:\n${Array(300).fill('  - { vars: { q: *p } }').join('\n')}\n`,
  );
  const imported = (config: string, out: string, ...flags: string[]) => [
    'import',
    'promptfoo',
    `suite/${config}`,
    '--out',
    out,
    ...flags,
  ];
  await refused(
    imported('promptfooconfig.yaml', 'out1', '--max-line-bytes', '2K'),
    /suite\/tests\.jsonl:2: line is longer than the limit of 2 KiB; --max-line-bytes raises it/,
  );
  await refused(
    imported('promptfooconfig.yaml', 'out1', '--max-file-bytes', '1K'),
    /suite\/tests\.jsonl: the file is 3 KiB, over the limit of 1 KiB; --max-file-bytes raises it/,
  );
  await accepted(imported('promptfooconfig.yaml', 'out1', '--max-line-bytes', '4K'));
  await refused(
    imported('aliases.yaml', 'out2', '--max-aliases', '100'),
    /suite\/aliases\.yaml:4:\d+ YAML aliases expand past the limit of 100 .*--max-aliases raises it/,
  );
  await accepted(imported('aliases.yaml', 'out2', '--max-aliases', '1000'));
});
