import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { normalisationFields, normalise } from './normalise.ts';

// Levenshtein is quadratic; texts beyond this many characters are compared on their first part,
// and the reason says so.
const MAX_CHARS = 4_000;

/** Levenshtein distance over UTF-16 code units, two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const code = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (code === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/** 1 − distance / longer length: 1 for equal texts, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - levenshtein(a, b) / longer;
}

const similarityOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'number' ? { threshold: raw } : raw),
  z.strictObject({
    /** The text to compare with; the case's expected answer when absent. */
    value: z.string().optional(),
    /** Smallest similarity that passes, in [0, 1] (default 0.8). */
    threshold: z.number().min(0).max(1).default(0.8),
    ...normalisationFields(),
  }),
);

/** The output is close to the expected answer by normalised Levenshtein similarity; the score is the similarity. */
export const similarityGrader = defineGraderFamily({
  name: 'similarity',
  shorthands: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'null' }, { const: true }],
  options: similarityOptions,
  describe: (options) => `similarity ≥ ${options.threshold}`,
  grade(options, testCase, output) {
    const expected = options.value ?? testCase.expected;
    if (expected === undefined) return { pass: false, score: 0, reason: 'no expected answer for this case' };
    const a = normalise(output, options);
    const b = normalise(expected, options);
    // Length alone bounds the similarity; a far longer output fails without the quadratic work.
    const bound = 1 - Math.abs(a.length - b.length) / Math.max(a.length, b.length, 1);
    if (bound < options.threshold) {
      return {
        pass: false,
        score: Math.max(0, bound),
        reason: `similarity at most ${bound.toFixed(2)} (lengths ${a.length} and ${b.length}), below ${options.threshold}`,
      };
    }
    const cut = a.length > MAX_CHARS || b.length > MAX_CHARS;
    const score = similarity(a.slice(0, MAX_CHARS), b.slice(0, MAX_CHARS));
    const pass = score >= options.threshold;
    return {
      pass,
      score,
      reason: `similarity ${score.toFixed(2)} ${pass ? '≥' : '<'} ${options.threshold}${cut ? ` (first ${MAX_CHARS} characters)` : ''}`,
    };
  },
});
