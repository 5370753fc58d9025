import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const isJsonOptions = z.preprocess((raw) => (raw === null || raw === true ? {} : raw), z.strictObject({}));

/** The output parses as JSON (surrounding whitespace allowed). */
export const isJsonGrader = defineGraderFamily({
  name: 'is-json',
  shorthands: [{ type: 'null' }, { const: true }],
  options: isJsonOptions,
  describe: () => 'is-json',
  grade(_options, _testCase, output) {
    try {
      JSON.parse(output);
      return { pass: true, score: 1, reason: 'output is valid JSON' };
    } catch (error) {
      return { pass: false, score: 0, reason: `not JSON: ${(error as Error).message}` };
    }
  },
});
