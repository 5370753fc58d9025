import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { quote } from './normalise.ts';

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?/;

/** The first number in a text ("about 1,234.5 units" → 1234.5), or NaN. */
export function firstNumber(text: string): number {
  // Only the first 10,000 characters are searched: a number is near the start of an answer.
  const match = NUMBER.exec(text.length > 10_000 ? text.slice(0, 10_000) : text);
  return match ? Number(match[0].replace(/,/g, '')) : Number.NaN;
}

const numericOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'number' ? { value: raw } : raw),
  z.strictObject({
    /** The number to match; the case's expected answer when absent. */
    value: z.number().optional(),
    /** Largest accepted |output − value| (default 0 unless rel_tol is set). */
    abs_tol: z.number().min(0).optional(),
    /** Largest accepted |output − value| / |value|. */
    rel_tol: z.number().min(0).optional(),
    /** `first`: the first number in the output; `whole`: the whole output must be a number. */
    extract: z.enum(['first', 'whole']).default('first'),
  }),
);

/** The output's number is within an absolute or relative tolerance of the expected number. */
export const numericGrader = defineGraderFamily({
  name: 'numeric',
  shorthands: [{ type: 'number' }, { type: 'null' }, { const: true }],
  options: numericOptions,
  describe: (options) =>
    `numeric${options.abs_tol !== undefined ? ` ±${options.abs_tol}` : ''}${options.rel_tol !== undefined ? ` ±${options.rel_tol * 100}%` : ''}`,
  grade(options, testCase, output) {
    const expected =
      options.value ?? (testCase.expected === undefined ? Number.NaN : firstNumber(testCase.expected));
    if (Number.isNaN(expected)) return { pass: false, score: 0, reason: 'no expected number for this case' };
    const trimmed = output.trim();
    const actual =
      options.extract === 'whole'
        ? trimmed === ''
          ? Number.NaN
          : Number(trimmed.replace(/,/g, ''))
        : firstNumber(output);
    if (!Number.isFinite(actual))
      return { pass: false, score: 0, reason: `no number in ${quote(output, 40)}` };
    const error = Math.abs(actual - expected);
    const allowed = Math.max(options.abs_tol ?? 0, (options.rel_tol ?? 0) * Math.abs(expected));
    const pass = error <= allowed;
    return {
      pass,
      score: pass ? 1 : 0,
      reason: `${actual} vs ${expected}: off by ${Number(error.toPrecision(6))}${pass ? '' : `, more than ${Number(allowed.toPrecision(6))}`}`,
    };
  },
});
