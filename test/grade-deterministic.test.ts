import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { combineGrades } from '../src/grade/combine.ts';
import { gradeCase, gradeOutput } from '../src/grade/grade-output.ts';
import { graderFamilies } from '../src/grade/registry.ts';
import type { GradeContext } from '../src/spec/grade.ts';
import type { Case, GraderSpec } from '../src/spec/workload.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

const testCase = (expected?: string, graders?: GraderSpec[]): Case => ({
  id: '1',
  vars: {},
  tags: [],
  source: 'test',
  ...(expected === undefined ? {} : { expected }),
  ...(graders ? { graders } : {}),
});

function spec(type: string, raw: unknown, weight?: number): GraderSpec {
  const family = graderFamilies.get(type)!;
  const parsed = family.options.safeParse(raw);
  if (!parsed.success) throw new Error(`${type}: ${parsed.error.message}`);
  return {
    type,
    options: parsed.data as Record<string, unknown>,
    ...(weight === undefined ? {} : { weight }),
  };
}

const one = (grader: GraderSpec, output: string, expected?: string, context: GradeContext = {}) =>
  gradeOutput([grader], testCase(expected), output, context)[0]!;

test('equals normalises case, whitespace and punctuation only when asked', () => {
  assert.equal(one(spec('equals', null), ' Billing. ', 'billing').pass, false);
  assert.equal(
    one(spec('equals', { ignore_case: true, ignore_punctuation: true }), ' Billing. ', 'billing').pass,
    true,
  );
  assert.equal(one(spec('equals', { normalize_whitespace: true }), 'a  b\n c', 'a b c').pass, true);
  assert.equal(one(spec('equals', null), 'a  b', 'a b').pass, false);
});

test('contains, icontains and starts-with', () => {
  assert.equal(one(spec('icontains', 'REFUND'), 'a refund is due').pass, true);
  assert.equal(one(spec('contains', 'REFUND'), 'a refund is due').pass, false);
  const all = one(spec('icontains', { values: ['a', 'z'], mode: 'all' }), 'A');
  assert.equal(all.pass, false);
  assert.equal(all.score, 0.5);
  assert.equal(one(spec('starts-with', 'Dear'), '  Dear customer').pass, true);
  assert.equal(one(spec('starts-with', null), 'bug: crash', 'bug').pass, true);
});

test('json-schema validates with ajv, accepts a fenced answer, and refuses a bad schema at load time', () => {
  const schema = spec('json-schema', {
    type: 'object',
    required: ['label'],
    properties: { label: { enum: ['bug', 'billing'] } },
  });
  assert.equal(one(schema, '```json\n{"label": "bug"}\n```').pass, true);
  const wrong = one(schema, '{"label": "other"}');
  assert.equal(wrong.pass, false);
  assert.match(wrong.reason, /^schema: \/label must be equal to one of the allowed values/);
  assert.match(one(schema, 'label: bug').reason, /^not JSON/);
  assert.equal(
    graderFamilies.get('json-schema')!.options.safeParse({ schema: { type: 'nonsense' } }).success,
    false,
  );
});

test('json-field compares a field by path with a value or the expected answer', () => {
  const output = '{"order": {"items": [{"sku": "A-1", "qty": 2}]}, "ok": true}';
  assert.equal(one(spec('json-field', { path: 'order.items[0].sku' }), output, 'A-1').pass, true);
  assert.equal(one(spec('json-field', { path: '$.order.items[0].qty' }), output, '2').pass, true);
  assert.equal(one(spec('json-field', { path: 'ok', value: true }), output).pass, true);
  assert.equal(
    one(spec('json-field', { path: 'order', value: { items: [{ qty: 2, sku: 'A-1' }] } }), output).pass,
    true,
  );
  assert.match(one(spec('json-field', { path: 'order.missing' }), output, 'x').reason, /^no field/);
  assert.equal(graderFamilies.get('json-field')!.options.safeParse({ path: 'a..b' }).success, false);
  // The expected answer a whole JSON document: a path compares with the same field of it.
  const invoice = '{"vendor": "Acme", "total": 12.5}';
  assert.equal(one(spec('json-field', { path: 'vendor' }), '{"vendor": "Acme"}', invoice).pass, true);
  assert.equal(
    one(spec('json-field', { path: 'total' }), '{"total": 13}', invoice).reason,
    'total is not "12.5"',
  );
  assert.equal(
    one(spec('json-field', { path: '$' }), '{"total": 12.5, "vendor": "Acme"}', invoice).pass,
    true,
  );
});

