// The judge pass's records over Postgres: re-graded results, cached judge replies, judge calls,
// judgments, and a run's cases in order.
import type pg from 'pg';
import type { JudgeCall, JudgeReply, JudgeUsage, Judgment } from '../../spec/grade.ts';
import type { Grade } from '../../spec/result.ts';
import type { Case, GraderSpec } from '../../spec/workload.ts';
import type { ResultKey, Store } from '../store.ts';
import { transaction } from './connection.ts';

type GradeMethods = Pick<
  Store,
  | 'saveGrades'
  | 'getJudgeReply'
  | 'saveJudgeReply'
  | 'recordJudgeCall'
  | 'judgeUsage'
  | 'saveJudgments'
  | 'judgments'
  | 'cases'
>;

const bool = (value: boolean | null) => (value === null ? null : value ? 1 : 0);

export function createGradeRecords(pool: pg.Pool): GradeMethods {
  return {
    async saveGrades(key: ResultKey, grades: Grade[], pass: boolean) {
      await transaction(pool, async (client) => {
        const { rows } = await client.query<{ id: number }>(
          'SELECT id FROM results WHERE run_id = $1 AND candidate_id = $2 AND case_id = $3 AND repeat = $4 FOR UPDATE',
          [key.runId, key.candidateId, key.caseId, key.repeat],
        );
        const id = rows[0]?.id;
        if (id === undefined) return;
        await client.query('DELETE FROM grades WHERE result_id = $1', [id]);
        if (grades.length > 0) {
          await client.query(
            `INSERT INTO grades (result_id, position, grader, pass, score, reason, error)
             SELECT $1, * FROM unnest($2::int[], $3::text[], $4::int[], $5::float8[], $6::text[], $7::int[])`,
            [
              id,
              grades.map((_, position) => position),
              grades.map((grade) => grade.grader),
              grades.map((grade) => (grade.pass ? 1 : 0)),
              grades.map((grade) => grade.score),
              grades.map((grade) => grade.reason),
              grades.map((grade) => (grade.error ? 1 : 0)),
            ],
          );
        }
        await client.query('UPDATE results SET pass = $1 WHERE id = $2', [pass ? 1 : 0, id]);
      });
    },

    async getJudgeReply(key: string): Promise<JudgeReply | undefined> {
      const { rows } = await pool.query<{
        judge: string;
        reply: string;
        input_tokens: number | null;
        output_tokens: number | null;
      }>('SELECT judge, reply, input_tokens, output_tokens FROM judge_cache WHERE key = $1', [key]);
      const row = rows[0];
      return (
        row && {
          judge: row.judge,
          text: row.reply,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
        }
      );
    },

    async saveJudgeReply(key: string, reply: JudgeReply) {
      await pool.query(
        `INSERT INTO judge_cache (key, judge, reply, input_tokens, output_tokens, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET judge = excluded.judge, reply = excluded.reply,
           input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, created_at = excluded.created_at`,
        [key, reply.judge, reply.text, reply.inputTokens, reply.outputTokens, new Date().toISOString()],
      );
    },

    async recordJudgeCall(call: JudgeCall) {
      await pool.query(
        `INSERT INTO judge_calls (run_id, judge, key, cached, input_tokens, output_tokens, error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          call.runId,
          call.judge,
          call.key,
          call.cached ? 1 : 0,
          call.inputTokens,
          call.outputTokens,
          call.error,
          new Date().toISOString(),
        ],
      );
    },

    async judgeUsage(runId: string): Promise<JudgeUsage[]> {
      const { rows } = await pool.query<JudgeUsage>(
        `SELECT judge, COUNT(*) AS calls, SUM(cached) AS "cachedCalls", COUNT(error) AS errors,
           COALESCE(SUM(CASE WHEN cached = 0 THEN input_tokens END), 0) AS "inputTokens",
           COALESCE(SUM(CASE WHEN cached = 0 THEN output_tokens END), 0) AS "outputTokens"
         FROM judge_calls WHERE run_id = $1 GROUP BY judge ORDER BY judge`,
        [runId],
      );
      return rows.map((row) => ({ ...row }));
    },

    async saveJudgments(rows: Judgment[]) {
      if (rows.length === 0) return;
      await pool.query(
        `INSERT INTO judgments (run_id, candidate_id, case_id, repeat, grader, judge, role, sample, score, pass, verdict)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[],
           $8::int[], $9::float8[], $10::int[], $11::int[])
         ON CONFLICT (run_id, grader, role, candidate_id, case_id, repeat, sample) DO UPDATE SET
           judge = excluded.judge, score = excluded.score, pass = excluded.pass, verdict = excluded.verdict`,
        [
          rows.map((j) => j.runId),
          rows.map((j) => j.candidateId),
          rows.map((j) => j.caseId),
          rows.map((j) => j.repeat),
          rows.map((j) => j.grader),
          rows.map((j) => j.judge),
          rows.map((j) => j.role),
          rows.map((j) => j.sample),
          rows.map((j) => j.score),
          rows.map((j) => bool(j.pass)),
          rows.map((j) => bool(j.verdict)),
        ],
      );
    },

    async *judgments(runId: string): AsyncIterable<Judgment> {
      for (let offset = 0; ; offset += 1000) {
        const { rows } = await pool.query<{
          candidate_id: string;
          case_id: string;
          repeat: number;
          grader: string;
          judge: string;
          role: string;
          sample: number;
          score: number | null;
          pass: number | null;
          verdict: number | null;
        }>(
          `SELECT * FROM judgments WHERE run_id = $1
           ORDER BY grader, role, candidate_id, case_id, repeat, sample LIMIT 1000 OFFSET $2`,
          [runId, offset],
        );
        if (rows.length === 0) return;
        for (const row of rows)
          yield {
            runId,
            candidateId: row.candidate_id,
            caseId: row.case_id,
            repeat: row.repeat,
            grader: row.grader,
            judge: row.judge,
            role: row.role as Judgment['role'],
            sample: row.sample,
            score: row.score,
            pass: row.pass === null ? null : row.pass === 1,
            verdict: row.verdict === null ? null : row.verdict === 1,
          } satisfies Judgment;
      }
    },

    async *cases(runId: string): AsyncIterable<Case> {
      let after = -2147483648;
      for (;;) {
        const { rows } = await pool.query<{
          case_id: string;
          vars_json: string;
          expected: string | null;
          tags_json: string;
          source: string;
          position: number;
          graders_json: string | null;
        }>(
          `SELECT case_id, vars_json, expected, tags_json, source, position, graders_json FROM cases
           WHERE run_id = $1 AND position > $2 ORDER BY position LIMIT 500`,
          [runId, after],
        );
        if (rows.length === 0) return;
        for (const row of rows) {
          yield {
            id: row.case_id,
            vars: JSON.parse(row.vars_json) as Record<string, string>,
            tags: JSON.parse(row.tags_json) as string[],
            source: row.source,
            ...(row.expected === null ? {} : { expected: row.expected }),
            ...(row.graders_json ? { graders: JSON.parse(row.graders_json) as GraderSpec[] } : {}),
          };
        }
        after = rows[rows.length - 1]!.position;
      }
    },
  };
}
