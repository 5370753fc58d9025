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

export type PairwiseWinner = 'A' | 'B' | 'TIE';

/**
 * The score of one pairwise comparison from its two asks: first with the graded output as answer A,
 * then with it as answer B. Preferred both times 1, lost both times 0; anything else — a tie, a split
 * (won one, tied the other), or the same slot picked twice (position bias) — 0.5, as docs/graders.md
 * says: a single win the judge does not repeat in the other order is no evidence of a preference.
 */
export function pairwiseScore(
  first: PairwiseWinner,
  second: PairwiseWinner,
): { score: number; outcome: 'won' | 'lost' | 'tie' | 'split' | 'position bias' } {
  const won = (first === 'A' ? 1 : 0) + (second === 'B' ? 1 : 0);
  const lost = (first === 'B' ? 1 : 0) + (second === 'A' ? 1 : 0);
  if (won === 2) return { score: 1, outcome: 'won' };
  if (lost === 2) return { score: 0, outcome: 'lost' };
  if (won === 1 && lost === 1) return { score: 0.5, outcome: 'position bias' };
  if (won + lost === 1) return { score: 0.5, outcome: 'split' };
  return { score: 0.5, outcome: 'tie' };
}

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
