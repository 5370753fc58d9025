import { z } from 'zod';
import type { GraderSpec } from '../spec/workload.ts';
import { defineGraderFamily } from './family.ts';
import { parseGraderEntry } from './grader-entry.ts';
import { graderFamilies } from './registry.ts';

// The entry parser and the registry are used only inside functions: the registry lists this family,
// so they form an import cycle that must not be touched while modules load.
const notOptions = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((entry, context) => parseGraderEntry(entry, context))
  .pipe(z.custom<GraderSpec>())
  .superRefine((inner, context) => {
    if (graderFamilies.get(inner.type)?.judge) {
      context.addIssue({
        code: 'custom',
        message: '`not` takes deterministic graders only, not model-graded ones',
      });
    }
  })
  .transform((inner) => ({ inner }));

/** Passes when the inner grader fails: `- not: { contains: "as an AI" }`. */
export const notGrader = defineGraderFamily({
  name: 'not',
  shorthands: [{ type: 'string' }, { type: 'object' }],
  options: notOptions as unknown as z.ZodType<{ inner: GraderSpec }>,
  describe: ({ inner }) => `not ${graderFamilies.get(inner.type)?.describe(inner.options) ?? inner.type}`,
  grade({ inner }, testCase, output, context) {
    const family = graderFamilies.get(inner.type);
    if (!family) return { pass: false, score: 0, reason: `unknown grader ${inner.type}`, error: true };
    const outcome = family.grade(inner.options, testCase, output, context);
    if (outcome.error) return outcome;
    return { pass: !outcome.pass, score: 1 - outcome.score, reason: `not: ${outcome.reason}` };
  },
});
