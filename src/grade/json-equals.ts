// The answer's JSON compared with the expected JSON, as users of extraction workloads expect it:
// parsed, so key order and formatting never matter; per field, so an answer with 3 of 4 fields
// right scores 0.75 instead of 0 (issue 16: users found `json-field: {path: "$"}` by trial and
// error, all or nothing).
import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { jsonDepth, parseFieldPath, parseJsonOutput, valueAtPath } from './json-output.ts';
import { quote } from './normalise.ts';

type Path = (string | number)[];

// Deeper documents are refused, as json-schema does: arrays compared in any order recurse.
const MAX_DEPTH = 200;

const jsonEqualsOptions = z
  .preprocess(
    (raw) => (raw === null || raw === true ? {} : raw),
    z.strictObject({
      /** The expected JSON (any value); the case's expected answer, parsed, when absent. */
      value: z.unknown().optional(),
      /**
       * Fields scored apart, by path (`vendor`, `$.total`, `items[0].sku`): a list (equal weights) or
       * a map of path to weight. Absent: the expected object's top-level keys, equal weights.
       */
      fields: z
        .union([z.array(z.string().min(1)).min(1), z.record(z.string().min(1), z.number().min(0))])
        .optional(),
      /** Arrays compare in any order (as multisets) instead of position by position. */
      ignore_array_order: z.boolean().default(false),
      /** Strings compare trimmed, with runs of whitespace as one space. */
      normalize_whitespace: z.boolean().default(true),
      ignore_case: z.boolean().default(false),
      /** Largest accepted |answer − expected| for numbers. */
      number_tolerance: z.number().min(0).default(0),
      /** Score needed to pass (the weighted share of fields that match). */
      pass_score: z.number().min(0).max(1).default(1),
      strip_fences: z.boolean().default(true),
    }),
  )
  .superRefine((options, context) => {
    const fields = options.fields;
    if (!fields) return;
    const paths = Array.isArray(fields) ? fields : Object.keys(fields);
    for (const path of paths) {
      const steps = parseFieldPath(path);
      if (typeof steps === 'string')
        context.addIssue({ code: 'custom', path: ['fields', path], message: steps });
    }
    if (!Array.isArray(fields) && Object.values(fields).every((weight) => weight === 0))
      context.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'at least one field needs a weight above 0',
      });
  });

type JsonEqualsOptions = z.output<typeof jsonEqualsOptions>;

/** A string or number brought to the form the options compare. */
function canonical(value: unknown, options: JsonEqualsOptions): unknown {
  if (typeof value !== 'string') return value;
  let text = options.normalize_whitespace ? value.trim().replace(/\s+/g, ' ') : value;
  if (options.ignore_case) text = text.toLowerCase();
  return text;
}

/** Equality of JSON values under the options, iterative over objects (arrays in any order recurse once per level). */
function same(a: unknown, b: unknown, options: JsonEqualsOptions): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length > 0) {
    const [rawX, rawY] = stack.pop()!;
    const x = canonical(rawX, options);
    const y = canonical(rawY, options);
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) <= options.number_tolerance) continue;
      return false;
    }
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      if (options.ignore_array_order) {
        // Each expected item takes one equal answer item; quadratic, fine for the arrays of an answer.
        const unused = [...x];
        for (const item of y) {
          const at = unused.findIndex((candidate) => same(candidate, item, options));
          if (at < 0) return false;
          unused.splice(at, 1);
        }
      } else for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
      continue;
    }
    const keysX = Object.keys(x);
    const keysY = Object.keys(y);
    if (keysX.length !== keysY.length) return false;
    for (const key of keysX) {
      if (!Object.hasOwn(y, key)) return false;
      stack.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The fields scored, with weights: the options', else the expected object's top-level keys. */
function fieldsOf(
  options: JsonEqualsOptions,
  expected: unknown,
): Array<{ name: string; path: Path; weight: number }> | null {
  const { fields } = options;
  if (fields) {
    const entries = Array.isArray(fields) ? fields.map((name) => [name, 1] as const) : Object.entries(fields);
    return entries.map(([name, weight]) => ({ name, path: parseFieldPath(name) as Path, weight }));
  }
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected)) return null;
  const keys = Object.keys(expected);
  return keys.length === 0 ? null : keys.map((key) => ({ name: key, path: [key], weight: 1 }));
}

/** The output's JSON equals the expected JSON, scored per field with weights. */
export const jsonEqualsGrader = defineGraderFamily({
  name: 'json-equals',
  shorthands: [{ type: 'null' }, { const: true }],
  options: jsonEqualsOptions,
  describe: (options) =>
    `json-equals${options.fields ? ` ${(Array.isArray(options.fields) ? options.fields : Object.keys(options.fields)).join(', ')}` : ''}`,
  grade(options, testCase, output) {
    let expected: unknown;
    if (options.value !== undefined) expected = options.value;
    else if (testCase.expected === undefined)
      return { pass: false, score: 0, reason: 'no expected answer for this case', error: true };
    else {
      const parsedExpected = parseJsonOutput(testCase.expected, true);
      if (!parsedExpected.ok)
        return {
          pass: false,
          score: 0,
          reason: `the expected answer is not JSON (${parsedExpected.reason.replace(/^not JSON: /, '')}); fix the case or give value:`,
          error: true,
        };
      expected = parsedExpected.value;
    }
    const parsed = parseJsonOutput(output, options.strip_fences);
    if (!parsed.ok) {
      const start = output.trim().slice(0, 40);
      return {
        pass: false,
        score: 0,
        reason: `the answer is not JSON: ${parsed.reason.replace(/^not JSON: /, '')}${start ? `; it starts ${quote(start)}` : ''}`,
      };
    }
    if (jsonDepth(parsed.value, MAX_DEPTH) > MAX_DEPTH)
      return { pass: false, score: 0, reason: `JSON nested deeper than ${MAX_DEPTH} levels` };
    const fields = fieldsOf(options, expected);
    if (!fields) {
      const pass = same(parsed.value, expected, options);
      return {
        pass,
        score: pass ? 1 : 0,
        reason: pass
          ? 'the answer equals the expected JSON'
          : `expected ${shown(expected)}, got ${shown(parsed.value)}`,
      };
    }
    let total = 0;
    let earned = 0;
    const misses: string[] = [];
    for (const field of fields) {
      total += field.weight;
      const want = valueAtPath(expected, field.path);
      const got = valueAtPath(parsed.value, field.path);
      if (!want.found) {
        misses.push(`${field.name}: not in the expected answer`);
        continue;
      }
      if (!got.found) misses.push(`${field.name} missing`);
      else if (same(got.value, want.value, options)) earned += field.weight;
      else misses.push(`${field.name} is ${shown(got.value)}, expected ${shown(want.value)}`);
    }
    const score = total === 0 ? 0 : earned / total;
    const pass = score >= options.pass_score;
    const matched = fields.length - misses.length;
    const summary = `${matched}/${fields.length} fields match${fields.some((f) => f.weight !== 1) ? ` (weight ${earned} of ${total})` : ''}`;
    return {
      pass,
      score,
      reason:
        misses.length === 0
          ? summary
          : `${summary}; ${misses.slice(0, 3).join('; ')}${misses.length > 3 ? `; +${misses.length - 3} more` : ''}`,
    };
  },
});
