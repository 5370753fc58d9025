// A decided run as the report object carries it — a managed route of open weights picked over a
// frontier API, with routes out of the running, a break-even and an unpriced candidate — for the
// memo and browser tests. Hand-written, so every figure a test checks is visible here.
import type { CandidateSummary, Report } from '../src/spec/decision.ts';

export const SHARED_NOTE =
  'llama-3.1-8b@together, llama-3.1-8b@groq serve Llama 3.1 8B on managed APIs: the same weights as open-8b, so they carry its measured quality; their latency was not measured.';

function candidate(id: string, passed: number, total = 200): CandidateSummary {
  const p = passed / total;
  return {
    candidateId: id,
    model: `openai-compatible:${id}`,
    total,
    passed,
    failed: total - passed,
    errors: 0,
    passRate: { estimate: p, low: p - 0.05, high: p + 0.04 },
    ttftMs: { p50: 120, p90: 300, p99: 900 },
    durationMs: { p50: 400, p90: 800, p99: 1500 },
    inputTokens: 60 * total,
    outputTokens: 3 * total,
    tokenSource: 'server',
  };
}

/** A decided run: the managed route of open-8b wins, frontier is runner-up, three more candidates. */
export function decidedReport(): Report {
  const volumes = [1e5, 1e6, 1e7, 1e8, 1e9];
  return {
    schemaVersion: 1,
    runId: 'run-1',
    workload: 'invoice-extraction',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:05:00.000Z',
    cases: 200,
    candidates: [
      candidate('frontier', 188),
      candidate('open-8b', 186),
      candidate('open-70b', 187),
      candidate('claude-haiku', 185),
      candidate('mistral-small', 150),
    ],
    decision: {
      winner: 'open-8b',
      winnerOption: 'llama-3.1-8b@together',
      runnerUp: 'frontier',
      reasons: [
        'open-8b is non-inferior to frontier at the 5-point margin.',
        'At 3M requests a month, llama-3.1-8b@together costs $130 a month, the cheapest of 5 priced options still in the running.',
        'Runner-up frontier costs $1,350 a month ($1,220 more).',
        'frontier has the highest pass rate: 188/200 (94.0%).',
        'mistral-small drops out: its pass rate 150/200 is below the floor of 85%.',
      ],
      caveats: [
        'Latency of the managed routes was not measured.',
        'Caveat two.',
        'Caveat three.',
        'Caveat four.',
      ],
      flips: [
        'The pick changes from llama-3.1-8b@together to frontier with frontier token prices at $0.00004/request instead of $0.00045/request (−91%).',
      ],
      reevaluate: { date: '2027-05-24', triggers: ['Volume reaches 6M requests a month (×2).'] },
    },
    cost: {
      requestsPerMonth: 3_000_000,
      priceDate: '2026-11-01',
      usageSource: 'measured',
      options: [
        {
          optionId: 'llama-3.1-8b@together',
          candidateId: 'open-8b',
          family: 'open-managed-api',
          monthlyUsd: 130,
          costPerRequestUsd: 0.0000433,
          notes: [SHARED_NOTE],
        },
        {
          optionId: 'llama-3.1-8b@groq',
          candidateId: 'open-8b',
          family: 'open-managed-api',
          monthlyUsd: 160,
          costPerRequestUsd: 0.0000533,
          notes: [SHARED_NOTE],
        },
        {
          optionId: 'frontier',
          candidateId: 'frontier',
          family: 'closed-api',
          monthlyUsd: 1350,
          costPerRequestUsd: 0.00045,
        },
        {
          optionId: 'open-8b',
          candidateId: 'open-8b',
          family: 'self-hosted-cloud',
          monthlyUsd: 6400,
          costPerRequestUsd: 0.0021,
          replicas: 2,
          averageUtilisation: 0.06,
          notes: [SHARED_NOTE],
        },
        {
          optionId: 'mistral-small',
          candidateId: 'mistral-small',
          family: 'closed-api',
          monthlyUsd: 90,
          costPerRequestUsd: 0.00003,
          status: 'below the quality bar',
        },
        {
          optionId: 'llama-3.3-70b@groq',
          candidateId: 'open-70b',
          family: 'open-managed-api',
          monthlyUsd: 400,
          costPerRequestUsd: 0.00013,
          status: 'comparison only: the same weights as open-70b on a managed API',
          notes: [SHARED_NOTE],
        },
      ],
      curve: {
        volumes,
        series: [
          { optionId: 'llama-3.1-8b@together', usd: volumes.map((v) => v * 0.0000433) },
          { optionId: 'llama-3.1-8b@groq', usd: volumes.map((v) => v * 0.0000533) },
          { optionId: 'frontier', usd: volumes.map((v) => v * 0.00045) },
          { optionId: 'open-8b', usd: volumes.map((v) => 6000 + v * 0.0001) },
          { optionId: 'mistral-small', usd: volumes.map((v) => v * 0.00003) },
        ],
      },
      breakEvens: [
        {
          apiOptionId: 'frontier',
          selfHostedOptionId: 'open-8b',
          volume: 17_100_000,
          sentence: 'open-8b costs less than frontier from 17.1M requests a month.',
        },
      ],
      unpriced: [
        'claude-haiku cannot be priced: no price for anthropic:claude-haiku in @pydantic/genai-prices; set candidates[3].price.',
      ],
    },
  };
}
