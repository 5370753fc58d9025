import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { gradeOutput } from '../src/grade/grade-output.ts';
import { graderFamilies } from '../src/grade/registry.ts';
import type { Case, GraderSpec } from '../src/spec/workload.ts';
import { gradeDirectly } from './helpers/grade-directly.ts';

const testCase = (expected?: string): Case => ({
  id: '1',
  vars: {},
  tags: [],
  source: 'test',
  ...(expected === undefined ? {} : { expected }),
});

function spec(type: string, raw: unknown): GraderSpec {
  const family = graderFamilies.get(type)!;
  return { type, options: family.options.parse(raw) as Record<string, unknown> };
}

test('equals trims and ignores case only when asked', () => {
  const loose = spec('equals', { ignore_case: true });
  const strict = spec('equals', { trim: false });
  assert.equal(gradeOutput([loose], testCase('Billing'), '  billing\n')[0]!.pass, true);
  assert.equal(gradeOutput([strict], testCase('billing'), ' billing')[0]!.pass, false);
  assert.equal(gradeOutput([spec('equals', null)], testCase('Billing'), 'billing')[0]!.pass, false);
  assert.deepEqual(gradeOutput([spec('equals', null)], testCase(), 'x')[0], {
    grader: 'equals',
    pass: false,
    score: 0,
    reason: 'no expected answer for this case',
  });
});

test('contains scores the share of texts found, any or all', () => {
  const all = spec('contains', { values: ['red', 'green', 'blue'], mode: 'all' });
  const graded = gradeOutput([all], testCase(), 'red and blue')[0]!;
  assert.equal(graded.pass, false);
  assert.ok(Math.abs(graded.score - 2 / 3) < 1e-12);
  assert.equal(gradeOutput([spec('contains', 'BLUE')], testCase(), 'blue')[0]!.pass, false);
  assert.equal(
    gradeOutput([spec('contains', { values: ['BLUE'], ignore_case: true })], testCase(), 'blue')[0]!.pass,
    true,
  );
  assert.equal(gradeOutput([spec('contains', null)], testCase('bug'), 'this is a bug')[0]!.pass, true);
});

test('regex and is-json', () => {
  assert.equal(gradeOutput([spec('regex', '^[a-z_]+$')], testCase(), 'feature_request')[0]!.pass, true);
  assert.equal(
    gradeOutput([spec('regex', { pattern: '^BUG$', flags: 'i' })], testCase(), 'bug')[0]!.pass,
    true,
  );
  assert.equal(gradeOutput([spec('is-json', null)], testCase(), ' {"a": [1, 2]} ')[0]!.pass, true);
  assert.match(gradeOutput([spec('is-json', true)], testCase(), '{a: 1}')[0]!.reason, /^not JSON: /);
});

test('no output makes a grader throw, whatever its bytes', () => {
  const graders = [
    spec('equals', null),
    spec('contains', ['x', 'y']),
    spec('regex', '(a+)+$'),
    spec('is-json', null),
  ];
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary' }),
      fc.option(fc.string(), { nil: undefined }),
      (output, expected) => {
        const grades = gradeDirectly(graders, testCase(expected), output);
        assert.equal(grades.length, 4);
        for (const grade of grades) assert.ok(grade.score >= 0 && grade.score <= 1);
      },
    ),
    { numRuns: 300 },
  );
});
