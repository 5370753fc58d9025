import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { describeNormalisation, normalisationFields, normalise, quote } from './normalise.ts';

const startsWithOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'string' ? { value: raw } : raw),
  z.strictObject({
    /** The prefix; the case's expected answer when absent. */
    value: z.string().optional(),
    ...normalisationFields(),
  }),
);

/** The output starts with a prefix (or the expected answer). */
export const startsWithGrader = defineGraderFamily({
  name: 'starts-with',
  shorthands: [{ type: 'string' }, { type: 'null' }, { const: true }],
  options: startsWithOptions,
  describe: (options) => `starts-with${describeNormalisation(options)}`,
  grade(options, testCase, output) {
    const prefix = options.value ?? testCase.expected;
    if (prefix === undefined) return { pass: false, score: 0, reason: 'no expected answer for this case' };
    const pass = normalise(output, options).startsWith(normalise(prefix, options));
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? `starts with ${quote(prefix)}` : `does not start with ${quote(prefix)}`,
    };
  },
});
