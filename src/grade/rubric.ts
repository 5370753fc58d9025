import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { awaitingJudge } from './pending-judge.ts';

const rubricOptions = z.preprocess(
  (raw) => (typeof raw === 'string' ? { rubric: raw } : raw),
  z.strictObject({
    /** What a good answer does, in the team's words. */
    rubric: z.string().min(1),
    /** Smallest judge score that passes (default 0.5). */
    threshold: z.number().min(0).max(1).default(0.5),
    /** The judge for this grader: a candidate id or a `provider:model` id (default: the workload's judge). */
    judge: z.string().min(1).optional(),
  }),
);

/** A judge model scores the output against a rubric, returning { score, reason } as a structured object. */
export const rubricGrader = defineGraderFamily({
  name: 'rubric',
  shorthands: [{ type: 'string', minLength: 1 }],
  options: rubricOptions,
  describe: (options) =>
    `rubric "${options.rubric.length > 30 ? `${options.rubric.slice(0, 29)}…` : options.rubric}"`,
  grade: () => awaitingJudge,
  judge: {
    prompt: 'rubric.v1.md',
    reply: 'score',
    fill: (options, _testCase, output, input) => ({ rubric: String(options.rubric), input, output }),
    judge: (options) => options.judge as string | undefined,
    passes: (options, score) => score >= (options.threshold as number),
  },
});
