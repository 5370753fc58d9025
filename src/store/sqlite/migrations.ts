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
  `
  ALTER TABLE grades ADD COLUMN error INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE judge_cache (
    key TEXT PRIMARY KEY,
    judge TEXT NOT NULL,
    reply TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    created_at TEXT NOT NULL
  );
  CREATE TABLE judge_calls (
    id INTEGER PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    judge TEXT NOT NULL,
    key TEXT NOT NULL,
    cached INTEGER NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    error TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX judge_calls_by_run ON judge_calls (run_id);
  `,
  // 4: what the runner records for bill safety and resume — cached results, attempts, the
  // provider's request id and status, each call's cost; the content-addressed response cache; the
  // repeats of a run; per-case graders kept with the cases so a resumed run grades the same way.
  `
  ALTER TABLE results ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE results ADD COLUMN attempts INTEGER;
  ALTER TABLE results ADD COLUMN response_model TEXT;
  ALTER TABLE results ADD COLUMN request_id TEXT;
  ALTER TABLE results ADD COLUMN http_status INTEGER;
  ALTER TABLE results ADD COLUMN cost_usd REAL;
  ALTER TABLE runs ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE cases ADD COLUMN graders_json TEXT;
  CREATE TABLE response_cache (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    generation_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 5: the case explorer's pass/fail filters read only the matching entries of one covering index.
  `
  CREATE INDEX results_by_pass ON results (run_id, pass, candidate_id, case_id);
  `,
  // 6: load tests (verdict load): the whole result as JSON, the capacity it found beside it so the
  // decision finds the latest one for a candidate without parsing every result.
  `
  CREATE TABLE load_tests (
    id TEXT PRIMARY KEY,
    run_id TEXT,
    target TEXT NOT NULL,
    model TEXT NOT NULL,
    candidate_id TEXT,
    mode TEXT NOT NULL,
    slo TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    max_rate_within_slo REAL,
    result_json TEXT NOT NULL
  );
  CREATE INDEX load_tests_by_candidate ON load_tests (candidate_id, finished_at);
  `,
  // 7: a fresh answer enters the response cache from its result row (its content key beside it),
  // copied in key order once per batch of results rather than one random B-tree insert per answer,
  // which cost ~60 µs a result in WAL page writes. The (run, candidate, case, repeat) unique index
  // already serves every lookup results_by_run did.
  `
  ALTER TABLE results ADD COLUMN cache_key TEXT;
  CREATE TABLE store_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  INSERT INTO store_state VALUES ('cache_published_to', (SELECT COALESCE(MAX(id), 0) FROM results));
  DROP INDEX results_by_run;
  `,
  // 8: the decision of a run, stored and versioned (DESIGN §5): every format renders the latest
  // version, so a memo forwarded last month still renders the same after the catalogues change.
  `
  CREATE TABLE decisions (
    run_id TEXT NOT NULL REFERENCES runs(id),
    version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    verdict_version TEXT NOT NULL,
    catalogues_json TEXT NOT NULL,
    inputs_json TEXT NOT NULL,
    decision_json TEXT NOT NULL,
    PRIMARY KEY (run_id, version)
  ) WITHOUT ROWID;
  `,
  // 9: where a cached answer was measured (its latency is that run's, not this one's), and the
  // settings a run was started with, so that a resume keeps --no-cache and the others.
  `
  ALTER TABLE results ADD COLUMN cached_from_run TEXT;
  ALTER TABLE runs ADD COLUMN settings_json TEXT;
  `,
  // 10: each judge's score on each of its asks of a model-graded grader (judges.repeat, and a second
  // judge's opinion), for the report's judge reliability: spread, straddled thresholds, agreement.
  `
  CREATE TABLE judgments (
    run_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    grader TEXT NOT NULL,
    judge TEXT NOT NULL,
    role TEXT NOT NULL,
    sample INTEGER NOT NULL,
    score REAL,
    pass INTEGER,
    verdict INTEGER,
    PRIMARY KEY (run_id, grader, role, candidate_id, case_id, repeat, sample)
  ) WITHOUT ROWID;
  `,
  // 11: who is working on a run, so that a second process resuming it is told so instead of
  // writing the same results (host and pid: a dead holder on this host lapses at once; on another
  // host, after its heartbeat stops).
  `
  CREATE TABLE run_claims (
    run_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    token TEXT NOT NULL,
    since TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];
