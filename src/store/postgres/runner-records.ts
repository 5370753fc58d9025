// The runner's part of the Postgres store: batched writes in one transaction, the response cache
// shared by every worker, a run's cases paged by position, result states for resume, and the claim
// that lets one process at a time work on a run.
import { hostname } from 'node:os';
import type pg from 'pg';
import { VerdictError } from '../../spec/errors.ts';
import type { Result } from '../../spec/result.ts';
import type { GraderSpec } from '../../spec/workload.ts';
import { generationOf } from '../result-columns.ts';
import { runTallySql, tallyOf } from '../run-tally.ts';
import {
  type CachedGeneration,
  type CacheEntry,
  type ResultState,
  type RunClaim,
  type RunnerStore,
  resultStateKey,
} from '../runner-store.ts';
import { createClient, transaction } from './connection.ts';

const RESULT_COLUMNS = [
  'run_id',
  'candidate_id',
  'case_id',
  'repeat',
  'output',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'token_source',
  'ttft_ms',
  'duration_ms',
  'finish_reason',
  'error_code',
  'error_message',
  'pass',
  'created_at',
  'cached',
  'attempts',
  'response_model',
  'request_id',
  'http_status',
  'cost_usd',
  'cache_key',
  'cached_from_run',
] as const;
const RESULT_TYPES = [
  'text',
  'text',
  'text',
  'int',
  'text',
  'int',
  'int',
  'int',
  'int',
  'text',
  'float8',
  'float8',
  'text',
  'text',
  'text',
  'int',
  'text',
  'int',
  'int',
  'text',
  'text',
  'int',
  'float8',
  'text',
  'text',
];

function resultRow(result: Result, key: string | undefined): unknown[] {
  return [
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
    key ?? null,
    result.cachedFromRun ?? null,
  ];
}

/** Columns as arrays, one per column: a batch is one INSERT … SELECT FROM unnest(…), one round trip. */
function columnsOf(rows: unknown[][], width: number): unknown[][] {
  const columns = Array.from({ length: width }, () => [] as unknown[]);
  for (const row of rows) {
    row.forEach((value, index) => {
      columns[index]!.push(value);
    });
  }
  return columns;
}

const resultKeyOf = (runId: string, candidateId: string, caseId: string, repeat: number) =>
  `${runId}\u0000${candidateId}\u0000${caseId}\u0000${repeat}`;

/** Stores results and their grades on an open transaction. */
export async function insertResults(
  client: pg.PoolClient,
  results: readonly Result[],
  entries: readonly CacheEntry[],
  replaceErrors: boolean,
): Promise<void> {
  if (results.length === 0) return;
  const keys = new Map<Result, string>();
  for (const entry of entries) keys.set(entry.result, entry.key);
  if (replaceErrors) {
    await client.query(
      `DELETE FROM results r USING unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS k(run_id, candidate_id, case_id, repeat)
       WHERE r.run_id = k.run_id AND r.candidate_id = k.candidate_id AND r.case_id = k.case_id
         AND r.repeat = k.repeat AND r.error_code IS NOT NULL`,
      columnsOf(
        results.map((r) => [r.runId, r.candidateId, r.caseId, r.repeat]),
        4,
      ),
    );
  }
  const columns = columnsOf(
    results.map((result) => resultRow(result, keys.get(result))),
    RESULT_COLUMNS.length,
  );
  const names = RESULT_COLUMNS.join(', ');
  const arrays = RESULT_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  // Ids follow the batch's order (ORDER BY ord), so a run's results stream back in insertion order.
  const { rows } = await client.query<{
    id: number;
    run_id: string;
    candidate_id: string;
    case_id: string;
    repeat: number;
  }>(
    `INSERT INTO results (${names}, cache_pending)
     SELECT ${names}, cache_key IS NOT NULL AND error_code IS NULL
     FROM unnest(${arrays}) WITH ORDINALITY AS u(${names}, ord) ORDER BY ord
     RETURNING id, run_id, candidate_id, case_id, repeat`,
    columns,
  );
  const idOf = new Map(
    rows.map((row) => [resultKeyOf(row.run_id, row.candidate_id, row.case_id, row.repeat), row.id]),
  );
  const grades: unknown[][] = [];
  for (const result of results) {
    const id = idOf.get(resultKeyOf(result.runId, result.candidateId, result.caseId, result.repeat))!;
    result.grades.forEach((grade, position) => {
      grades.push([
        id,
        position,
        grade.grader,
        grade.pass ? 1 : 0,
        grade.score,
        grade.reason,
        grade.error ? 1 : 0,
      ]);
    });
  }
  if (grades.length > 0) {
    await client.query(
      `INSERT INTO grades (result_id, position, grader, pass, score, reason, error)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::float8[], $6::text[], $7::int[])`,
      columnsOf(grades, 7),
    );
  }
}

