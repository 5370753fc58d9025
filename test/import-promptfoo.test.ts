// `verdict import promptfoo`: six promptfoo suites written for these tests (test/fixtures/promptfoo)
// convert into workloads that pass `verdict validate`, with every unconverted item located; a
// converted suite run against a local server passes the same cases as its hand conversion.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import * as importCommand from '../src/cli/commands/import.ts';
import { main } from '../src/cli/main.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const suites = path.join(import.meta.dirname, 'fixtures', 'promptfoo');

function captureIo(cwd: string) {
  const io = {
    out: '',
    err: '',
    stdout: { write: (text: string): unknown => (io.out += text) },
    stderr: { write: (text: string): unknown => (io.err += text) },
    env: { NO_COLOR: '1' },
    cwd,
  };
  return io;
}

interface Summary {
  files: string[];
  counts: {
    prompts: number;
    providers: number;
    tests: number;
    cases: number;
    assertions: number;
    converted: number;
  };
  graders: Record<string, number>;
  notes: Array<{ at: string; text: string }>;
  unconverted: Array<{ at: string; what: string; reason: string }>;
}

/** Imports a suite (its config relative to `cwd`), then validates the result; returns the JSON summary. */
async function importSuite(cwd: string, config: string, out: string): Promise<Summary> {
  const io = captureIo(cwd);
  // In process through the command module: the CLI table registers it as `import`.
  assert.equal(await importCommand.run(['promptfoo', config, '--out', out, '--json'], io), 0, io.err);
  const validate = captureIo(cwd);
  assert.equal(await main(['validate', path.join(out, 'workload.yaml')], validate), 0, validate.err);
  return JSON.parse(io.out);
}

function suiteCopy(name: string): string {
  const dir = tempDir('verdict-import-');
  cpSync(path.join(suites, name), path.join(dir, name), { recursive: true });
  return dir;
}

test('six promptfoo suites are written for the import tests', () => {
  assert.ok(readdirSync(suites).length >= 6);
});

