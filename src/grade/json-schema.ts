import { Ajv, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { jsonDepth, parseJsonOutput } from './json-output.ts';

// Deeper documents are refused before validation: ajv recurses, and a JSON bomb must not overflow the stack.
const MAX_DEPTH = 200;

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

const jsonSchemaOptions = z
  .preprocess(
    (raw) => (raw !== null && typeof raw === 'object' && !('schema' in raw) ? { schema: raw } : raw),
    z.strictObject({
      /** The JSON Schema (draft-07 or 2019-09 keywords) the output must satisfy. */
      schema: z.record(z.string(), z.unknown()),
      strip_fences: z.boolean().default(true),
    }),
  )
  .superRefine((options, context) => {
    try {
      new Ajv({ strict: false }).compile(options.schema);
    } catch (error) {
      context.addIssue({
        code: 'custom',
        path: ['schema'],
        message: `not a valid JSON Schema: ${(error as Error).message}`,
      });
    }
  });

/** The output is JSON that satisfies a JSON Schema (validated by ajv). */
export const jsonSchemaGrader = defineGraderFamily({
  name: 'json-schema',
  shorthands: [{ type: 'object' }],
  options: jsonSchemaOptions,
  describe: () => 'json-schema',
  grade(options, _testCase, output) {
    const parsed = parseJsonOutput(output, options.strip_fences);
    if (!parsed.ok) return { pass: false, score: 0, reason: parsed.reason };
    if (jsonDepth(parsed.value, MAX_DEPTH) > MAX_DEPTH) {
      return { pass: false, score: 0, reason: `JSON nested deeper than ${MAX_DEPTH} levels` };
    }
    const validate = validatorFor(options.schema);
    if (validate(parsed.value)) return { pass: true, score: 1, reason: 'output satisfies the schema' };
    const first = validate.errors?.[0];
    const where = first?.instancePath || '(root)';
    return {
      pass: false,
      score: 0,
      reason: `schema: ${where} ${first?.message ?? 'is invalid'}`.slice(0, 200),
    };
  },
});