test('json-equals: parsed answer against expected JSON, key order and whitespace insensitive', () => {
  const expected = '{"vendor": "Acme Ltd", "total": 12.5, "lines": [{"sku": "A-1"}, {"sku": "B-2"}]}';
  const grade = spec('json-equals', null);
  const exact = one(
    grade,
    '```json\n{ "total": 12.50,\n "lines": [{"sku":"A-1"},{"sku":"B-2"}], "vendor": " Acme  Ltd " }\n```',
    expected,
  );
  assert.deepEqual([exact.pass, exact.score, exact.reason], [true, 1, '3/3 fields match']);
  // Per-field partial credit, with the misses named.
  const partial = one(
    grade,
    '{"vendor": "Acme Ltd", "total": 13, "lines": [{"sku": "B-2"}, {"sku": "A-1"}]}',
    expected,
  );
  assert.equal(partial.pass, false);
  assert.equal(partial.score, 1 / 3);
  assert.equal(
    partial.reason,
    '1/3 fields match; total is 13, expected 12.5; lines is [{"sku":"B-2"},{"sku":"A-1"}], expected [{"sku":"A-1"},{"sku":"B-2"}]',
  );
  // Field weights, nested paths with `$`, arrays in any order, a pass score below 1.
  const weighted = spec('json-equals', {
    fields: { vendor: 3, '$.total': 1, 'lines[0].sku': 1 },
    ignore_array_order: true,
    pass_score: 0.75,
  });
  const heavy = one(weighted, '{"vendor": "Acme Ltd", "total": 13, "lines": [{"sku": "A-1"}]}', expected);
  assert.deepEqual([heavy.pass, heavy.score], [true, 0.8]);
  assert.equal(heavy.reason, '2/3 fields match (weight 4 of 5); $.total is 13, expected 12.5');
  assert.equal(one(spec('json-equals', { ignore_array_order: true }), '[3, 1, 2]', '[1, 2, 3]').pass, true);
  assert.equal(one(spec('json-equals', null), '[3, 1, 2]', '[1, 2, 3]').pass, false);
  assert.equal(one(spec('json-equals', { number_tolerance: 0.01 }), '{"t": 1.005}', '{"t": 1}').pass, true);
  assert.equal(one(spec('json-equals', { value: { ok: true } }), '{"ok": true}').pass, true);
  const missing = one(grade, '{"vendor": "Acme Ltd"}', expected);
  assert.match(missing.reason, /^1\/3 fields match; total missing; lines missing$/);
  // A clear reason when the answer is not JSON; a grading error when the expected answer is not.
  const prose = one(grade, 'The vendor is Acme Ltd.', expected);
  assert.equal(prose.pass, false);
  assert.match(prose.reason, /^the answer is not JSON: .*; it starts "The vendor is Acme Ltd\."$/);
  const badCase = one(grade, '{}', 'Acme');
  assert.deepEqual([badCase.error, badCase.pass], [true, false]);
  assert.match(badCase.reason, /^the expected answer is not JSON .*; fix the case or give value:$/);
  assert.equal(graderFamilies.get('json-equals')!.options.safeParse({ fields: ['a..b'] }).success, false);
  assert.equal(graderFamilies.get('json-equals')!.options.safeParse({ fields: { a: 0 } }).success, false);
});

test('json-schema refuses a typo in its schema at load time, located inside it', () => {
  const parse = (raw: unknown) => graderFamilies.get('json-schema')!.options.safeParse(raw);
  const typo = parse({ type: 'object', requird: ['vendor'] });
  assert.equal(typo.success, false);
  assert.deepEqual(
    typo.error!.issues.map((issue) => [issue.path, issue.message]),
    [[['requird'], 'unknown JSON Schema keyword "requird" (did you mean "required"?)']],
  );
  const nested = parse({ schema: { properties: { total: { type: 'number', minimun: 0 } } } });
  assert.deepEqual(nested.error!.issues[0]!.path, ['schema', 'properties', 'total', 'minimun']);
  assert.equal(
    parse({ type: 'object', properties: { a: { type: 'string', format: 'email' } } }).success,
    true,
  );
});

