import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const regexOptions = z
  .preprocess(
    (raw) => (typeof raw === 'string' ? { pattern: raw } : raw),
    z.strictObject({
      pattern: z.string().min(1),
      flags: z
        .string()
        .regex(/^[imsu]*$/, 'flags may only be i, m, s, u')
        .default(''),
    }),
  )
  .superRefine((options, context) => {
    try {
      new RegExp(options.pattern, options.flags);
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['pattern'], message: (error as Error).message });
    }
  });

/** The output matches a regular expression. */
export const regexGrader = defineGraderFamily({
  name: 'regex',
  shorthands: [{ type: 'string', minLength: 1 }],
  options: regexOptions,
  describe: (options) => `regex /${options.pattern}/${options.flags}`,
  grade(options, _testCase, output) {
    const pass = new RegExp(options.pattern, options.flags).test(output);
    return {
      pass,
      score: pass ? 1 : 0,
      reason: pass ? 'output matches the pattern' : `output does not match /${options.pattern}/`,
    };
  },
});
