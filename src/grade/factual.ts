import { z } from 'zod';
import { defineGraderFamily } from './family.ts';
import { awaitingJudge } from './pending-judge.ts';

const factualOptions = z.preprocess(
  (raw) => (raw === null || raw === true ? {} : typeof raw === 'string' ? { reference: raw } : raw),
  z.strictObject({
    /** The reference answer; the case's expected answer when absent. */
    reference: z.string().min(1).optional(),
    /** Smallest judge score that passes (default 1: no contradiction, main fact present). */
    threshold: z.number().min(0).max(1).default(1),
    /** The judge for this grader: a candidate id or a `provider:model` id (default: the workload's judge). */
    judge: z.string().min(1).optional(),
  }),
);

/** A judge model checks that the output is factually consistent with a reference answer. */
export const factualGrader = defineGraderFamily({
  name: 'factual',
  shorthands: [{ type: 'string', minLength: 1 }, { type: 'null' }, { const: true }],
  options: factualOptions,
  describe: () => 'factual consistency',
  grade: (options, testCase) =>
    options.reference === undefined && testCase.expected === undefined
      ? { pass: false, score: 0, reason: 'no reference answer for this case' }
      : awaitingJudge,
  judge: {
    prompt: 'factual.v1.md',
    reply: 'score',
    fill: (options, testCase, output, input) => ({
      reference: String(options.reference ?? testCase.expected ?? ''),
      input,
      output,
    }),
    judge: (options) => options.judge as string | undefined,
    passes: (options, score) => score >= (options.threshold as number),
  },
});
