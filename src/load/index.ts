// The load part's public surface (DESIGN §3 "load").
export { arrivalSchedule, describeArrival, interArrivalGaps, validateArrival } from './arrivals.ts';
export { type FindMaxRateOptions, findMaxRate, type MaxRateResult, type RateStep } from './find-max-rate.ts';
export { createHttpTransport } from './http-transport.ts';
export { LatencyHistogram } from './latency-histogram.ts';
export {
  type LoadOutcomeKind,
  type LoadResult,
  loadOutcome,
  loadTestsOf,
  maxRateWithinSlo,
  newLoadTestId,
  sloOf,
  toLoadTestRecord,
} from './load-record.ts';
export {
  type LoadTargetFlags,
  type ResolvedLoadTarget,
  resolveLoadTarget,
} from './load-target.ts';
export {
  parseArrival,
  parseDurationMs,
  parseLengthDistribution,
  parseSweepValues,
} from './parse-load-values.ts';
export { createPromptSource, describeLength, drawLength, estimateTokens } from './prompts.ts';
export { createProviderTransport, type ProviderTransportOptions } from './provider-transport.ts';
export { createRandom, type Random } from './random.ts';
export { renderLoadTest, renderMaxRate, renderSweep } from './render-load-test.ts';
export { runLoadTest } from './run-load-test.ts';
export { evaluateSloBounds, formatSlo, parseSlo, requestMeetsSlo } from './slo.ts';
export { judgeStep, type StepVerdict, type StepVerdictOptions } from './step-verdict.ts';
export {
  type StreamHandle,
  type StreamOutcome,
  type StreamRequest,
  streamChatCompletion,
} from './stream-request.ts';
export { runSweep, type StepBase, type SweepOptions, type SweepResult, type SweepStep } from './sweep.ts';
export type * from './types.ts';