test('numeric with absolute and relative tolerance', () => {
  assert.equal(one(spec('numeric', { abs_tol: 0.5 }), 'about 1,234.3 units', '1234').pass, true);
  assert.equal(one(spec('numeric', { rel_tol: 0.01 }), '101', '100').pass, true);
  assert.equal(one(spec('numeric', { rel_tol: 0.01 }), '102', '100').pass, false);
  assert.equal(one(spec('numeric', { value: 3, extract: 'whole' }), 'x 3').pass, false);
  assert.equal(one(spec('numeric', 42), '42').pass, true);
  assert.match(one(spec('numeric', null), 'no digits', '7').reason, /^no number/);
});

test('similarity is normalised Levenshtein with a threshold; the score is the similarity', () => {
  const near = one(spec('similarity', 0.8), 'kitten', 'sitting');
  assert.equal(near.pass, false);
  assert.ok(Math.abs(near.score - (1 - 3 / 7)) < 1e-12);
  assert.equal(one(spec('similarity', 0.5), 'kitten', 'sitting').pass, true);
  assert.equal(one(spec('similarity', { threshold: 1, ignore_case: true }), 'Hello', 'hello').pass, true);
});

test('length bounds in characters and words', () => {
  assert.equal(one(spec('length', { max: 3 }), 'héé').pass, true);
  assert.equal(one(spec('length', { min: 2, unit: 'words' }), 'one').pass, false);
  assert.equal(graderFamilies.get('length')!.options.safeParse({ min: 5, max: 2 }).success, false);
  assert.equal(graderFamilies.get('length')!.options.safeParse({}).success, false);
});

test('not inverts any deterministic grader and refuses model-graded ones', () => {
  const refusal = spec('not', { contains: 'as an AI' });
  assert.equal(one(refusal, 'Sure, here it is').pass, true);
  assert.equal(one(refusal, 'As an AI, I cannot').pass, true);
  assert.equal(one(spec('not', { icontains: 'as an ai' }), 'As an AI, I cannot').pass, false);
  assert.equal(one(spec('not', 'is-json'), '{}').pass, false);
  assert.equal(graderFamilies.get('not')!.options.safeParse({ rubric: 'x' }).success, false);
});

test('latency and cost thresholds read the call facts; without them it is a grading error', () => {
  assert.equal(one(spec('latency', 500), '', undefined, { durationMs: 499 }).pass, true);
  assert.equal(
    one(spec('latency', { max_ms: 100, metric: 'ttft' }), '', undefined, { ttftMs: 150 }).pass,
    false,
  );
  assert.equal(one(spec('latency', 500), '').error, true);
  const cost = spec('cost', { max_usd: 0.001, input_per_mtok: 2, output_per_mtok: 8 });
  const usage = { inputTokens: 200, outputTokens: 50, source: 'server' as const };
  // 200 × $2/M + 50 × $8/M = $0.0008
  assert.equal(one(cost, '', undefined, { usage }).pass, true);
  assert.equal(one(cost, '', undefined, { usage: { ...usage, outputTokens: 100 } }).pass, false);
  assert.equal(one(cost, '').error, true);
});

test('weights and a pass threshold combine grades; weight 0 reports without counting', () => {
  const specs = [spec('equals', null, 3), spec('contains', 'x', 1), spec('is-json', null, 0)];
  const grades = gradeOutput(specs, testCase('yes'), 'yes');
  assert.deepEqual(
    grades.map((g) => g.pass),
    [true, false, false],
  );
  assert.deepEqual(combineGrades(grades, specs), { pass: false, score: 0.75 });
  assert.deepEqual(combineGrades(grades, specs, 0.7), { pass: true, score: 0.75 });
  assert.deepEqual(combineGrades(grades, specs, 0.8), { pass: false, score: 0.75 });
  // A case's own graders add to the workload's.
  const graded = gradeCase({ graders: [specs[0]!] }, testCase('yes', [spec('length', { max: 2 })]), 'yes');
  assert.deepEqual(
    graded.grades.map((g) => g.grader),
    ['equals', 'length 0–2 chars'],
  );
  assert.equal(graded.pass, false);
});

