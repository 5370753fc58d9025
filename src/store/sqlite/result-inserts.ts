// The one way results reach a SQLite store's tables: a batch of results (with their grades and the
// cache keys of fresh answers) in one write transaction — the runner's batches, and a dead
// process's journal replayed (result-journal.ts).
import type Database from 'better-sqlite3';
import type { Grade, Result } from '../../spec/result.ts';
import type { CacheEntry } from '../runner-store.ts';

/** The store's one grade insert, shared with the judge's grade records. */
export const INSERT_GRADE_SQL =
  'INSERT INTO grades (result_id, position, grader, pass, score, reason, error) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** A result's grades, in order, through the statement of INSERT_GRADE_SQL (after any old ones are deleted). */
export function insertGrades(
  insertGrade: Database.Statement,
  resultId: number | bigint,
  grades: readonly Grade[],
): void {
  grades.forEach((grade, position) => {
    insertGrade.run(
      resultId,
      position,
      grade.grader,
      grade.pass ? 1 : 0,
      grade.score,
      grade.reason,
      grade.error ? 1 : 0,
    );
  });
}

/** Returns how many results entered the tables. */
export type InsertResults = (
  results: readonly Result[],
  entries: readonly CacheEntry[],
  replaceErrors: boolean,
) => number;

/**
 * With `replaceErrors` (--retry-errors), a result replaces the error stored under its key. With
 * `keepStored` (a journal's replay), a result whose key is already stored is skipped, not an error.
 */
export function createResultInserts(
  db: Database.Database,
  options: { keepStored?: boolean } = {},
): InsertResults {
  const deleteErrored = db.prepare(
    `DELETE FROM results WHERE run_id = ? AND candidate_id = ? AND case_id = ? AND repeat = ? AND error_code IS NOT NULL`,
  );
  const insertResult = db.prepare(
    `INSERT ${options.keepStored ? 'OR IGNORE ' : ''}INTO results (run_id, candidate_id, case_id, repeat, output, input_tokens, output_tokens,
       cached_input_tokens, reasoning_tokens, token_source, ttft_ms, duration_ms, finish_reason,
       error_code, error_message, pass, created_at, cached, attempts, response_model, request_id,
       http_status, cost_usd, cache_key, cached_from_run)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGrade = db.prepare(INSERT_GRADE_SQL);

  const insert = db.transaction(
    (results: readonly Result[], entries: readonly CacheEntry[], replace: boolean) => {
      const keys = new Map<Result, string>();
      for (const entry of entries) keys.set(entry.result, entry.key);
      let inserted = 0;
      for (const result of results) {
        if (replace) deleteErrored.run(result.runId, result.candidateId, result.caseId, result.repeat);
        const { changes, lastInsertRowid } = insertResult.run(
          result.runId,
          result.candidateId,
          result.caseId,
          result.repeat,
          result.output,
          result.usage?.inputTokens ?? null,
          result.usage?.outputTokens ?? null,
          result.usage?.cachedInputTokens ?? null,
          result.usage?.reasoningTokens ?? null,
          result.usage?.source ?? null,
          result.ttftMs,
          result.durationMs,
          result.finishReason,
          result.error?.code ?? null,
          result.error?.message ?? null,
          result.pass ? 1 : 0,
          result.createdAt,
          result.cached ? 1 : 0,
          result.attempts ?? null,
          result.responseModel ?? null,
          result.requestId ?? null,
          result.httpStatus ?? null,
          result.costUsd ?? null,
          keys.get(result) ?? null,
          result.cachedFromRun ?? null,
        );
        if (changes === 0) continue;
        inserted++;
        insertGrades(insertGrade, lastInsertRowid, result.grades);
      }
      return inserted;
    },
  );
  // IMMEDIATE: the write lock is taken (waiting on the busy timeout) before anything is read, so a
  // commit by another connection — the writer thread, another process — never voids the snapshot.
  return (results, entries, replace) => insert.immediate(results, entries, replace);
}
