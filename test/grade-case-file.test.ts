// A case file's own graders (`cases: { file, graders: field }`): parsed per record, checked at load
// time with file:line, applied beside the workload's graders by the runner.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { buildReport } from '../src/report/build-report.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { readCases } from '../src/workload/read-cases.ts';
import { tempDir } from './helpers/temp-dir.ts';

const workloadText = (file: string, extra = '') => `version: 1
name: case-graders
prompt: "{{q}}"
cases: { file: ${file}, vars: { q: q }, expected: a, graders: checks }
graders: [equals]
candidates: [{ id: echo, model: "openai-compatible:echo", base_url: "http://127.0.0.1:9/v1" }]
${extra}`;

test('JSONL and CSV cases carry graders of their own; custom files resolve against the workload', async () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'graders'));
  writeFileSync(
    path.join(dir, 'graders', 'short.ts'),
    'export default (_c: unknown, output: string) => output.length < 5;\n',
  );
  writeFileSync(
    path.join(dir, 'cases.jsonl'),
    [
      JSON.stringify({ q: 'a', a: 'a' }),
      JSON.stringify({
        q: 'bb',
        a: 'bb',
        checks: [{ regex: '^b+$', weight: 2 }, { custom: 'graders/short.ts' }],
      }),
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'cases.csv'), 'q,a,checks\nc,c,"[{""length"": {""max"": 3}}]"\nd,d,\n');
  const jsonl = await parseWorkload(workloadText('cases.jsonl'), path.join(dir, 'w.yaml'));
  const cases = [];
  for await (const testCase of readCases(jsonl.cases, dir)) cases.push(testCase);
  assert.equal(cases[0]!.graders, undefined);
  assert.deepEqual(
    cases[1]!.graders!.map((g) => [g.type, g.weight]),
    [
      ['regex', 2],
      ['custom', undefined],
    ],
  );
  assert.equal(cases[1]!.graders![1]!.options.file, path.join(dir, 'graders', 'short.ts'));
  assert.equal('checks' in cases[1]!.vars, false);

  const csv = await parseWorkload(workloadText('cases.csv'), path.join(dir, 'w.yaml'));
  const csvCases = [];
  for await (const testCase of readCases(csv.cases, dir)) csvCases.push(testCase);
  assert.deepEqual(csvCases[0]!.graders, [{ type: 'length', options: { max: 3, unit: 'chars' } }]);
  assert.equal(csvCases[1]!.graders, undefined);
});

test('bad case graders are errors at load time, naming the file and line', async () => {
  const dir = tempDir();
  const cases = (checks: unknown) =>
    writeFileSync(
      path.join(dir, 'cases.jsonl'),
      `${JSON.stringify({ q: 'a', a: 'a' })}\n${JSON.stringify({ q: 'b', a: 'b', checks })}\n`,
    );
  cases([{ equal: null }]);
  await assert.rejects(
    parseWorkload(workloadText('cases.jsonl'), path.join(dir, 'w.yaml')),
    /cases\.jsonl:2 field "checks" \(the case's graders\): \[0\]\.equal: unknown grader "equal" \(did you mean "equals"\?\)/,
  );
  cases([{ custom: 'missing.ts' }]);
  await assert.rejects(
    parseWorkload(workloadText('cases.jsonl'), path.join(dir, 'w.yaml')),
    /cases\.jsonl:2 graders: custom grader file .*missing\.ts does not exist/,
  );
  cases([{ rubric: 'Be right.' }]);
  await assert.rejects(
    parseWorkload(
      workloadText('cases.jsonl', 'judge: "openai:gpt-4o"\nconstraints: { on_prem: true }\n'),
      path.join(dir, 'w.yaml'),
    ),
    /judge: constraints\.on_prem is set/,
  );
});

test('the runner applies a case file’s graders beside the workload’s', async () => {
  const server = await startStandInServer({ answer: (messages) => messages.at(-1)!.content });
  after(() => server.close());
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'cases.jsonl'),
    `${JSON.stringify({ q: 'ok', a: 'ok' })}\n${JSON.stringify({ q: 'long answer', a: 'long answer', checks: [{ length: { max: 5 } }] })}\n`,
  );
  const workload = await parseWorkload(
    workloadText('cases.jsonl').replace('http://127.0.0.1:9/v1', server.url),
    path.join(dir, 'w.yaml'),
  );
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const { runId } = await runWorkload(workload, { store });
  const results: Result[] = [];
  for await (const result of store.results(runId)) results.push(result);
  const byCase = new Map(results.map((r) => [r.caseId, r]));
  assert.deepEqual(
    byCase.get('1')!.grades.map((g) => g.grader),
    ['equals'],
  );
  assert.deepEqual(
    byCase.get('2')!.grades.map((g) => [g.grader, g.pass]),
    [
      ['equals', true],
      ['length 0–5 chars', false],
    ],
  );
  assert.equal(byCase.get('2')!.pass, false);
  const quality = (await buildReport(store, runId)).quality!;
  assert.deepEqual(
    quality.byGrader.map((slice) => [slice.name, slice.cells.echo!.passed, slice.cells.echo!.total]),
    [
      ['equals', 2, 2],
      ['length 0–5 chars', 0, 1],
    ],
  );
});
