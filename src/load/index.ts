// The load part's public surface (DESIGN §3 "load").
export { arrivalSchedule, describeArrival, interArrivalGaps, validateArrival } from './arrivals.ts';
export { LatencyHistogram } from './latency-histogram.ts';
export { createPromptSource, describeLength, drawLength, estimateTokens } from './prompts.ts';
export { createRandom, type Random } from './random.ts';
export { runLoadTest } from './run-load-test.ts';
export { evaluateSloBounds, formatSlo, parseSlo, requestMeetsSlo } from './slo.ts';
export { type StreamHandle, type StreamOutcome, type StreamRequest, streamChatCompletion } from './stream-request.ts';
export type * from './types.ts';
