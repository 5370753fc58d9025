// A stored result of run "r", candidate "c": answered, graded by equals, passed — with the fields a
// test cares about given as overrides.
import type { Result } from '../../src/spec/result.ts';

export function resultFixture(caseId: string, overrides: Partial<Result> = {}): Result {
  return {
    runId: 'r',
    candidateId: 'c',
    caseId,
    repeat: 0,
    output: `ok ${caseId}`,
    usage: { inputTokens: 3, outputTokens: 1, source: 'server' },
    ttftMs: 1,
    durationMs: 2,
    finishReason: 'stop',
    error: null,
    grades: [{ grader: 'equals', pass: true, score: 1, reason: 'equal' }],
    pass: true,
    createdAt: '2026-12-04T10:00:00.000Z',
    ...overrides,
  };
}