test('CSV tests: __expected shorthands become graders, similar is converted with its difference said', async () => {
  const dir = suiteCopy('csv-tests');
  const s = await importSuite(dir, 'csv-tests/promptfooconfig.yaml', 'out');
  assert.deepEqual(s.counts, { prompts: 1, providers: 2, tests: 4, cases: 4, assertions: 7, converted: 7 });
  assert.deepEqual(s.graders, {
    contains: 1,
    not: 1,
    equals: 1,
    icontains: 1,
    'is-json': 1,
    regex: 1,
    similarity: 1,
  });
  assert.deepEqual(s.unconverted, []);
  assert.deepEqual(
    s.notes.map((n) => n.at),
    ['csv-tests/cases.csv:5'],
  );
  const cases = readFileSync(path.join(dir, 'out', 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(cases[1]._graders, [{ equals: { value: 'Washington', trim: false } }]);
  assert.deepEqual(cases[0]._graders[1], { not: { icontains: { values: ['paris'] } } });
  const workload = readFileSync(path.join(dir, 'out', 'workload.yaml'), 'utf8');
  assert.match(workload, /model: anthropic:claude-3-5-haiku-latest\n\s+max_tokens: 64/);
});

test('file:// prompts (chat JSON, a text file of several prompts), JSONL tests and file:// vars', async () => {
  const dir = suiteCopy('file-prompts');
  const s = await importSuite(dir, 'file-prompts/promptfooconfig.yaml', 'out');
  assert.equal(s.counts.prompts, 3);
  const workload = readFileSync(path.join(dir, 'out', 'workload.yaml'), 'utf8');
  assert.match(workload, /role: system\n\s+content: You summarise support threads in one sentence\./);
  assert.match(workload, /base_url: http:\/\/127\.0\.0\.1:11434\/v1/);
  const cases = readFileSync(path.join(dir, 'out', 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(cases[0].thread, 'Customer: my export fails.\nAgent: fixed in 2.3.\n');
  assert.deepEqual(cases[1]._graders, [{ icontains: { values: ['billed', 'refund'], mode: 'all' } }]);
  // The prompts not taken are listed, each with the flag that takes it.
  assert.deepEqual(
    s.unconverted.map((u) => [u.at, u.what]),
    [
      ['file-prompts/promptfooconfig.yaml:4', 'prompt file-prompts/prompts/summary.txt#1'],
      ['file-prompts/promptfooconfig.yaml:4', 'prompt file-prompts/prompts/summary.txt#2'],
      ['file-prompts/promptfooconfig.yaml:6', 'providers[0] llama3.1-8b'],
    ],
  );
  assert.match(s.unconverted[1]!.reason, /--prompt 2/);
  const second = await importSuite(dir, 'file-prompts/promptfooconfig.yaml', 'out2');
  assert.equal(second.counts.prompts, 3);
});

test('defaultTest: vars, templated assertions per case, javascript into a graders module, list vars expanded', async () => {
  const dir = suiteCopy('default-test');
  const s = await importSuite(dir, 'default-test/promptfooconfig.yaml', 'out');
  assert.equal(s.counts.cases, 3, 'language: [French, Spanish] is two cases');
  assert.deepEqual(s.unconverted, []);
  const cases = readFileSync(path.join(dir, 'out', 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    cases.map((c) => [c.language, c.text]),
    [
      ['French', 'Good morning'],
      ['Spanish', 'Good morning'],
      ['German', 'Good morning'],
    ],
  );
  assert.deepEqual(cases[2]._graders[0], { icontains: { values: ['guten'] } });
  const module = readFileSync(path.join(dir, 'out', 'promptfoo-graders.mjs'), 'utf8');
  assert.match(module, /import \* as check\dModule from "\.\.\/default-test\/checks\.cjs";/);
  assert.match(module, /return \(output\.length < 60/);
  assert.match(readFileSync(path.join(dir, 'out', 'workload.yaml'), 'utf8'), /pass_threshold: 0\.5/);
});

test('model-graded assertions become judge graders; the grading provider is the judge', async () => {
  const dir = suiteCopy('model-graded');
  const s = await importSuite(dir, 'model-graded/promptfooconfig.yaml', 'out');
  assert.deepEqual(s.graders, { rubric: 1, 'closed-qa': 1, factual: 1, similarity: 1 });
  const workload = readFileSync(path.join(dir, 'out', 'workload.yaml'), 'utf8');
  assert.match(workload, /judge:\n\s+model: openai:gpt-4o\n/);
  assert.match(
    workload,
    /model: openai-compatible:llama-3\.3-70b\n\s+base_url: http:\/\/10\.0\.0\.5:8000\/v1\n\s+api_key_env: VLLM_KEY/,
  );
  const cases = readFileSync(path.join(dir, 'out', 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(cases[0]._graders[0], {
    rubric: { rubric: 'States 25 days and cites the policy section.', threshold: 0.7 },
  });
});

test('what cannot be converted is listed with its file, line and reason, and no key is copied', async () => {
  const dir = suiteCopy('unsupported');
  const s = await importSuite(dir, 'unsupported/promptfooconfig.json', 'out');
  const listed = s.unconverted.map((u) => `${u.at} ${u.what}`);
  for (const expected of [
    'unsupported/promptfooconfig.json:9 scenarios',
    'unsupported/promptfooconfig.json:6 providers[1]',
    'unsupported/promptfooconfig.json:15 assertion levenshtein',
    'unsupported/promptfooconfig.json:16 assertion python',
    'unsupported/promptfooconfig.json:17 assertion cost',
    'unsupported/promptfooconfig.json:18 assertion not-llm-rubric',
    'unsupported/promptfooconfig.json:19 assertion contains',
    'unsupported/promptfooconfig.json:11 options of a test',
  ])
    assert.ok(listed.includes(expected), `${expected} in\n${listed.join('\n')}`);
  assert.match(s.unconverted.find((u) => u.what === 'assertion contains')!.reason, /transform/);
  assert.equal(s.counts.converted, 1);
  const written = readFileSync(path.join(dir, 'out', 'workload.yaml'), 'utf8');
  assert.ok(!written.includes('sk-not-copied'), 'the API key is never written');
  // The terminal summary says the same.
  const io = captureIo(dir);
  assert.equal(
    await importCommand.run(['promptfoo', 'unsupported/promptfooconfig.json', '--out', 'out3'], io),
    0,
  );
  assert.match(io.out, /Not converted \(11\):\n {2}unsupported\/promptfooconfig\.json:9 {2}scenarios: /);
});

test('a converted suite run against a local server passes the same cases as the hand-converted workload', async () => {
  // good answers every ticket right; sloppy apologises, rambles or capitalises on three of five.
  const rules: Array<[RegExp, string, string]> = [
    [/charged twice/, 'billing', 'Sorry, billing'],
    [/crashes/, 'bug', 'a bug, clearly'],
    [/log in/, 'account', 'Account'],
    [/Refund/, 'billing', 'Billing'],
    [/Export to PDF/, 'bug', 'bug'],
  ];
  const server = await startWireServer({
    answer: (request) => {
      const rule = rules.find(([pattern]) => pattern.test(request.prompt));
      if (!rule) return 'other';
      return request.model === 'good-model' ? rule[1] : rule[2];
    },
  });
  after(() => server.close());
  const dir = suiteCopy('run-parity');
  for (const file of ['run-parity/promptfooconfig.yaml', 'run-parity/hand-converted.yaml']) {
    const full = path.join(dir, file);
    writeFileSync(full, readFileSync(full, 'utf8').replaceAll('__SERVER__', server.origin));
  }
  await importSuite(dir, 'run-parity/promptfooconfig.yaml', 'out');
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const passes = async (file: string) => {
    const summary = await runWorkload(await loadWorkload(path.join(dir, file)), { store });
    const byCandidate: Record<string, string[]> = {};
    for await (const result of store.results(summary.runId))
      if (result.pass)
        byCandidate[result.candidateId] = [...(byCandidate[result.candidateId] ?? []), result.caseId];
    for (const list of Object.values(byCandidate)) list.sort();
    return byCandidate;
  };
  const converted = await passes('out/workload.yaml');
  const hand = await passes('run-parity/hand-converted.yaml');
  assert.deepEqual(converted, hand);
  assert.deepEqual(converted, { good: ['1', '2', '3', '4', '5'], sloppy: ['3', '5'] });
});
