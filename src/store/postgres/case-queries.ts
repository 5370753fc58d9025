// The dashboard's case explorer and run comparison over Postgres: the SQLite store's queries, with
// arrays for IN lists, ILIKE for SQLite's case-blind LIKE, and jsonb for tags.
import type pg from 'pg';
import type { Result } from '../../spec/result.ts';
import type { ResultRow } from '../result-columns.ts';
import type { CaseFacets, CasePage, CaseQuery, CaseRow, RunComparison } from '../store.ts';
import { Params } from './connection.ts';

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

interface CaseDbRow {
  case_id: string;
  position: number;
  vars_json: string;
  expected: string | null;
  tags_json: string;
}

/** Builds the case queries over a pool; `toResults` turns result rows into Results with their grades. */
export function createCaseQueries(pool: pg.Pool, toResults: (rows: ResultRow[]) => Promise<Result[]>) {
  function where(runId: string, query: CaseQuery, params: Params): string {
    const run = params.add(runId);
    const clauses = [`c.run_id = ${run}`];
    const candidate = query.candidateId ? ` AND r.candidate_id = ${params.add(query.candidateId)}` : '';
    const resultSet = (condition: string) =>
      `(SELECT r.case_id FROM results r WHERE r.run_id = ${run}${candidate} AND ${condition})`;
    if (query.status === 'pass') {
      clauses.push(
        `c.case_id NOT IN ${resultSet('r.pass = 0')}`,
        `c.case_id IN ${resultSet('r.pass IN (0, 1)')}`,
      );
    } else if (query.status === 'fail') {
      clauses.push(`c.case_id IN ${resultSet('r.pass = 0')}`);
    } else if (query.status === 'error') {
      clauses.push(`c.case_id IN ${resultSet('r.error_code IS NOT NULL')}`);
    }
    if (query.grader) {
      clauses.push(
        `c.case_id IN (SELECT r.case_id FROM results r JOIN grades g ON g.result_id = r.id
           WHERE r.run_id = ${run} AND g.grader = ${params.add(query.grader)} AND g.pass = 0)`,
      );
    }
    if (query.tag) {
      clauses.push(`c.tags_json::jsonb ? ${params.add(query.tag)}`);
    }
    if (query.disagreement) {
      clauses.push(
        `c.case_id IN (SELECT case_id FROM results WHERE run_id = ${run} AND pass = 0)`,
        `c.case_id IN (SELECT case_id FROM results WHERE run_id = ${run} AND pass = 1)`,
      );
    }
    if (query.search) {
      const pattern = params.add(likePattern(query.search));
      clauses.push(
        `(c.case_id ILIKE ${pattern} OR c.vars_json ILIKE ${pattern} OR c.expected ILIKE ${pattern}
          OR c.case_id IN ${resultSet(`r.output ILIKE ${pattern}`)})`,
      );
    }
    return clauses.join(' AND ');
  }

  return {
    async queryCases(runId: string, query: CaseQuery): Promise<CasePage> {
      const params = new Params();
      const filter = where(runId, query, params);
      const select = 'SELECT case_id, position, vars_json, expected, tags_json FROM cases c';
      const [counted, page] = await Promise.all([
        pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM cases c WHERE ${filter}`, params.values),
        pool.query<CaseDbRow>(
          `${select} WHERE ${filter} ORDER BY c.position LIMIT ${Number(query.limit)} OFFSET ${Number(query.offset)}`,
          params.values,
        ),
      ]);
      const rows: CaseRow[] = page.rows.map((row) => ({
        caseId: row.case_id,
        position: row.position,
        vars: JSON.parse(row.vars_json) as Record<string, unknown>,
        expected: row.expected,
        tags: JSON.parse(row.tags_json) as string[],
        results: [],
      }));
      if (rows.length > 0) {
        const byCase = new Map(rows.map((row) => [row.caseId, row]));
        const { rows: resultRows } = await pool.query<ResultRow>(
          `SELECT * FROM results WHERE run_id = $1 AND case_id = ANY($2::text[])
           ORDER BY case_id, candidate_id, repeat`,
          [runId, [...byCase.keys()]],
        );
        for (const result of await toResults(resultRows)) byCase.get(result.caseId)?.results.push(result);
      }
      return { total: counted.rows[0]!.n, rows };
    },

    async caseFacets(runId: string): Promise<CaseFacets> {
      const [graders, tags, candidates] = await Promise.all([
        pool.query<{ grader: string }>(
          `SELECT DISTINCT g.grader FROM grades g JOIN results r ON r.id = g.result_id
           WHERE r.run_id = $1 ORDER BY g.grader`,
          [runId],
        ),
        pool.query<{ tag: string }>(
          `SELECT DISTINCT t AS tag FROM cases c, jsonb_array_elements_text(c.tags_json::jsonb) t
           WHERE c.run_id = $1 ORDER BY t COLLATE "C"`,
          [runId],
        ),
        pool.query<{ candidate_id: string }>(
          'SELECT DISTINCT candidate_id FROM results WHERE run_id = $1 ORDER BY candidate_id',
          [runId],
        ),
      ]);
      return {
        graders: graders.rows.map((row) => row.grader),
        tags: tags.rows.map((row) => row.tag),
        candidates: candidates.rows.map((row) => row.candidate_id),
      };
    },

    async compareRuns(
      beforeRunId: string,
      afterRunId: string,
      page: { offset: number; limit: number },
    ): Promise<RunComparison> {
      const join = `FROM results a JOIN results b ON b.run_id = $1 AND b.case_id = a.case_id
        AND b.candidate_id = a.candidate_id AND b.repeat = a.repeat WHERE a.run_id = $2`;
      const summary = await pool.query<RunComparison['summary'][number]>(
        `SELECT a.candidate_id AS "candidateId",
           COUNT(*) FILTER (WHERE a.pass = 0 AND b.pass = 1) AS fixed,
           COUNT(*) FILTER (WHERE a.pass = 1 AND b.pass = 0) AS broken,
           COUNT(*) FILTER (WHERE a.pass = b.pass) AS unchanged ${join}
         GROUP BY a.candidate_id ORDER BY a.candidate_id`,
        [afterRunId, beforeRunId],
      );
      const total = await pool.query<{ n: number }>(`SELECT COUNT(*) AS n ${join} AND a.pass <> b.pass`, [
        afterRunId,
        beforeRunId,
      ]);
      const rows = await pool.query<
        Omit<RunComparison['rows'][number], 'beforePass' | 'afterPass'> & {
          beforePass: number;
          afterPass: number;
        }
      >(
        `SELECT a.case_id AS "caseId", a.candidate_id AS "candidateId", a.repeat AS repeat,
           a.pass AS "beforePass", b.pass AS "afterPass", a.output AS "beforeOutput", b.output AS "afterOutput",
           a.error_message AS "beforeError", b.error_message AS "afterError"
         ${join} AND a.pass <> b.pass ORDER BY a.id LIMIT $3 OFFSET $4`,
        [afterRunId, beforeRunId, page.limit, page.offset],
      );
      return {
        summary: summary.rows.map((row) => ({ ...row })),
        total: total.rows[0]!.n,
        rows: rows.rows.map((row) => ({
          ...row,
          beforePass: row.beforePass === 1,
          afterPass: row.afterPass === 1,
        })),
      };
    },
  };
}
