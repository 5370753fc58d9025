import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const lengthOptions = z
  .strictObject({
    min: z.int().min(0).optional(),
    max: z.int().min(0).optional(),
    /** Count characters (Unicode code points) or words (runs of non-space). */
    unit: z.enum(['chars', 'words']).default('chars'),
  })
  .refine((options) => options.min !== undefined || options.max !== undefined, {
    message: 'give min, max or both',
  })
  .refine((options) => options.min === undefined || options.max === undefined || options.min <= options.max, {
    message: 'min must not exceed max',
  });

function measure(text: string, unit: 'chars' | 'words'): number {
  if (unit === 'words') return text.match(/\S+/g)?.length ?? 0;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The output's length in characters or words lies within bounds. */
export const lengthGrader = defineGraderFamily({
  name: 'length',
  options: lengthOptions,
  describe: (options) => `length ${options.min ?? 0}–${options.max ?? '∞'} ${options.unit}`,
  grade(options, _testCase, output) {
    const length = measure(output, options.unit);
    const tooShort = options.min !== undefined && length < options.min;
    const tooLong = options.max !== undefined && length > options.max;
    const pass = !tooShort && !tooLong;
    return {
      pass,
      score: pass ? 1 : 0,
      reason: `${length} ${options.unit}${tooShort ? `, fewer than ${options.min}` : ''}${tooLong ? `, more than ${options.max}` : ''}`,
    };
  },
});
