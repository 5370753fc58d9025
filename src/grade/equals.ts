import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { describeNormalisation, normalisationFields, normalise, quote } from './normalise.ts';

const equalsOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'string' ? { value: raw } : raw),
  z.strictObject({
    /** Compare with this text instead of the case's expected answer. */
    value: z.string().optional(),
    ...normalisationFields(),
  }),
);

/** The output equals the expected answer, after the chosen case, whitespace and punctuation normalisation. */
export const equalsGrader = defineGraderFamily({
  name: 'equals',
  shorthands: [{ type: 'string' }, { type: 'null' }, { const: true }],
  options: equalsOptions,
  describe: (options) => `equals${describeNormalisation(options)}`,
  grade(options, testCase, output) {
    const expected = options.value ?? testCase.expected;
    if (expected === undefined) {
      return { pass: false, score: 0, reason: 'no expected answer for this case' };
    }
    const pass = normalise(output, options) === normalise(expected, options);
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? 'output equals the expected answer' : `expected ${quote(expected)}`,
    };
  },
});
