// Columns both stores keep alike: a result row's optional runner fields, and a cached generation
// rebuilt from the JSON a publish wrote; a result and a run from their rows.
import type { Grade, Result, RunRecord, RunSettings, RunStatus } from '../spec/result.ts';
import type { CachedGeneration } from './runner-store.ts';

interface ExtraColumns {
  cached: number | null;
  attempts: number | null;
  response_model: string | null;
  request_id: string | null;
  http_status: number | null;
  cost_usd: number | null;
  cached_from_run: string | null;
}

/** The runner's optional result fields from a results row. */
export function resultExtras(row: unknown): Partial<Result> {
  const r = row as ExtraColumns;
  return {
    ...(r.cached ? { cached: true } : {}),
    ...(r.attempts === null || r.attempts === undefined ? {} : { attempts: r.attempts }),
    ...(r.response_model ? { responseModel: r.response_model } : {}),
    ...(r.request_id ? { requestId: r.request_id } : {}),
    ...(r.http_status === null || r.http_status === undefined ? {} : { httpStatus: r.http_status }),
    ...(r.cost_usd === null || r.cost_usd === undefined ? {} : { costUsd: r.cost_usd }),
    ...(r.cached_from_run ? { cachedFromRun: r.cached_from_run } : {}),
  };
}

/** A cached generation: entries published from result rows carry nulls where a field was absent. */
export function generationOf(json: string): CachedGeneration {
  const generation = JSON.parse(json) as CachedGeneration & Record<string, unknown>;
  for (const field of ['responseModel', 'httpStatus', 'requestId', 'rateLimit'] as const)
    if (generation[field] === null) delete generation[field];
  // Entries published before migration 9 do not say which run measured them.
  const { runId } = generation as { runId?: string | null };
  delete generation.runId;
  if (runId) generation.measuredInRun = runId;
  const usage = generation.usage as CachedGeneration['usage'] & Record<string, unknown>;
  for (const field of ['cachedInputTokens', 'reasoningTokens'] as const)
    if (usage[field] === null) delete usage[field];
  return generation;
}

export interface ResultRow {
  id: number;
  run_id: string;
  candidate_id: string;
  case_id: string;
  repeat: number;
  output: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  reasoning_tokens: number | null;
  token_source: 'server' | 'tokenizer' | null;
  ttft_ms: number | null;
  duration_ms: number | null;
  finish_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  pass: number;
  created_at: string;
}

export interface RunRow {
  id: string;
  workload_name: string;
  workload_file: string;
  workload_json: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  planned_results: number;
  settings_json: string | null;
}

export function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    workloadName: row.workload_name,
    workloadFile: row.workload_file,
    workloadJson: row.workload_json,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    plannedResults: row.planned_results,
    ...(row.settings_json ? { settings: JSON.parse(row.settings_json) as RunSettings } : {}),
  };
}

/** A result from its row and its grades. */
export function resultOfRow(row: ResultRow, grades: Grade[]): Result {
  return {
    runId: row.run_id,
    candidateId: row.candidate_id,
    caseId: row.case_id,
    repeat: row.repeat,
    output: row.output,
    usage:
      row.input_tokens === null || row.output_tokens === null
        ? null
        : {
            inputTokens: row.input_tokens,
            outputTokens: row.output_tokens,
            source: row.token_source ?? 'server',
            ...(row.cached_input_tokens === null ? {} : { cachedInputTokens: row.cached_input_tokens }),
            ...(row.reasoning_tokens === null ? {} : { reasoningTokens: row.reasoning_tokens }),
          },
    ttftMs: row.ttft_ms,
    durationMs: row.duration_ms,
    finishReason: row.finish_reason,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    grades,
    pass: row.pass === 1,
    createdAt: row.created_at,
    ...resultExtras(row),
  };
}
