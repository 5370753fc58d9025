import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { buildMessages } from '../src/run/build-messages.ts';
import type { Case } from '../src/spec/workload.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';
import { readCases } from '../src/workload/read-cases.ts';
import { renderTemplate, templateVariables } from '../src/workload/template.ts';

const dir = path.join(import.meta.dirname, 'fixtures', 'workloads');

async function allCases(file: string): Promise<Case[]> {
  const workload = await loadWorkload(path.join(dir, file));
  const cases: Case[] = [];
  for await (const testCase of readCases(workload.cases, path.dirname(workload.file))) cases.push(testCase);
  return cases;
}

test('a JSONL workload normalises candidates, params and cases', async () => {
  const workload = await loadWorkload(path.join(dir, 'valid-jsonl.yaml'));
  assert.equal(workload.name, 'triage');
  assert.deepEqual(workload.candidates[0], {
    id: 'endpoint',
    model: 'openai-compatible:some-model',
    provider: 'openai-compatible',
    modelName: 'some-model',
    baseUrl: 'http://127.0.0.1:9/v1',
    params: { temperature: 0, max_tokens: 16, stop: ['\n'] },
  });
  assert.deepEqual(workload.graders, [
    {
      type: 'equals',
      options: { ignore_case: true, trim: true, normalize_whitespace: false, ignore_punctuation: false },
    },
  ]);
  assert.deepEqual(workload.traffic, { requests_per_month: 1_000_000, peak_factor: 2 });
  assert.deepEqual(workload.constraints, {
    data_residency: 'any',
    hipaa: false,
    on_prem: false,
    zero_retention: false,
    fine_tuning: false,
  });
  const cases = await allCases('valid-jsonl.yaml');
  assert.deepEqual(
    cases.map((c) => [c.id, c.vars.ticket, c.expected, c.source]),
    [
      ['a', 'I was charged twice', 'billing', 'tickets.jsonl:1'],
      ['b', 'The app crashes on start', 'bug', 'tickets.jsonl:2'],
      ['c', 'Where is my parcel?', 'shipping', 'tickets.jsonl:3'],
    ],
  );
});

test('CSV cases without a vars mapping expose every other column as a variable', async () => {
  const cases = await allCases('valid-csv-chat.yaml');
  assert.deepEqual(
    cases.map((c) => [c.id, c.vars, c.expected, c.source]),
    [
      ['1', { input: 'Refund please' }, 'billing', 'tickets.csv:2'],
      ['2', { input: 'App is broken, again' }, 'bug', 'tickets.csv:3'],
    ],
  );
  const workload = await loadWorkload(path.join(dir, 'valid-csv-chat.yaml'));
  assert.deepEqual(
    workload.graders.map((g) => g.type),
    ['contains', 'is-json', 'regex'],
  );
  assert.equal(workload.candidates[1]!.threads, 1);
  assert.equal(workload.constraints.hipaa, true);
  assert.deepEqual(buildMessages(workload.prompt, cases[0]!), [
    { role: 'system', content: 'You label tickets.' },
    { role: 'user', content: 'Refund please' },
  ]);
});

test('YAML case files and inline cases both load, numbers become text', async () => {
  assert.deepEqual(
    (await allCases('valid-yaml-cases.yaml')).map((c) => [c.vars.input, c.expected]),
    [
      ['Reset my password', 'account'],
      ['Add dark mode', 'feature_request'],
    ],
  );
  const inline = await allCases('valid-inline.yaml');
  assert.deepEqual(
    inline.map((c) => [c.id, c.vars.word, c.expected, c.tags]),
    [
      ['1', 'hello', 'hello', []],
      ['second', '42', '42', ['numbers']],
    ],
  );
});

test('templates list their variables and fill them without re-expanding values', () => {
  assert.deepEqual(templateVariables('{{a}} and {{ b }} and {{a}}'), ['a', 'b']);
  assert.equal(renderTemplate('Hi {{name}}!', { name: '{{name}} <script>' }), 'Hi {{name}} <script>!');
  assert.equal(renderTemplate('{{missing}}', {}), '{{missing}}');
});

test('the demo workload shipped in examples/ is valid', async () => {
  const workload = await loadWorkload(
    path.join(import.meta.dirname, '..', 'examples', 'demo', 'workload.yaml'),
  );
  const cases: Case[] = [];
  for await (const testCase of readCases(workload.cases, path.dirname(workload.file))) cases.push(testCase);
  assert.equal(cases.length, 30);
  // The three families of the demo: embedded, a frontier API's price on a stand-in, open weights self-hosted.
  assert.deepEqual(
    workload.candidates.map((c) => [c.id, c.provider]),
    [
      ['local', 'llama-cpp'],
      ['frontier', 'openai-compatible'],
      ['open-8b', 'openai-compatible'],
    ],
  );
});

test('JSONL lines split at \\n only: U+2028/U+2029 inside strings and CRLF endings are fine', async () => {
  const cases = await allCases('valid-unicode-separators.yaml');
  assert.deepEqual(
    cases.map((c) => [c.id, c.vars.input, c.source]),
    [
      ['a', 'one\u2028two\u2029three', 'unicode-separators.jsonl:1'],
      ['b', 'crlf', 'unicode-separators.jsonl:2'],
    ],
  );
});
