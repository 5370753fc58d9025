// Read-side queries for the dashboard and the per-case report tables: cases with every candidate's
// results side by side, filtered and paged in SQL so 100,000 results stay fast (indexes in
// migration 2), and two runs compared per case.
import type Database from 'better-sqlite3';
import type { Result } from '../../spec/result.ts';
import type { CaseFacets, CasePage, CaseQuery, CaseRow, RunComparison } from '../store.ts';

/** Escapes LIKE's wildcards so a search for "50%" means the text "50%". */
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

/** Builds the case queries over an open connection; `toResult` turns a results row into a Result. */
export function createCaseQueries(db: Database.Database, toResult: (row: never) => Result) {
  // Filters are non-correlated IN (subquery) sets: SQLite builds each set once per query, instead
  // of probing the results once per case (at 50,000 cases that is the difference between 0.1 s and
  // several seconds).
  function where(runId: string, query: CaseQuery): { sql: string; params: unknown[] } {
    const clauses = ['c.run_id = ?'];
    const params: unknown[] = [runId];
    const candidate = query.candidateId ? ' AND r.candidate_id = ?' : '';
    const candidateParams = query.candidateId ? [query.candidateId] : [];
    const resultSet = (condition: string) =>
      `(SELECT r.case_id FROM results r WHERE r.run_id = ?${candidate} AND ${condition})`;
    if (query.status === 'pass') {
      clauses.push(
        `c.case_id NOT IN ${resultSet('r.pass = 0')}`,
        `c.case_id IN ${resultSet('r.pass IN (0, 1)')}`,
      );
      params.push(runId, ...candidateParams, runId, ...candidateParams);
    } else if (query.status === 'fail') {
      clauses.push(`c.case_id IN ${resultSet('r.pass = 0')}`);
      params.push(runId, ...candidateParams);
    } else if (query.status === 'error') {
      clauses.push(`c.case_id IN ${resultSet('r.error_code IS NOT NULL')}`);
      params.push(runId, ...candidateParams);
    }
    if (query.grader) {
      clauses.push(
        `c.case_id IN (SELECT r.case_id FROM results r JOIN grades g ON g.result_id = r.id
           WHERE r.run_id = ? AND g.grader = ? AND g.pass = 0)`,
      );
      params.push(runId, query.grader);
    }
    if (query.tag) {
      clauses.push('EXISTS (SELECT 1 FROM json_each(c.tags_json) t WHERE t.value = ?)');
      params.push(query.tag);
    }
    if (query.disagreement) {
      // Some result passed and some failed: two reads of the covering index results_by_pass.
      clauses.push(
        'c.case_id IN (SELECT case_id FROM results WHERE run_id = ? AND pass = 0)',
        'c.case_id IN (SELECT case_id FROM results WHERE run_id = ? AND pass = 1)',
      );
      params.push(runId, runId);
    }
    if (query.search) {
      const pattern = likePattern(query.search);
      clauses.push(
        `(c.case_id LIKE ? ESCAPE '\\' OR c.vars_json LIKE ? ESCAPE '\\' OR c.expected LIKE ? ESCAPE '\\'
          OR c.case_id IN ${resultSet("r.output LIKE ? ESCAPE '\\'")})`,
      );
      params.push(pattern, pattern, pattern, runId, ...candidateParams, pattern);
    }
    return { sql: clauses.join(' AND '), params };
  }

  const selectResults = (count: number) =>
    db.prepare(
      `SELECT * FROM results WHERE run_id = ? AND case_id IN (${Array(count).fill('?').join(', ')})
       ORDER BY case_id, candidate_id, repeat`,
    );

  return {
    async queryCases(runId: string, query: CaseQuery): Promise<CasePage> {
      const filter = where(runId, query);
      let total: number;
      let cases: CaseDbRow[];
      const select = 'SELECT case_id, position, vars_json, expected, tags_json FROM cases c';
      if (filter.params.length === 1) {
        // No filter: the count and the page each read only the index.
        total = (db.prepare('SELECT COUNT(*) AS n FROM cases WHERE run_id = ?').get(runId) as { n: number })
          .n;
        cases = db
          .prepare(`${select} WHERE c.run_id = ? ORDER BY c.position LIMIT ? OFFSET ?`)
          .all(runId, query.limit, query.offset) as CaseDbRow[];
      } else {
        // Filtered: evaluate the filter once, keep the matching ids (strings, a few MB at most),
        // then read the page's cases by id.
        const ids = db
          .prepare(`SELECT c.case_id FROM cases c WHERE ${filter.sql} ORDER BY c.position`)
          .pluck()
          .all(...filter.params) as string[];
        total = ids.length;
        const page = ids.slice(query.offset, query.offset + query.limit);
        cases =
          page.length === 0
            ? []
            : (db
                .prepare(
                  `${select} WHERE c.run_id = ? AND c.case_id IN (${page.map(() => '?').join(', ')}) ORDER BY c.position`,
                )
                .all(runId, ...page) as CaseDbRow[]);
      }
      const rows: CaseRow[] = cases.map((row) => ({
        caseId: row.case_id,
        position: row.position,
        vars: JSON.parse(row.vars_json) as Record<string, unknown>,
        expected: row.expected,
        tags: JSON.parse(row.tags_json) as string[],
        results: [],
      }));
      if (rows.length > 0) {
        const byCase = new Map(rows.map((row) => [row.caseId, row]));
        for (const result of selectResults(rows.length).all(runId, ...byCase.keys()) as never[]) {
          const converted = toResult(result);
          byCase.get(converted.caseId)?.results.push(converted);
        }
      }
      return { total, rows };
    },

    async caseFacets(runId: string): Promise<CaseFacets> {
      const graders = db
        .prepare(
          `SELECT DISTINCT g.grader FROM grades g JOIN results r ON r.id = g.result_id
           WHERE r.run_id = ? ORDER BY g.grader`,
        )
        .pluck()
        .all(runId) as string[];
      const tags = db
        .prepare(
          'SELECT DISTINCT t.value FROM cases c, json_each(c.tags_json) t WHERE c.run_id = ? ORDER BY t.value',
        )
        .pluck()
        .all(runId) as string[];
      const candidates = db
        .prepare('SELECT DISTINCT candidate_id FROM results WHERE run_id = ? ORDER BY candidate_id')
        .pluck()
        .all(runId) as string[];
      return { graders, tags, candidates };
    },

    async compareRuns(
      beforeRunId: string,
      afterRunId: string,
      page: { offset: number; limit: number },
    ): Promise<RunComparison> {
      const join = `FROM results a JOIN results b ON b.run_id = ? AND b.case_id = a.case_id
        AND b.candidate_id = a.candidate_id AND b.repeat = a.repeat WHERE a.run_id = ?`;
      const summary = (
        db
          .prepare(
            `SELECT a.candidate_id AS candidateId, SUM(a.pass = 0 AND b.pass = 1) AS fixed,
               SUM(a.pass = 1 AND b.pass = 0) AS broken, SUM(a.pass = b.pass) AS unchanged ${join}
             GROUP BY a.candidate_id ORDER BY a.candidate_id`,
          )
          .all(afterRunId, beforeRunId) as RunComparison['summary']
      ).map((row) => ({ ...row }));
      const total = (
        db.prepare(`SELECT COUNT(*) AS n ${join} AND a.pass <> b.pass`).get(afterRunId, beforeRunId) as {
          n: number;
        }
      ).n;
      const rows = db
        .prepare(
          `SELECT a.case_id AS caseId, a.candidate_id AS candidateId, a.repeat AS repeat,
             a.pass AS beforePass, b.pass AS afterPass, a.output AS beforeOutput, b.output AS afterOutput,
             a.error_message AS beforeError, b.error_message AS afterError
           ${join} AND a.pass <> b.pass ORDER BY a.id LIMIT ? OFFSET ?`,
        )
        .all(afterRunId, beforeRunId, page.limit, page.offset) as Array<
        Omit<RunComparison['rows'][number], 'beforePass' | 'afterPass'> & {
          beforePass: number;
          afterPass: number;
        }
      >;
      return {
        summary,
        total,
        rows: rows.map((row) => ({
          ...row,
          beforePass: row.beforePass === 1,
          afterPass: row.afterPass === 1,
        })),
      };
    },
  };
}
