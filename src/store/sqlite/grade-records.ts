// What the judge pass stores: re-graded results, cached judge replies, and each run's judge calls
// (counted apart from the candidates' calls). Also the cases of a run, for the report's tag slices.
import type Database from 'better-sqlite3';
import type { JudgeCall, JudgeReply, JudgeUsage, Judgment } from '../../spec/grade.ts';
import type { Grade } from '../../spec/result.ts';
import type { Case, GraderSpec } from '../../spec/workload.ts';
import type { ResultKey } from '../store.ts';
import { insertGrades } from './result-inserts.ts';

interface CaseDbRow {
  case_id: string;
  vars_json: string;
  expected: string | null;
  tags_json: string;
  source: string;
  position: number;
  graders_json: string | null;
}

/** The grade-side store methods over an open connection; `insertGrade` is the store's own statement. */
export function createGradeRecords(db: Database.Database, insertGrade: Database.Statement) {
  const findResult = db.prepare(
    'SELECT id FROM results WHERE run_id = ? AND candidate_id = ? AND case_id = ? AND repeat = ?',
  );
  const deleteGrades = db.prepare('DELETE FROM grades WHERE result_id = ?');
  const updatePass = db.prepare('UPDATE results SET pass = ? WHERE id = ?');
  const saveGrades = db.transaction((key: ResultKey, grades: Grade[], pass: boolean) => {
    const row = findResult.get(key.runId, key.candidateId, key.caseId, key.repeat) as
      | { id: number }
      | undefined;
    if (!row) return false;
    deleteGrades.run(row.id);
    insertGrades(insertGrade, row.id, grades);
    updatePass.run(pass ? 1 : 0, row.id);
    return true;
  });
  const selectReply = db.prepare(
    'SELECT judge, reply, input_tokens, output_tokens FROM judge_cache WHERE key = ?',
  );
  const insertReply = db.prepare(
    `INSERT OR REPLACE INTO judge_cache (key, judge, reply, input_tokens, output_tokens, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertCall = db.prepare(
    `INSERT INTO judge_calls (run_id, judge, key, cached, input_tokens, output_tokens, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectUsage = db.prepare(
    `SELECT judge, COUNT(*) AS calls, SUM(cached) AS cached_calls, SUM(error IS NOT NULL) AS errors,
       COALESCE(SUM(CASE WHEN cached = 0 THEN input_tokens END), 0) AS input_tokens,
       COALESCE(SUM(CASE WHEN cached = 0 THEN output_tokens END), 0) AS output_tokens
     FROM judge_calls WHERE run_id = ? GROUP BY judge ORDER BY judge`,
  );
  const casePage = db.prepare(
    'SELECT case_id, vars_json, expected, tags_json, source, position, graders_json FROM cases WHERE run_id = ? AND position > ? ORDER BY position LIMIT 500',
  );

  const insertJudgment = db.prepare(
    `INSERT OR REPLACE INTO judgments (run_id, candidate_id, case_id, repeat, grader, judge, role, sample, score, pass, verdict)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const saveJudgments = db.transaction((rows: Judgment[]) => {
    const bool = (value: boolean | null) => (value === null ? null : value ? 1 : 0);
    for (const j of rows)
      insertJudgment.run(
        j.runId,
        j.candidateId,
        j.caseId,
        j.repeat,
        j.grader,
        j.judge,
        j.role,
        j.sample,
        j.score,
        bool(j.pass),
        bool(j.verdict),
      );
  });
  // Paged, so a long run's judgments never sit in memory at once and the connection stays free between pages.
  const judgmentPage = db.prepare(
    `SELECT * FROM judgments WHERE run_id = ?
     ORDER BY grader, role, candidate_id, case_id, repeat, sample LIMIT 1000 OFFSET ?`,
  );

  return {
    async saveJudgments(rows: Judgment[]): Promise<void> {
      saveJudgments(rows);
    },
    async *judgments(runId: string): AsyncIterable<Judgment> {
      for (let offset = 0; ; offset += 1000) {
        const rows = judgmentPage.all(runId, offset) as Array<{
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
        }>;
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
    async saveGrades(key: ResultKey, grades: Grade[], pass: boolean): Promise<void> {
      // IMMEDIATE: it reads the result's id first, and a commit by the writer thread between the
      // read and the write would void the snapshot.
      saveGrades.immediate(key, grades, pass);
    },
    async getJudgeReply(key: string): Promise<JudgeReply | undefined> {
      const row = selectReply.get(key) as
        | { judge: string; reply: string; input_tokens: number | null; output_tokens: number | null }
        | undefined;
      return (
        row && {
          judge: row.judge,
          text: row.reply,
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
        }
      );
    },
    async saveJudgeReply(key: string, reply: JudgeReply): Promise<void> {
      insertReply.run(
        key,
        reply.judge,
        reply.text,
        reply.inputTokens,
        reply.outputTokens,
        new Date().toISOString(),
      );
    },
    async recordJudgeCall(call: JudgeCall): Promise<void> {
      insertCall.run(
        call.runId,
        call.judge,
        call.key,
        call.cached ? 1 : 0,
        call.inputTokens,
        call.outputTokens,
        call.error,
        new Date().toISOString(),
      );
    },
    async judgeUsage(runId: string): Promise<JudgeUsage[]> {
      return (
        selectUsage.all(runId) as Array<{
          judge: string;
          calls: number;
          cached_calls: number;
          errors: number;
          input_tokens: number;
          output_tokens: number;
        }>
      ).map((row) => ({
        judge: row.judge,
        calls: row.calls,
        cachedCalls: row.cached_calls,
        errors: row.errors,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
      }));
    },
    async *cases(runId: string): AsyncIterable<Case> {
      let after = Number.NEGATIVE_INFINITY;
      for (;;) {
        const rows = casePage.all(runId, after) as CaseDbRow[];
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
