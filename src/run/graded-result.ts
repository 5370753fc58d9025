// The result a lane stores for one (case, repeat): graded from a generation (made now or answered
// from the cache), or an error as data. Whatever the server sent back is redacted like error
// messages: a proxy may echo the key anywhere.
import { gradeCase } from '../grade/grade-output.ts';
import { redactSecrets } from '../providers/api-keys.ts';
import type { Generation } from '../spec/provider.ts';
import type { Result } from '../spec/result.ts';
import type { Case, Workload } from '../spec/workload.ts';
import { type CandidatePricing, callCostUsd } from './call-cost.ts';
import type { CallOutcome } from './call-with-retries.ts';

/** Which result: the run, the candidate, the case and its repeat. */
export interface ResultBase {
  runId: string;
  candidateId: string;
  caseId: string;
  repeat: number;
}

/** A graded result from a generation, made now (`cached: false`) or answered from the cache. */
export function answeredResult(
  workload: Workload,
  base: ResultBase,
  testCase: Case,
  generation: Generation,
  pricing: CandidatePricing,
  how: { cached: boolean; attempts: number; measuredInRun?: string; secrets: readonly string[] },
): Result {
  const { grades, pass } = gradeCase(workload, testCase, generation.text, {
    durationMs: generation.durationMs,
    ttftMs: generation.ttftMs,
    usage: generation.usage,
  });
  const costUsd = callCostUsd(generation.usage, pricing);
  return {
    ...base,
    output: generation.text,
    usage: generation.usage,
    ttftMs: generation.ttftMs,
    durationMs: generation.durationMs,
    finishReason: generation.finishReason,
    error: null,
    grades,
    pass,
    createdAt: new Date().toISOString(),
    attempts: how.attempts,
    ...(how.cached ? { cached: true } : {}),
    ...(how.measuredInRun ? { cachedFromRun: how.measuredInRun } : {}),
    ...(generation.responseModel
      ? { responseModel: redactSecrets(generation.responseModel, how.secrets) }
      : {}),
    ...(generation.requestId ? { requestId: redactSecrets(generation.requestId, how.secrets) } : {}),
    ...(generation.httpStatus === undefined ? {} : { httpStatus: generation.httpStatus }),
    ...(costUsd === undefined ? {} : { costUsd }),
  };
}

/** A call that failed after its retries, stored as an error result (counted apart from quality). */
export function failedResult(
  base: ResultBase,
  outcome: Extract<CallOutcome, { kind: 'failed' }>,
  secrets: readonly string[],
): Result {
  return {
    ...base,
    output: null,
    usage: null,
    ttftMs: null,
    durationMs: null,
    finishReason: null,
    error: { code: outcome.error.code, message: redactSecrets(outcome.error.message, secrets) },
    grades: [],
    pass: false,
    createdAt: new Date().toISOString(),
    attempts: outcome.attempts,
    ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
    ...(outcome.requestId === undefined ? {} : { requestId: redactSecrets(outcome.requestId, secrets) }),
  };
}
