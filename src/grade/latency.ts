import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const latencyOptions = z.preprocess(
  (raw) => (typeof raw === 'number' ? { max_ms: raw } : raw),
  z.strictObject({
    /** Largest accepted latency in milliseconds. */
    max_ms: z.number().positive(),
    /** `e2e`: the whole call; `ttft`: time to the first token. */
    metric: z.enum(['e2e', 'ttft']).default('e2e'),
  }),
);

/** The call answered within a latency bound (end to end, or to the first token). */
export const latencyGrader = defineGraderFamily({
  name: 'latency',
  shorthands: [{ type: 'number', exclusiveMinimum: 0 }],
  options: latencyOptions,
  describe: (options) => `latency ${options.metric} ≤ ${options.max_ms} ms`,
  grade(options, _testCase, _output, context) {
    const measured = options.metric === 'ttft' ? context.ttftMs : context.durationMs;
    if (measured === undefined || measured === null || !Number.isFinite(measured)) {
      return { pass: false, score: 0, reason: `no ${options.metric} measured for this call`, error: true };
    }
    const pass = measured <= options.max_ms;
    return {
      pass,
      score: pass ? 1 : 0,
      reason: `${options.metric} ${Math.round(measured)} ms ${pass ? '≤' : '>'} ${options.max_ms} ms`,
    };
  },
});
