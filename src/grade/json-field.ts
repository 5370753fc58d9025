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

/**
 * A field of the output's JSON equals a value (deep equality): `value`, else the same field of the
 * expected answer when that is a JSON document holding the path, else the whole expected answer
 * (as text for a string field, as JSON otherwise). `path: $` is the whole output.
 */
export const jsonFieldGrader = defineGraderFamily({
  name: 'json-field',
  options: jsonFieldOptions,
  describe: (options) => `json-field ${options.path}`,
  grade(options, testCase, output) {
    const parsed = parseJsonOutput(output, options.strip_fences);
    if (!parsed.ok) return { pass: false, score: 0, reason: parsed.reason };
    const steps = parseFieldPath(options.path) as (string | number)[];
    const field = valueAtPath(parsed.value, steps);
    if (!field.found) return { pass: false, score: 0, reason: `no field ${options.path}` };
    let pass: boolean;
    let wanted: string;
    if (options.value !== undefined) {
      pass = jsonEqual(field.value, options.value);
      wanted = JSON.stringify(options.value);
    } else if (testCase.expected !== undefined) {
      const expected = testCase.expected;
      const expectedJson = parseJsonOutput(expected, false);
      // An expected answer that is a whole JSON document holding the same path is compared field
      // to field: `path: vendor` against {"vendor": …, "total": …} means its vendor, not the whole
      // document (which failed every case silently, issue 16).
      const samePath = expectedJson.ok ? valueAtPath(expectedJson.value, steps) : { found: false };
      if (samePath.found && steps.length > 0) {
        pass = jsonEqual(field.value, samePath.value);
        wanted = JSON.stringify(samePath.value);
      } else {
        // The expected answer is text: a string field compares as text, anything else as JSON.
        pass =
          typeof field.value === 'string'
            ? field.value === expected
            : jsonEqual(field.value, expectedJson.ok ? expectedJson.value : expected);
        wanted = expected;
      }
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
