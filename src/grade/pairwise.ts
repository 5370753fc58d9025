import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { awaitingJudge } from './pending-judge.ts';

const pairwiseOptions = z.strictObject({
  /** The candidate every other candidate's output is compared with. */
  against: z.string().min(1),
  /** What "better" means (default: more correct, complete and useful for the input). */
  criteria: z.string().min(1).default('Which answer is more correct, complete and useful for the input?'),
  /** The judge for this grader: a candidate id or a `provider:model` id (default: the workload's judge). */
  judge: z.string().min(1).optional(),
});

/**
 * A judge model prefers one of two outputs; asked twice with the positions swapped, so a judge that
 * favours the first (or second) slot cancels out. Score: 1 preferred both times, 0.5 tie or split, 0 lost.
 */
export const pairwiseGrader = defineGraderFamily({
  name: 'pairwise',
  options: pairwiseOptions,
  describe: (options) => `pairwise vs ${options.against}`,
  grade: () => awaitingJudge,
  judge: {
    prompt: 'pairwise.v1.md',
    reply: 'preference',
    fill: (options, _testCase, output, input) => ({
      criteria: String(options.criteria),
      input,
      output_a: output,
    }),
    against: (options) => options.against as string,
    judge: (options) => options.judge as string | undefined,
    passes: (_options, score) => score >= 0.5,
  },
});
