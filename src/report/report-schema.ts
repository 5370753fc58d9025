// The report object's schema, written once in zod: the JSON Schema under schema/ is generated from
// it, and readers of a report JSON (the dashboard, other tools) check `schemaVersion` against it.
// Objects are loose: a newer verdict may add sections, and an older reader still validates what it
// knows; `schemaVersion` changes only when a field changes meaning or disappears.
import { z } from 'zod';
import { VerdictError } from '../spec/errors.ts';

/** The report schema version this verdict writes and reads. */
export const REPORT_SCHEMA_VERSION = 1;

// NaN (no results yet) serialises to null in JSON.
const num = z.number().nullable();
const interval = z.looseObject({ estimate: num, low: num, high: num });
const percentiles = z.looseObject({
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p99: z.number().nullable(),
});
const ms = z.number().nullable();

const candidateSummary = z.looseObject({
  candidateId: z.string(),
  model: z.string(),
  label: z.string().optional(),
  total: z.int().nonnegative(),
  passed: z.int().nonnegative(),
  failed: z.int().nonnegative(),
  errors: z.int().nonnegative(),
  passRate: interval,
  ttftMs: percentiles,
  durationMs: percentiles,
  inputTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  tokenSource: z.enum(['server', 'tokenizer', 'mixed', 'none']),
  callErrors: z
    .array(
      z.looseObject({
        code: z.string(),
        message: z.string(),
        count: z.int().positive(),
        exampleCaseId: z.string(),
      }),
    )
    .optional(),
  callErrorsOmitted: z.int().nonnegative().optional(),
  cachedAnswers: z
    .looseObject({
      replayed: z.int().nonnegative(),
      measuredIn: z.array(z.string()),
      unknownOrigin: z.int().nonnegative(),
    })
    .optional(),
});

const outcome = z.looseObject({ escalated: z.number(), passRate: z.number(), monthlyUsd: z.number() });

const decision = z.looseObject({
  winner: z.string().nullable(),
  runnerUp: z.string().nullable(),
  reasons: z.array(z.string()),
  caveats: z.array(z.string()),
  winnerOption: z.string().optional(),
  runnerUpOption: z.string().optional(),
  removed: z.array(z.string()).optional(),
  flips: z.array(z.string()).optional(),
  reevaluate: z.looseObject({ date: z.string(), triggers: z.array(z.string()) }).optional(),
  hybrid: z
    .looseObject({
      id: z.string(),
      cheap: z.string(),
      strong: z.string(),
      oracle: outcome,
      router: outcome,
      wins: z.boolean(),
    })
    .optional(),
});

const sliceCell = z.looseObject({
  passed: z.int().nonnegative(),
  total: z.int().nonnegative(),
  meanScore: num,
  gradingErrors: z.int().nonnegative(),
});

const quality = z.looseObject({
  margin: z.number(),
  marginSource: z.enum(['workload', 'default']),
  floor: z.number().nullable(),
  level: z.number(),
  candidates: z.array(
    z.looseObject({
      candidateId: z.string(),
      cases: z.int().nonnegative(),
      passed: z.int().nonnegative(),
      passRate: interval,
      meanScore: interval,
      modelFailures: z.int().nonnegative(),
      gradingErrors: z.int().nonnegative(),
    }),
  ),
  byGrader: z.array(z.looseObject({ name: z.string(), cells: z.record(z.string(), sliceCell) })),
  byTag: z.array(z.looseObject({ name: z.string(), cells: z.record(z.string(), sliceCell) })),
  best: z.string().nullable(),
  comparisons: z.array(z.looseObject({ a: z.string(), b: z.string(), sentence: z.string() })),
  sentences: z.array(z.string()),
});

const latencyDistribution = z.looseObject({
  candidateId: z.string(),
  metric: z.enum(['ttft', 'e2e']),
  bins: z.array(z.looseObject({ lowMs: z.number(), highMs: z.number(), count: z.int().nonnegative() })),
});

const cost = z.looseObject({
  requestsPerMonth: z.number().nonnegative(),
  priceDate: z.string().optional(),
  options: z.array(
    z.looseObject({
      optionId: z.string(),
      candidateId: z.string().optional(),
      family: z.string(),
      monthlyUsd: z.number(),
      costPerRequestUsd: z.number(),
      replicas: z.number().optional(),
      averageUtilisation: z.number().optional(),
      lines: z
        .array(z.looseObject({ label: z.string(), usd: z.number(), formula: z.string(), source: z.string() }))
        .optional(),
      notes: z.array(z.string()).optional(),
      status: z.string().optional(),
    }),
  ),
  usageSource: z.enum(['measured', 'declared']).optional(),
  unpriced: z.array(z.string()).optional(),
  facts: z.array(z.string()).optional(),
  curve: z
    .looseObject({
      volumes: z.array(z.number()),
      series: z.array(z.looseObject({ optionId: z.string(), usd: z.array(z.number()) })),
    })
    .optional(),
  breakEvens: z
    .array(
      z.looseObject({
        apiOptionId: z.string(),
        selfHostedOptionId: z.string(),
        volume: z.number().nullable(),
        sentence: z.string(),
      }),
    )
    .optional(),
  sensitivity: z
    .looseObject({
      baseVolume: z.number().nullable(),
      inputs: z.array(
        z.looseObject({ input: z.string(), low: z.number().nullable(), high: z.number().nullable() }),
      ),
    })
    .optional(),
});

const loadTest = z.looseObject({
  id: z.string(),
  model: z.string(),
  loadKind: z.enum(['rate', 'concurrency']),
  load: z.number(),
  requestsPerSec: z.number(),
  outputTokensPerSec: z.number(),
  ttftP50Ms: ms,
  ttftP99Ms: ms,
  e2eP50Ms: ms,
  e2eP99Ms: ms,
  goodputPerSec: z.number().optional(),
  sloMet: z.boolean().optional(),
});

/** The report object (src/spec/decision.ts `Report`) as a zod schema. */
export const reportSchema = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  runId: z.string(),
  workload: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  cases: z.int().nonnegative(),
  candidates: z.array(candidateSummary),
  decision,
  decisionRecord: z
    .looseObject({ version: z.int().nonnegative(), createdAt: z.string(), verdictVersion: z.string() })
    .optional(),
  quality: quality.optional(),
  latency: z.array(latencyDistribution).optional(),
  cost: cost.optional(),
  loadTests: z.array(loadTest).optional(),
});

/** The report's JSON Schema, committed as schema/report.schema.json. */
export function reportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(reportSchema, { io: 'output' }) as Record<string, unknown>;
  return {
    $schema,
    $id: 'https://verdict.dev/schema/report.schema.json',
    title: `verdict report (schemaVersion ${REPORT_SCHEMA_VERSION})`,
    ...rest,
  };
}

/** Checks a parsed report JSON: a different schemaVersion or a malformed field is a clear error. */
export function parseReportJson(value: unknown, source: string): z.infer<typeof reportSchema> {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new VerdictError(
      'USAGE',
      `${source}: report schemaVersion ${JSON.stringify(version)} is not ${REPORT_SCHEMA_VERSION}, the version this verdict reads`,
    );
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new VerdictError('USAGE', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
