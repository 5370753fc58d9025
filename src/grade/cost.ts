import { z } from 'zod';
import { defineGraderFamily } from './family.ts';

const costOptions = z.strictObject({
  /** Largest accepted cost of one call in USD. */
  max_usd: z.number().positive(),
  /** USD per million input tokens, the grader's own so its verdict is reproducible. */
  input_per_mtok: z.number().min(0),
  /** USD per million output tokens. */
  output_per_mtok: z.number().min(0),
  /** USD per million cached input tokens (default: the input price). */
  cached_input_per_mtok: z.number().min(0).optional(),
});

/** One call's token cost, at the grader's stated prices, stays under a bound. */
export const costGrader = defineGraderFamily({
  name: 'cost',
  options: costOptions,
  describe: (options) => `cost ≤ $${options.max_usd}`,
  grade(options, _testCase, _output, context) {
    const usage = context.usage;
    if (!usage) return { pass: false, score: 0, reason: 'no token usage for this call', error: true };
    const cached = usage.cachedInputTokens ?? 0;
    const cost =
      (Math.max(0, usage.inputTokens - cached) * options.input_per_mtok +
        cached * (options.cached_input_per_mtok ?? options.input_per_mtok) +
        usage.outputTokens * options.output_per_mtok) /
      1e6;
    const pass = cost <= options.max_usd;
    return {
      pass,
      score: pass ? 1 : 0,
      reason: `$${cost.toPrecision(3)} ${pass ? '≤' : '>'} $${options.max_usd} (${usage.inputTokens} in, ${usage.outputTokens} out)`,
    };
  },
});
