import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const containsOptions = z.preprocess(
  (raw) =>
    raw === null || raw === true
      ? {}
      : typeof raw === 'string'
        ? { values: [raw] }
        : Array.isArray(raw)
          ? { values: raw }
          : raw,
  z.strictObject({
    /** Texts to look for; the case's expected answer when absent. */
    values: z.array(z.string()).min(1).optional(),
    ignore_case: z.boolean().default(false),
    mode: z.enum(['any', 'all']).default('any'),
  }),
);

/** The output contains the expected answer (or any / all of the given texts). */
export const containsGrader = defineGraderFamily({
  name: 'contains',
  shorthands: [
    { type: 'string' },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
    { type: 'null' },
    { const: true },
  ],
  options: containsOptions,
  describe: (options) => `contains ${options.mode}${options.ignore_case ? ' (ignore case)' : ''}`,
  grade(options, testCase, output) {
    const needles = options.values ?? (testCase.expected === undefined ? [] : [testCase.expected]);
    if (needles.length === 0) return { pass: false, score: 0, reason: 'no expected answer for this case' };
    const haystack = options.ignore_case ? output.toLowerCase() : output;
    const found = needles.filter((needle) =>
      haystack.includes(options.ignore_case ? needle.toLowerCase() : needle),
    );
    const pass = options.mode === 'all' ? found.length === needles.length : found.length > 0;
    const missing = needles.filter((needle) => !found.includes(needle));
    return {
      pass,
      score: found.length / needles.length,
      reason: pass ? `found ${JSON.stringify(found)}` : `missing ${JSON.stringify(missing)}`,
    };
  },
});
