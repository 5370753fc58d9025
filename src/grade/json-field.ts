import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { jsonEqual, parseFieldPath, parseJsonOutput, valueAtPath } from './json-output.ts';
import { quote } from './normalise.ts';

const jsonFieldOptions = z
  .strictObject({
    /** Where the field is: `a.b[0].c` (a leading `$` is allowed). */
    path: z.string().min(1),
    /** The value it must equal (any JSON); the case's expected answer when absent. */
    value: z.unknown().optional(),
    strip_fences: z.boolean().default(true),
  })
  .superRefine((options, context) => {
    const steps = parseFieldPath(options.path);
    if (typeof steps === 'string') context.addIssue({ code: 'custom', path: ['path'], message: steps });
  });

/** A field of the output's JSON equals a value (deep equality; the expected answer compares as text or JSON). */
export const jsonFieldGrader = defineGraderFamily({
  name: 'json-field',
  options: jsonFieldOptions,
  describe: (options) => `json-field ${options.path}`,
  grade(options, testCase, output) {
    const parsed = parseJsonOutput(output, options.strip_fences);
    if (!parsed.ok) return { pass: false, score: 0, reason: parsed.reason };
    const field = valueAtPath(parsed.value, parseFieldPath(options.path) as (string | number)[]);
    if (!field.found) return { pass: false, score: 0, reason: `no field ${options.path}` };
    let pass: boolean;
    let wanted: string;
    if (options.value !== undefined) {
      pass = jsonEqual(field.value, options.value);
      wanted = JSON.stringify(options.value);
    } else if (testCase.expected !== undefined) {
      // The expected answer is text: a string field compares as text, anything else as JSON.
      const expected = testCase.expected;
      pass =
        typeof field.value === 'string'
          ? field.value === expected
          : jsonEqual(field.value, parseJsonOutput(expected, false).ok ? JSON.parse(expected) : expected);
      wanted = expected;
    } else {
      return { pass: false, score: 0, reason: 'no expected answer for this case' };
    }
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? `${options.path} equals ${quote(wanted)}` : `${options.path} is not ${quote(wanted)}`,
    };
  },
});
