import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { awaitingJudge } from './pending-judge.ts';

const closedQaOptions = z.preprocess(
  (raw) => (typeof raw === 'string' ? { criteria: raw } : raw),
  z.strictObject({
    /** The yes/no criterion the answer must meet ("names the order number", "declines politely"). */
    criteria: z.string().min(1),
    /** The judge for this grader: a candidate id or a `provider:model` id (default: the workload's judge). */
    judge: z.string().min(1).optional(),
  }),
);

/** A judge model answers yes or no: does the output meet the criterion? */
export const closedQaGrader = defineGraderFamily({
  name: 'closed-qa',
  shorthands: [{ type: 'string', minLength: 1 }],
  options: closedQaOptions,
  describe: (options) =>
    `closed-qa "${options.criteria.length > 30 ? `${options.criteria.slice(0, 29)}…` : options.criteria}"`,
  grade: () => awaitingJudge,
  judge: {
    prompt: 'closed-qa.v1.md',
    reply: 'score',
    fill: (options, _testCase, output, input) => ({ criteria: String(options.criteria), input, output }),
    judge: (options) => options.judge as string | undefined,
    passes: (_options, score) => score >= 0.5,
  },
});
