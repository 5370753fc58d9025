import { createRequire } from 'node:module';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import { z } from 'zod';
import { closestKey } from '../spec/closest-key.ts';
import { defineGraderFamily } from './family.ts';
import { jsonDepth, parseJsonOutput } from './json-output.ts';

// Deeper documents are refused before validation: ajv recurses, and a JSON bomb must not overflow the stack.
const MAX_DEPTH = 200;

// ajv is 63 modules: it loads on the first JSON Schema a workload holds, not with the grader
// registry every command imports (bench/startup.ts; a synchronous require, as grading is synchronous).
const requireAjv = createRequire(import.meta.url);
function newAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = requireAjv('ajv') as typeof import('ajv');
  return new AjvClass(options);
}

let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    ajv ??= newAjv({ allErrors: false, strict: false });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

// Checked strictly when the workload loads: a typo such as `requird:` is an unknown keyword that
// ajv's lenient mode would ignore, and the grader would then pass answers missing required fields.
// Formats are not checked (ajv has none built in; grading ignores them as well).
let strictAjv: Ajv | undefined;
const strictChecker = (): Ajv =>
  (strictAjv ??= newAjv({
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: false,
    logger: false,
  }));

/** Keywords a schema commonly uses, for "did you mean" (draft-07 and 2019-09). */
const KEYWORDS = [
  'type',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'patternProperties',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'dependencies',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'definitions',
  '$defs',
  '$ref',
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  'additionalItems',
  'nullable',
];

/** The path (inside the schema) of the first object holding `key`, depth first. */
function pathOfKey(schema: unknown, key: string): PropertyKey[] | undefined {
  const stack: Array<[unknown, PropertyKey[]]> = [[schema, []]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (!Array.isArray(node) && Object.hasOwn(node, key)) return [...at, key];
    const entries = Object.entries(node).reverse();
    for (const [name, child] of entries)
      stack.push([child, [...at, Array.isArray(node) ? Number(name) : name]]);
  }
  return undefined;
}

/** What is wrong with a JSON Schema, located inside it; empty when ajv compiles it strictly. */
export function jsonSchemaProblems(
  schema: Record<string, unknown>,
): Array<{ path: PropertyKey[]; message: string }> {
  const checker = strictChecker();
  if (!checker.validateSchema(schema)) {
    const first = checker.errors?.[0];
    const at = (first?.instancePath ?? '')
      .split('/')
      .slice(1)
      .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'));
    return [
      {
        path: at,
        message: `not a valid JSON Schema: ${at.length > 0 ? `${at.at(-1)} ` : ''}${first?.message ?? 'is invalid'}`,
      },
    ];
  }
  try {
    checker.compile(schema);
    return [];
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /unknown keyword: "([^"]+)"/.exec(message);
    if (unknown) {
      const keyword = unknown[1]!;
      const suggestion = closestKey(keyword, KEYWORDS);
      return [
        {
          path: pathOfKey(schema, keyword) ?? [],
          message: `unknown JSON Schema keyword "${keyword}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
        },
      ];
    }
    return [{ path: [], message: `not a valid JSON Schema: ${message}` }];
  } finally {
    checker.removeSchema(schema);
  }
}

const jsonSchemaOptions = z.preprocess(
  (raw, context) => {
    // The shorthand is the schema itself: its problems are located without a `schema` step.
    const shorthand = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !('schema' in raw);
    const options = shorthand ? { schema: raw } : raw;
    const schema = (options as { schema?: unknown } | null)?.schema;
    if (schema !== null && typeof schema === 'object' && !Array.isArray(schema)) {
      for (const problem of jsonSchemaProblems(schema as Record<string, unknown>))
        context.addIssue({
          code: 'custom',
          path: shorthand ? problem.path : ['schema', ...problem.path],
          message: problem.message,
          input: raw,
        });
    }
    return options;
  },
  z.strictObject({
    /** The JSON Schema (draft-07 or 2019-09 keywords) the output must satisfy. */
    schema: z.record(z.string(), z.unknown()),
    strip_fences: z.boolean().default(true),
  }),
);

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