test('a custom grader from the user file: loaded once, checked at load time, bad returns are grading errors', async () => {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'check.ts'),
    `export default function check(testCase: { expected?: string }, output: string, context: { config: { min: number } }) {
  return { pass: output.length >= context.config.min, score: 1, reason: 'length ' + output.length };
}
export const asPromise = async () => true;
export const asScore = () => 0.25;
`,
  );
  const workload = await parseWorkload(
    `version: 1
name: custom
prompt: "{{q}}"
cases: [{ vars: { q: a } }]
graders:
  - custom: { file: check.ts, config: { min: 3 } }
  - custom: { file: check.ts, export: asPromise }
  - custom: { file: check.ts, export: asScore }
  - custom: { file: check.ts, export: missing }
candidates: [{ id: one, model: "openai-compatible:x", base_url: "http://127.0.0.1:9/v1" }]
`,
    path.join(dir, 'w.yaml'),
  );
  assert.equal(
    workload.graders[0]!.options.file,
    path.join(dir, 'check.ts'),
    'resolved against the workload',
  );
  const grades = gradeOutput(workload.graders, testCase(), 'abcd');
  assert.deepEqual(grades[0], { grader: 'custom check.ts', pass: true, score: 1, reason: 'length 4' });
  assert.match(grades[1]!.reason, /returned a promise/);
  assert.equal(grades[1]!.error, true);
  assert.deepEqual([grades[2]!.pass, grades[2]!.score], [false, 0.25]);
  assert.match(grades[3]!.reason, /exports no function "missing"/);
  await assert.rejects(
    parseWorkload(
      `version: 1
name: custom
prompt: "{{q}}"
cases: [{ vars: { q: a } }]
graders: [{ custom: ./nowhere.js }]
candidates: [{ id: one, model: "openai-compatible:x", base_url: "http://127.0.0.1:9/v1" }]
`,
      path.join(dir, 'w.yaml'),
    ),
    /w\.yaml:5:\d+ graders\[0\]\.custom\.file: custom grader file \.\/nowhere\.js does not exist/,
  );
});

test('grader entries: weight beside the family, per-case graders, typos suggested', async () => {
  const dir = tempDir();
  const workload = await parseWorkload(
    `version: 1
name: entries
prompt: "{{q}}"
cases:
  - { vars: { q: a }, expected: b, graders: [{ regex: "^b$", weight: 2 }] }
graders:
  - equals: { ignore_case: true }
    weight: 0.5
pass_threshold: 0.6
candidates: [{ id: one, model: "openai-compatible:x", base_url: "http://127.0.0.1:9/v1" }]
`,
    path.join(dir, 'w.yaml'),
  );
  assert.equal(workload.graders[0]!.weight, 0.5);
  assert.equal(workload.passThreshold, 0.6);
  assert.equal(workload.cases.kind === 'inline' && workload.cases.cases[0]!.graders![0]!.weight, 2);
  await assert.rejects(
    parseWorkload(
      `version: 1
name: entries
prompt: "{{q}}"
cases: [{ vars: { q: a } }]
graders:
  - equals: null
    wieght: 2
candidates: [{ id: one, model: "openai-compatible:x", base_url: "http://127.0.0.1:9/v1" }]
`,
      path.join(dir, 'w.yaml'),
    ),
    /a grader is one key naming its family/,
  );
  await assert.rejects(
    parseWorkload(
      `version: 1
name: entries
prompt: "{{q}}"
cases: [{ vars: { q: a } }]
graders: [{ rubric: be nice }]
candidates: [{ id: one, model: "openai-compatible:x", base_url: "http://127.0.0.1:9/v1" }]
`,
      path.join(dir, 'w.yaml'),
    ),
    /graders\[0\]\.rubric: rubric needs a judge/,
  );
});
