// A stored result of run "r", candidate "c": answered, graded by equals, passed — with the fields a
// test cares about given as overrides.
import type { Result, RunRecord } from '../../src/spec/result.ts';

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

/** Run "r" of candidate "c" (model openai:m), running, as the store records it: the run resultFixture's results belong to. */
export function runFixture(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'r',
    workloadName: 'w',
    workloadFile: '/w.yaml',
    workloadJson: JSON.stringify({ candidates: [{ id: 'c', model: 'openai:m' }] }),
    status: 'running',
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: null,
    plannedResults: 10,
    ...overrides,
  };
}
