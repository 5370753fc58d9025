import type { DecisionRecord } from '../spec/decision-record.ts';
import type { JudgeCall, JudgeReply, JudgeUsage, Judgment } from '../spec/grade.ts';
import type { LoadTestRecord } from '../spec/load-test-record.ts';
import type { Grade, Result, RunRecord, RunStatus } from '../spec/result.ts';
import type { Case } from '../spec/workload.ts';
import type { RunnerStore } from './runner-store.ts';

/** Where runs and their results live. SQLite by default; the interface leaves room for Postgres. */
export interface Store extends RunnerStore {
  /** Where the store lives, for messages (a file path, or a database URL without its password). */
  readonly location: string;
  createRun(run: RunRecord): Promise<void>;
  /** Records the cases of a run in order, so reports can show inputs beside outputs. */
  saveCases(runId: string, cases: Case[], firstPosition: number): Promise<void>;
  /** Stores one finished attempt with its grades, atomically. */
  saveResult(result: Result): Promise<void>;
  finishRun(runId: string, status: RunStatus): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(limit?: number): Promise<RunRecord[]>;
  /** Results of a run in insertion order, streamed. */
  results(runId: string): AsyncIterable<Result>;
  countResults(runId: string): Promise<number>;
  /** Cases of a run with every candidate's results, filtered and paged (the case explorer). */
  queryCases(runId: string, query: CaseQuery): Promise<CasePage>;
  /** The graders, tags and candidates a run's filters can choose from. */
  caseFacets(runId: string): Promise<CaseFacets>;
  /** Per candidate, which cases changed from pass to fail or back between two runs. */
  compareRuns(
    beforeRunId: string,
    afterRunId: string,
    page: { offset: number; limit: number },
  ): Promise<RunComparison>;
  /** The cases of a run in order (tags and expected answers for the report). */
  cases(runId: string): AsyncIterable<Case>;
  /** Replaces one result's grades and overall pass (the judge pass grades after the calls). */
  saveGrades(key: ResultKey, grades: Grade[], pass: boolean): Promise<void>;
  /** A judge reply cached under a content key, from any run. */
  getJudgeReply(key: string): Promise<JudgeReply | undefined>;
  saveJudgeReply(key: string, reply: JudgeReply): Promise<void>;
  /** Records one judge call of a run, made or answered from the cache. */
  recordJudgeCall(call: JudgeCall): Promise<void>;
  /** A run's judge calls summed per judge model. */
  judgeUsage(runId: string): Promise<JudgeUsage[]>;
  /** Keeps judges' scores per ask (a result's grader, judge role and ask replace what was there). */
  saveJudgments(rows: Judgment[]): Promise<void>;
  /** A run's judgments, by grader, role, candidate, case, repeat and ask. */
  judgments(runId: string): AsyncIterable<Judgment>;
  /** Keeps one load test (verdict load); its id must be new. */
  saveLoadTest(record: LoadTestRecord): Promise<void>;
  /** Load tests newest first (by finish time), optionally of one candidate or run; without their result JSON. */
  listLoadTests(filter?: LoadTestFilter): Promise<Array<Omit<LoadTestRecord, 'resultJson'>>>;
  getLoadTest(id: string): Promise<LoadTestRecord | undefined>;
  /** Stores a run's decision as its next version (1, 2, …) and returns it with that version. */
  saveDecision(record: Omit<DecisionRecord, 'version'>): Promise<DecisionRecord>;
  /** The newest stored decision of a run; undefined when none was stored yet. */
  latestDecision(runId: string): Promise<DecisionRecord | undefined>;
  getDecision(runId: string, version: number): Promise<DecisionRecord | undefined>;
  /** The newest decision version of a run, 0 when none: cheap, for caches. */
  latestDecisionVersion(runId: string): Promise<number>;
  close(): Promise<void>;
}

export interface LoadTestFilter {
  candidateId?: string;
  runId?: string;
  /** Only those that found a capacity within their SLO. */
  withCapacity?: boolean;
  /** Default 50. */
  limit?: number;
}

/** Which stored result: (run, candidate, case, repeat). */
export interface ResultKey {
  runId: string;
  candidateId: string;
  caseId: string;
  repeat: number;
}

export interface CaseQuery {
  /** pass: every result passed; fail: some result failed or erred; error: some call failed. */
  status?: 'pass' | 'fail' | 'error';
  /** Applies `status` to this candidate's results only. */
  candidateId?: string;
  /** Cases where this grader failed some result. */
  grader?: string;
  tag?: string;
  /** Cases where candidates disagree (some passed, some failed). */
  disagreement?: boolean;
  /** Plain text searched in the case id, variables, expected answer and outputs. */
  search?: string;
  offset: number;
  limit: number;
}

/** One case with its candidates' results side by side. */
export interface CaseRow {
  caseId: string;
  position: number;
  vars: Record<string, unknown>;
  expected: string | null;
  tags: string[];
  results: Result[];
}

export interface CasePage {
  /** Cases matching the filters, over all pages. */
  total: number;
  rows: CaseRow[];
}

export interface CaseFacets {
  graders: string[];
  tags: string[];
  candidates: string[];
}

export interface RunComparison {
  summary: Array<{ candidateId: string; fixed: number; broken: number; unchanged: number }>;
  /** Results whose pass changed, over all pages. */
  total: number;
  rows: Array<{
    caseId: string;
    candidateId: string;
    repeat: number;
    beforePass: boolean;
    afterPass: boolean;
    beforeOutput: string | null;
    afterOutput: string | null;
    beforeError: string | null;
    afterError: string | null;
  }>;
}