/** Who this process is, in a claim's message. */
function holderName(): string {
  return `${hostname()} pid ${process.pid}`;
}

export function createRunnerRecords(pool: pg.Pool, url: string): RunnerStore {
  return {
    async saveResults(results, cacheEntries = [], options = {}) {
      await transaction(pool, (client) =>
        insertResults(client, results, cacheEntries, options.replaceErrors ?? false),
      );
    },

    async cachedGenerations(keys) {
      const found = new Map<string, CachedGeneration>();
      if (keys.length === 0) return found;
      const { rows } = await pool.query<{ key: string; generation_json: string }>(
        'SELECT key, generation_json FROM response_cache WHERE key = ANY($1::text[])',
        [keys],
      );
      for (const row of rows) found.set(row.key, generationOf(row.generation_json));
      return found;
    },

    async publishResponseCache() {
      // Rows marked pending are taken under their row locks, so two workers publishing at once copy
      // each answer once; the first answer under a key wins, as in the SQLite store.
      const { rowCount } = await pool.query(
        `WITH taken AS (
           UPDATE results SET cache_pending = false WHERE cache_pending
           RETURNING id, run_id, candidate_id, cache_key, output, input_tokens, output_tokens, token_source,
             cached_input_tokens, reasoning_tokens, ttft_ms, duration_ms, finish_reason, response_model,
             http_status, request_id, created_at
         ), fresh AS (
           SELECT DISTINCT ON (cache_key) * FROM taken ORDER BY cache_key, id
         )
         INSERT INTO response_cache (key, model, generation_json, created_at)
         SELECT f.cache_key,
           COALESCE((SELECT c->>'model' FROM runs, jsonb_array_elements(runs.workload_json::jsonb->'candidates') c
                     WHERE runs.id = f.run_id AND c->>'id' = f.candidate_id LIMIT 1), f.candidate_id),
           json_build_object(
             'text', f.output,
             'usage', json_build_object('inputTokens', f.input_tokens, 'outputTokens', f.output_tokens,
               'source', f.token_source, 'cachedInputTokens', f.cached_input_tokens,
               'reasoningTokens', f.reasoning_tokens),
             'ttftMs', f.ttft_ms, 'durationMs', f.duration_ms, 'finishReason', f.finish_reason,
             'responseModel', f.response_model, 'httpStatus', f.http_status, 'requestId', f.request_id,
             'runId', f.run_id)::text,
           f.created_at
         FROM fresh f
         ON CONFLICT (key) DO NOTHING`,
      );
      return rowCount ?? 0;
    },

    async saveRunCases(runId, cases, firstPosition) {
      if (cases.length === 0) return;
      const rows = cases.map((testCase, index) => [
        testCase.id,
        firstPosition + index,
        JSON.stringify(testCase.vars),
        testCase.expected ?? null,
        JSON.stringify(testCase.tags),
        testCase.source,
        testCase.graders && testCase.graders.length > 0 ? JSON.stringify(testCase.graders) : null,
      ]);
      await pool.query(
        `INSERT INTO cases (run_id, case_id, position, vars_json, expected, tags_json, source, graders_json)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         ON CONFLICT (run_id, case_id) DO UPDATE SET position = excluded.position, vars_json = excluded.vars_json,
           expected = excluded.expected, tags_json = excluded.tags_json, source = excluded.source,
           graders_json = excluded.graders_json`,
        [runId, ...columnsOf(rows, 7)],
      );
    },

    async runCasePage(runId, afterPosition, limit) {
      const { rows } = await pool.query<{
        case_id: string;
        position: number;
        vars_json: string;
        expected: string | null;
        tags_json: string;
        source: string;
        graders_json: string | null;
      }>(
        `SELECT case_id, position, vars_json, expected, tags_json, source, graders_json FROM cases
         WHERE run_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
        [runId, afterPosition, limit],
      );
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
      const { rows } = await pool.query<{ case_id: string; repeat: number; error_code: string | null }>(
        `SELECT case_id, repeat, error_code FROM results
         WHERE run_id = $1 AND candidate_id = $2 AND case_id = ANY($3::text[])`,
        [runId, candidateId, caseIds],
      );
      for (const row of rows)
        map.set(resultStateKey(row.case_id, row.repeat), row.error_code ? 'error' : 'ok');
      return map;
    },

    async updateRun(runId, fields) {
      const sets: string[] = [];
      const values: unknown[] = [runId];
      const set = (column: string, value: unknown) => {
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      };
      if (fields.status !== undefined) set('status', fields.status);
      if (fields.plannedResults !== undefined) set('planned_results', fields.plannedResults);
      if (fields.repeats !== undefined) set('repeats', fields.repeats);
      if (fields.clearFinishedAt) sets.push('finished_at = NULL');
      if (fields.settings !== undefined) set('settings_json', JSON.stringify(fields.settings));
      if (sets.length > 0) await pool.query(`UPDATE runs SET ${sets.join(', ')} WHERE id = $1`, values);
    },

    async runTally(runId) {
      return tallyOf((await pool.query(runTallySql('$1'), [runId])).rows);
    },
    async runRepeats(runId) {
      const { rows } = await pool.query<{ repeats: number }>('SELECT repeats FROM runs WHERE id = $1', [
        runId,
      ]);
      return rows[0]?.repeats ?? 1;
    },

    async claimRun(runId) {
      // A session-level advisory lock on a connection of its own: the server releases it when this
      // process ends in any way (a kill -9 closes the socket), so no claim outlives its holder.
      const client = createClient(url);
      await client.connect();
      try {
        const { rows } = await client.query<{ taken: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext('verdict.run'), hashtext($1)) AS taken",
          [runId],
        );
        if (!rows[0]!.taken) {
          const holder = await client.query<{ holder: string; since: string }>(
            'SELECT holder, since FROM run_claims WHERE run_id = $1',
            [runId],
          );
          const by = holder.rows[0];
          throw new VerdictError(
            'RUN_BUSY',
            `run ${runId} is being worked on${by ? ` by ${by.holder} since ${by.since}` : ' by another process'}; wait for it to finish, or stop that process first`,
          );
        }
        await client.query(
          `INSERT INTO run_claims (run_id, holder, since) VALUES ($1, $2, $3)
           ON CONFLICT (run_id) DO UPDATE SET holder = excluded.holder, since = excluded.since`,
          [runId, holderName(), new Date().toISOString()],
        );
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      }
      // A lost connection loses the lock: nothing more to do than not crash on the error event.
      client.on('error', () => {});
      const claim: RunClaim = {
        async release() {
          await client.query('DELETE FROM run_claims WHERE run_id = $1', [runId]).catch(() => {});
          await client.end().catch(() => {});
        },
      };
      return claim;
    },
  };
}
