// Forward-only schema migrations. Each entry moves the database from version i to i + 1 (SQLite's
// user_version); never edit a released entry, append a new one.
export const migrations: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    workload_name TEXT NOT NULL,
    workload_file TEXT NOT NULL,
    workload_json TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    planned_results INTEGER NOT NULL
  );
  CREATE TABLE cases (
    run_id TEXT NOT NULL REFERENCES runs(id),
    case_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    vars_json TEXT NOT NULL,
    expected TEXT,
    tags_json TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (run_id, case_id)
  );
  CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    candidate_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    output TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cached_input_tokens INTEGER,
    reasoning_tokens INTEGER,
    token_source TEXT,
    ttft_ms REAL,
    duration_ms REAL,
    finish_reason TEXT,
    error_code TEXT,
    error_message TEXT,
    pass INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, candidate_id, case_id, repeat)
  );
  CREATE TABLE grades (
    result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grader TEXT NOT NULL,
    pass INTEGER NOT NULL,
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (result_id, position)
  );
  CREATE INDEX results_by_run ON results (run_id, candidate_id);
  `,
  // 2: the case explorer pages cases by position and fetches a page's results by case.
  `
  CREATE INDEX cases_by_position ON cases (run_id, position);
  CREATE INDEX results_by_case ON results (run_id, case_id, candidate_id);
  `,
];
