import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { parseJsonOutput } from './json-output.ts';

const isJsonOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : raw),
  z.strictObject({
    /** Accept JSON wrapped in one Markdown code fence (default true). */
    strip_fences: z.boolean().default(true),
  }),
);

/** The output parses as JSON (surrounding whitespace, and by default a Markdown fence, allowed). */
export const isJsonGrader = defineGraderFamily({
  name: 'is-json',
  shorthands: [{ type: 'null' }, { const: true }],
  options: isJsonOptions,
  describe: () => 'is-json',
  grade(options, _testCase, output) {
    const parsed = parseJsonOutput(output, options.strip_fences);
    return parsed.ok
      ? { pass: true, score: 1, reason: 'output is valid JSON' }
      : { pass: false, score: 0, reason: parsed.reason };
  },
});
