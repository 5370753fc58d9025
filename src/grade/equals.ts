import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const equalsOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'string' ? { value: raw } : raw),
  z.strictObject({
    /** Compare with this text instead of the case's expected answer. */
    value: z.string().optional(),
    ignore_case: z.boolean().default(false),
    trim: z.boolean().default(true),
  }),
);

function normalise(text: string, options: { ignore_case: boolean; trim: boolean }): string {
  const trimmed = options.trim ? text.trim() : text;
  return options.ignore_case ? trimmed.toLowerCase() : trimmed;
}

/** The output equals the expected answer, optionally ignoring case and surrounding whitespace. */
export const equalsGrader = defineGraderFamily({
  name: 'equals',
  shorthands: [{ type: 'string' }, { type: 'null' }, { const: true }],
  options: equalsOptions,
  describe: (options) => `equals${options.ignore_case ? ' (ignore case)' : ''}`,
  grade(options, testCase, output) {
    const expected = options.value ?? testCase.expected;
    if (expected === undefined) {
      return { pass: false, score: 0, reason: 'no expected answer for this case' };
    }
    const pass = normalise(output, options) === normalise(expected, options);
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? 'output equals the expected answer' : `expected ${JSON.stringify(expected)}`,
    };
  },
});
