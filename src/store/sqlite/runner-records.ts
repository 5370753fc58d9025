// What the runner needs from the SQLite store beyond one result at a time: batched writes (one
// transaction per batch), the content-addressed response cache, the cases of a run paged by
// position (with their own graders), and which results a run already has — for resume.
import type Database from 'better-sqlite3';
import type { Result } from '../../spec/result.ts';
import type { Case, GraderSpec } from '../../spec/workload.ts';
import { generationOf } from '../result-columns.ts';
import { runTallySql, tallyOf } from '../run-tally.ts';
import {
  type CachedGeneration,
  type CacheEntry,
  type ResultState,
  type RunnerStore,
  resultStateKey,
} from '../runner-store.ts';
import type { InsertResults } from './result-inserts.ts';
import type { ResultJournal } from './result-journal.ts';

export { resultExtras } from '../result-columns.ts';

/** `journal`: a file store's, through which fresh answers are made durable before they are batched. */
export function createRunnerRecords(
  db: Database.Database,
  insertResults: InsertResults,
  journal: ResultJournal | undefined,
): Omit<RunnerStore, 'claimRun'> {
  // The generation a cached answer replays, rebuilt from its result row (absent fields are null).
  const publishCandidate = db.prepare(
    `INSERT OR IGNORE INTO response_cache (key, model, generation_json, created_at)
     SELECT cache_key, @model, json_object(
         'text', output,
         'usage', json_object('inputTokens', input_tokens, 'outputTokens', output_tokens,
           'source', token_source, 'cachedInputTokens', cached_input_tokens,
           'reasoningTokens', reasoning_tokens),
         'ttftMs', ttft_ms, 'durationMs', duration_ms, 'finishReason', finish_reason,
         'responseModel', response_model, 'httpStatus', http_status, 'requestId', request_id,
         'runId', run_id),
       created_at
     FROM results
     -- The unary + keeps the planner on the id range rather than every result of the candidate.
     WHERE +run_id = @runId AND +candidate_id = @candidateId AND id > @after AND id <= @upTo
       AND cache_key IS NOT NULL AND error_code IS NULL
     ORDER BY cache_key`,
  );
  // Result ids only grow, and a publish runs in a write transaction, so one watermark covers every
  // run: what is above it was stored since the last publish, by this process or another, or by a
  // run that crashed before publishing.
  const publishedTo = db.prepare("SELECT value FROM store_state WHERE name = 'cache_published_to'");
  const newestResult = db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM results');
  const unpublished = db.prepare(
    'SELECT DISTINCT run_id, candidate_id FROM results WHERE id > ? AND id <= ? AND cache_key IS NOT NULL',
  );
  const workloadOf = db.prepare('SELECT workload_json FROM runs WHERE id = ?');
  const markPublished = db.prepare("UPDATE store_state SET value = ? WHERE name = 'cache_published_to'");
  const insertCase = db.prepare(
    `INSERT OR REPLACE INTO cases (run_id, case_id, position, vars_json, expected, tags_json, source, graders_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const casePage = db.prepare(
    `SELECT case_id, position, vars_json, expected, tags_json, source, graders_json FROM cases
     WHERE run_id = ? AND position > ? ORDER BY position LIMIT ?`,
  );
  const states = db.prepare(
    `SELECT case_id, repeat, error_code FROM results
     WHERE run_id = ? AND candidate_id = ? AND case_id IN (SELECT value FROM json_each(?))`,
  );
  const cacheLookup = db.prepare(
    'SELECT key, generation_json FROM response_cache WHERE key IN (SELECT value FROM json_each(?))',
  );

  const saveRunCases = db.transaction((runId: string, cases: readonly Case[], firstPosition: number) => {
    cases.forEach((testCase, index) => {
      insertCase.run(
        runId,
        testCase.id,
        firstPosition + index,
        JSON.stringify(testCase.vars),
        testCase.expected ?? null,
        JSON.stringify(testCase.tags),
        testCase.source,
        testCase.graders && testCase.graders.length > 0 ? JSON.stringify(testCase.graders) : null,
      );
    });
  });

  const publish = db.transaction(() => {
    const after = (publishedTo.get() as { value: number }).value;
    const upTo = (newestResult.get() as { id: number }).id;
    if (upTo <= after) return 0;
    const models = new Map<string, Map<string, string>>();
    let published = 0;
    for (const { run_id: runId, candidate_id: candidateId } of unpublished.all(after, upTo) as Array<{
      run_id: string;
      candidate_id: string;
    }>) {
      let byCandidate = models.get(runId);
      if (!byCandidate) {
        const row = workloadOf.get(runId) as { workload_json: string };
        const { candidates = [] } = JSON.parse(row.workload_json) as {
          candidates?: Array<{ id: string; model: string }>;
        };
        byCandidate = new Map(candidates.map((candidate) => [candidate.id, candidate.model]));
        models.set(runId, byCandidate);
      }
      published += publishCandidate.run({
        model: byCandidate.get(candidateId) ?? candidateId,
        runId,
        candidateId,
        after,
        upTo,
      }).changes;
    }
    markPublished.run(upTo);
    return published;
  });

  return {
    async publishResponseCache() {
      // IMMEDIATE: it reads the results before it writes, and a commit by the writer thread between
      // the two would void the snapshot (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out).
      return publish.immediate();
    },
    async saveResults(results, cacheEntries = [], options = {}) {
      insertResults(results, cacheEntries, options.replaceErrors ?? false);
      journal?.committed(results);
    },
    ...(journal && {
      logResults(results: readonly Result[], cacheEntries: readonly CacheEntry[] = [], options = {}) {
        journal.append(results, cacheEntries, options.replaceErrors ?? false);
      },
    }),
    async cachedGenerations(keys) {
      const found = new Map<string, CachedGeneration>();
      if (keys.length === 0) return found;
      for (const row of cacheLookup.all(JSON.stringify(keys)) as Array<{
        key: string;
        generation_json: string;
      }>) {
        found.set(row.key, generationOf(row.generation_json));
      }
      return found;
    },
    async saveRunCases(runId, cases, firstPosition) {
      saveRunCases(runId, cases, firstPosition);
    },
    async runCasePage(runId, afterPosition, limit) {
      const rows = casePage.all(runId, afterPosition, limit) as Array<{
        case_id: string;
        position: number;
        vars_json: string;
        expected: string | null;
        tags_json: string;
        source: string;
        graders_json: string | null;
      }>;
      return rows.map((row) => ({
        id: row.case_id,
        position: row.position,
        vars: JSON.parse(row.vars_json) as Record<string, string>,
        tags: JSON.parse(row.tags_json) as string[],
        source: row.source,
        ...(row.expected === null ? {} : { expected: row.expected }),
        ...(row.graders_json ? { graders: JSON.parse(row.graders_json) as GraderSpec[] } : {}),
      }));
    },
    async resultStates(runId, candidateId, caseIds) {
      const map = new Map<string, ResultState>();
      if (caseIds.length === 0) return map;
      const rows = states.all(runId, candidateId, JSON.stringify(caseIds)) as Array<{
        case_id: string;
        repeat: number;
        error_code: string | null;
      }>;
      for (const row of rows)
        map.set(resultStateKey(row.case_id, row.repeat), row.error_code ? 'error' : 'ok');
      return map;
    },
    async updateRun(runId, fields) {
      if (fields.status !== undefined)
        db.prepare('UPDATE runs SET status = ? WHERE id = ?').run(fields.status, runId);
      if (fields.plannedResults !== undefined)
        db.prepare('UPDATE runs SET planned_results = ? WHERE id = ?').run(fields.plannedResults, runId);
      if (fields.repeats !== undefined)
        db.prepare('UPDATE runs SET repeats = ? WHERE id = ?').run(fields.repeats, runId);
      if (fields.clearFinishedAt) db.prepare('UPDATE runs SET finished_at = NULL WHERE id = ?').run(runId);
      if (fields.settings !== undefined)
        db.prepare('UPDATE runs SET settings_json = ? WHERE id = ?').run(
          JSON.stringify(fields.settings),
          runId,
        );
    },
    async runTally(runId) {
      return tallyOf(db.prepare(runTallySql('?')).all(runId));
    },
    async runRepeats(runId) {
      const row = db.prepare('SELECT repeats FROM runs WHERE id = ?').get(runId) as
        | { repeats: number }
        | undefined;
      return row?.repeats ?? 1;
    },
  };
}
