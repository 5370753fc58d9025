// Forward-only schema migrations of the Postgres store. Each entry moves the database from version
// i to i + 1 (kept in verdict_schema); never edit a released entry, append a new one. The first
// entry is the SQLite store's schema at its version 10, in Postgres types; keys that reports sort
// by are COLLATE "C" so that the order is the SQLite store's (bytewise) whatever the server's locale.
export const migrations: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT COLLATE "C" PRIMARY KEY,
    workload_name TEXT NOT NULL,
    workload_file TEXT NOT NULL,
    workload_json TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    finished_at TEXT COLLATE "C",
    planned_results INTEGER NOT NULL,
    repeats INTEGER NOT NULL DEFAULT 1,
    settings_json TEXT,
    seq BIGSERIAL NOT NULL
  );
  CREATE TABLE cases (
    run_id TEXT COLLATE "C" NOT NULL REFERENCES runs(id),
    case_id TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    vars_json TEXT NOT NULL,
    expected TEXT,
    tags_json TEXT NOT NULL,
    source TEXT NOT NULL,
    graders_json TEXT,
    PRIMARY KEY (run_id, case_id)
  );
  CREATE INDEX cases_by_position ON cases (run_id, position);
  CREATE TABLE results (
    id BIGSERIAL PRIMARY KEY,
    run_id TEXT COLLATE "C" NOT NULL REFERENCES runs(id),
    candidate_id TEXT COLLATE "C" NOT NULL,
    case_id TEXT COLLATE "C" NOT NULL,
    repeat INTEGER NOT NULL,
    output TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cached_input_tokens INTEGER,
    reasoning_tokens INTEGER,
    token_source TEXT,
    ttft_ms DOUBLE PRECISION,
    duration_ms DOUBLE PRECISION,
    finish_reason TEXT,
    error_code TEXT,
    error_message TEXT,
    pass INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    cached INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER,
    response_model TEXT,
    request_id TEXT,
    http_status INTEGER,
    cost_usd DOUBLE PRECISION,
    cache_key TEXT COLLATE "C",
    cached_from_run TEXT,
    -- Set while the answer waits to enter the response cache: workers write at once, so no
    -- watermark of ids (committed out of order across connections) can say what is published.
    cache_pending BOOLEAN NOT NULL DEFAULT false,
    UNIQUE (run_id, candidate_id, case_id, repeat)
  );
  CREATE INDEX results_by_case ON results (run_id, case_id, candidate_id);
  CREATE INDEX results_by_pass ON results (run_id, pass, candidate_id, case_id);
  CREATE INDEX results_cache_pending ON results (id) WHERE cache_pending;
  CREATE TABLE grades (
    result_id BIGINT NOT NULL REFERENCES results(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grader TEXT COLLATE "C" NOT NULL,
    pass INTEGER NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    reason TEXT NOT NULL,
    error INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (result_id, position)
  );
  CREATE TABLE judge_cache (
    key TEXT PRIMARY KEY,
    judge TEXT NOT NULL,
    reply TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    created_at TEXT NOT NULL
  );
  CREATE TABLE judge_calls (
    id BIGSERIAL PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    judge TEXT COLLATE "C" NOT NULL,
    key TEXT NOT NULL,
    cached INTEGER NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    error TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX judge_calls_by_run ON judge_calls (run_id);
  CREATE TABLE response_cache (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    generation_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE load_tests (
    id TEXT PRIMARY KEY,
    run_id TEXT,
    target TEXT NOT NULL,
    model TEXT NOT NULL,
    candidate_id TEXT,
    mode TEXT NOT NULL,
    slo TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT COLLATE "C" NOT NULL,
    max_rate_within_slo DOUBLE PRECISION,
    result_json TEXT NOT NULL,
    seq BIGSERIAL NOT NULL
  );
  CREATE INDEX load_tests_by_candidate ON load_tests (candidate_id, finished_at);
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
  );
  CREATE TABLE judgments (
    run_id TEXT COLLATE "C" NOT NULL,
    candidate_id TEXT COLLATE "C" NOT NULL,
    case_id TEXT COLLATE "C" NOT NULL,
    repeat INTEGER NOT NULL,
    grader TEXT COLLATE "C" NOT NULL,
    judge TEXT NOT NULL,
    role TEXT COLLATE "C" NOT NULL,
    sample INTEGER NOT NULL,
    score DOUBLE PRECISION,
    pass INTEGER,
    verdict INTEGER,
    PRIMARY KEY (run_id, grader, role, candidate_id, case_id, repeat, sample)
  );
  -- Who is working on a run (a session-level advisory lock holds it; this row names the holder).
  CREATE TABLE run_claims (
    run_id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    since TEXT NOT NULL
  );
  `,
  // 2: limits every worker of a team shares (src/store/postgres/shared-limits.ts). A request pace per
  // endpoint and model, kept as the next free start (a token bucket of one, refilled at the pace),
  // and a run's --max-cost as an atomic spend counter.
  `
  CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    next_ms DOUBLE PRECISION NOT NULL,
    interval_ms DOUBLE PRECISION NOT NULL,
    at_ms DOUBLE PRECISION NOT NULL,
    paused_until_ms DOUBLE PRECISION NOT NULL DEFAULT 0
  );
  CREATE TABLE run_budgets (
    run_id TEXT PRIMARY KEY,
    max_usd DOUBLE PRECISION NOT NULL,
    spent_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    reserved_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
    stopped_candidate TEXT,
    stopped_projected_usd DOUBLE PRECISION
  );
  `,
  // 3: claims on content keys, so that a team's workers make one call per key
  // (src/store/postgres/call-claims.ts), and the pages of a run worked again after their worker
  // stopped, with the calls made on them (the bound on calls paid twice).
  `
  CREATE TABLE page_retakes (
    run_id TEXT PRIMARY KEY,
    pages INTEGER NOT NULL DEFAULT 0,
    calls INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE call_claims (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_ms DOUBLE PRECISION NOT NULL
  );
  CREATE INDEX call_claims_holder ON call_claims (holder);
  `,
];
