import { z } from 'zod';
import { defineGraderFamily, type GraderFamily } from './family.ts';
import { describeNormalisation, normalisationFields, normalise, quote } from './normalise.ts';

function containsOptions(ignoreCase: boolean) {
  return z.preprocess(
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
      mode: z.enum(['any', 'all']).default('any'),
      ...normalisationFields({ ignore_case: ignoreCase, trim: false }),
    }),
  );
}

const shorthands = [
  { type: 'string' },
  { type: 'array', items: { type: 'string' }, minItems: 1 },
  { type: 'null' },
  { const: true },
];

function containsFamily(name: string, ignoreCase: boolean): GraderFamily {
  return defineGraderFamily({
    name,
    shorthands,
    options: containsOptions(ignoreCase),
    describe: (options) => `${name} ${options.mode}${ignoreCase ? '' : describeNormalisation(options)}`,
    grade(options, testCase, output) {
      const needles = options.values ?? (testCase.expected === undefined ? [] : [testCase.expected]);
      if (needles.length === 0) return { pass: false, score: 0, reason: 'no expected answer for this case' };
      const haystack = normalise(output, options);
      const found = needles.filter((needle) => haystack.includes(normalise(needle, options)));
      const pass = options.mode === 'all' ? found.length === needles.length : found.length > 0;
      const missing = needles.filter((needle) => !found.includes(needle));
      return {
        pass,
        score: found.length / needles.length,
        reason: pass
          ? `found ${found.map((text) => quote(text)).join(', ')}`
          : `missing ${missing.map((text) => quote(text)).join(', ')}`,
      };
    },
  });
}

/** The output contains the expected answer (or any / all of the given texts). */
export const containsGrader = containsFamily('contains', false);

/** `contains` ignoring case. */
export const icontainsGrader = containsFamily('icontains', true);
