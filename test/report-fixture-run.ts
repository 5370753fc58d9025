// Runs for report, dashboard and browser tests (and the benchmarks): a real run through the runner
// against the stand-in server, and a synthetic run written straight into the store (any size, any
// ids, including ids the workload parser would refuse — the store is untrusted input too).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Report } from '../src/spec/decision.ts';
import type { Result } from '../src/spec/result.ts';
import type { Store } from '../src/store/store.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';

export const xssPayloads: string[] = JSON.parse(
  readFileSync(new URL('./fixtures/xss/payloads.json', import.meta.url), 'utf8'),
);

export interface RealRunOptions {
  name: string;
  cases: Array<{ id: string; text: string; expected: string; tags?: string[] }>;
  /** Answer of the stand-in to the case text. */
  answer: (text: string) => string;
  models?: string[];
}

/** Runs a workload for real (runner, graders, store) against a local stand-in server. */
export async function makeRealRun(store: Store, dir: string, options: RealRunOptions): Promise<string> {
  const server = await startStandInServer({
    answer: (messages) => options.answer(messages.at(-1)!.content.replace(/^Ticket: /, '')),
  });
  try {
    const casesFile = path.join(dir, 'cases.jsonl');
    writeFileSync(
      casesFile,
      options.cases
        // U+2028/2029 escaped: the JSONL reader (node:readline) ends lines at them.
        .map((c) =>
          JSON.stringify({ id: c.id, input: c.text, expected: c.expected, tags: (c.tags ?? []).join(',') })
            .replace(/\u2028/g, '\\u2028')
            .replace(/\u2029/g, '\\u2029'),
        )
        .join('\n'),
    );
    const models = options.models ?? ['stand-in-a', 'stand-in-b'];
    // JSON is YAML: the name and models go through unquoted-text pitfalls untouched.
    const workloadFile = path.join(dir, 'workload.yaml');
    writeFileSync(
      workloadFile,
      JSON.stringify({
        version: 1,
        name: options.name,
        prompt: 'Ticket: {{ticket}}',
        cases: {
          file: 'cases.jsonl',
          vars: { ticket: 'input' },
          expected: 'expected',
          id: 'id',
          tags: 'tags',
        },
        graders: [{ equals: { trim: true } }],
        candidates: models.map((model, index) => ({
          id: `cand-${index + 1}`,
          model: `openai-compatible:${model}`,
          base_url: server.url,
        })),
      }),
    );
    const workload = await loadWorkload(workloadFile);
    const { runId } = await runWorkload(workload, { store, concurrency: 4 });
    return runId;
  } finally {
    await server.close();
  }
}

export interface SyntheticRunOptions {
  runId: string;
  workloadName?: string;
  candidates?: Array<{ id: string; model: string; passRate: number }>;
  cases: number;
  /** Text put into outputs, case vars and ids in turn (default: plain ticket text). */
  texts?: string[];
  tags?: string[];
  startedAt?: string;
}

/** Writes a run of `cases × candidates` results straight into the store, deterministically. */
export async function seedSyntheticRun(store: Store, options: SyntheticRunOptions): Promise<void> {
  const candidates = options.candidates ?? [
    { id: 'frontier', model: 'openai:gpt-4o-mini', passRate: 0.92 },
    { id: 'open-8b', model: 'openai-compatible:llama-3.1-8b', passRate: 0.81 },
  ];
  const texts = options.texts ?? ['refund my order', 'the app crashes on start', 'please add dark mode'];
  const labels = ['billing', 'bug', 'feature_request', 'account', 'shipping', 'other'];
  await store.createRun({
    id: options.runId,
    workloadName: options.workloadName ?? 'support-ticket-triage',
    workloadFile: '/synthetic/workload.yaml',
    workloadJson: JSON.stringify({
      version: 1,
      name: options.workloadName ?? 'support-ticket-triage',
      file: '/synthetic/workload.yaml',
      prompt: { kind: 'text', template: 'Ticket: {{ticket}}' },
      cases: { kind: 'file', path: '/synthetic/cases.jsonl', format: 'jsonl', vars: { ticket: 'input' } },
      graders: [{ type: 'equals', options: {} }],
      candidates: candidates.map((c) => ({
        id: c.id,
        model: c.model,
        provider: c.model.split(':')[0],
        modelName: c.model.split(':').slice(1).join(':'),
        params: {},
      })),
      traffic: { requests_per_month: 3_000_000, peak_factor: 3 },
      constraints: {
        data_residency: 'any',
        hipaa: false,
        on_prem: false,
        zero_retention: false,
        fine_tuning: false,
      },
    }),
    status: 'completed',
    startedAt: options.startedAt ?? '2026-11-24T10:00:00.000Z',
    finishedAt: null,
    plannedResults: options.cases * candidates.length,
  });
  // A fixed linear congruential sequence: the same run every time.
  let state = 12345;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const batch = 1000;
  for (let first = 0; first < options.cases; first += batch) {
    const count = Math.min(batch, options.cases - first);
    const cases = Array.from({ length: count }, (_, k) => {
      const n = first + k;
      const text = texts[n % texts.length]!;
      return {
        id: options.texts ? `${text} #${n}` : `case-${n + 1}`,
        vars: { ticket: `${text} (${n})` },
        expected: labels[n % labels.length]!,
        tags: options.tags ? [options.tags[n % options.tags.length]!] : [],
        source: `synthetic:${n + 1}`,
      };
    });
    await store.saveCases(options.runId, cases, first + 1);
    for (const [k, testCase] of cases.entries()) {
      const n = first + k;
      for (const candidate of candidates) {
        const pass = random() < candidate.passRate;
        const error = !pass && random() < 0.05;
        const ttft = 40 + 400 * random() ** 3;
        const result: Result = {
          runId: options.runId,
          candidateId: candidate.id,
          caseId: testCase.id,
          repeat: 0,
          output: error
            ? null
            : pass
              ? testCase.expected
              : options.texts
                ? texts[(n + 1) % texts.length]!
                : 'other',
          usage: error ? null : { inputTokens: 60 + (n % 40), outputTokens: 3, source: 'server' },
          ttftMs: error ? null : ttft,
          durationMs: error ? null : ttft + 20 + 200 * random() ** 2,
          finishReason: error ? null : 'stop',
          error: error ? { code: 'PROVIDER_ERROR', message: 'HTTP 500 from the endpoint' } : null,
          grades: error
            ? []
            : [
                {
                  grader: 'equals',
                  pass,
                  score: pass ? 1 : 0,
                  reason: pass ? 'equal' : `expected "${testCase.expected}"`,
                },
              ],
          pass,
          createdAt: options.startedAt ?? '2026-11-24T10:00:00.000Z',
        };
        await store.saveResult(result);
      }
    }
  }
  await store.finishRun(options.runId, 'completed');
}

/** The cost and load sections other modules fill, with plausible figures, so every chart draws. */
export function withSampleSections(report: Report): Report {
  const [first, second] = report.candidates;
  const api = first?.candidateId ?? 'frontier';
  const self = second?.candidateId ?? 'open-8b';
  const volumes = Array.from({ length: 51 }, (_, i) => Math.round(10 ** (4 + i / 10)));
  const replicas = (v: number) => Math.max(2, Math.ceil(v / 3e7));
  return {
    ...report,
    cost: {
      requestsPerMonth: 3_000_000,
      priceDate: '2026-11-01',
      options: [
        {
          optionId: api,
          candidateId: api,
          family: 'closed-api',
          monthlyUsd: 1350,
          costPerRequestUsd: 0.00045,
        },
        {
          optionId: self,
          candidateId: self,
          family: 'self-hosted-cloud',
          monthlyUsd: 9100,
          costPerRequestUsd: 0.00303,
          replicas: 2,
          averageUtilisation: 0.04,
        },
      ],
      curve: {
        volumes,
        series: [
          { optionId: api, usd: volumes.map((v) => v * 0.00045) },
          { optionId: self, usd: volumes.map((v) => 4800 + replicas(v) * 2150) },
        ],
      },
      breakEvens: [
        {
          apiOptionId: api,
          selfHostedOptionId: self,
          volume: 2.02e7,
          sentence: `${self} costs less than ${api} from 20.2M requests a month.`,
        },
      ],
      sensitivity: {
        baseVolume: 2.02e7,
        inputs: [
          { input: 'GPU $/hour', low: 1.3e7, high: 2.9e7 },
          { input: 'API price per token', low: 4.1e7, high: 1.35e7 },
          { input: 'engineer-hours per month', low: 1.2e7, high: 2.8e7 },
          { input: 'capacity per replica', low: 2.6e7, high: 1.9e7 },
          { input: 'output tokens per request', low: 3.4e7, high: 1.5e7 },
        ],
      },
    },
    loadTests: [1, 2, 4, 8, 16].map((rate) => ({
      id: `sweep-${rate}`,
      model: self,
      loadKind: 'rate' as const,
      load: rate,
      requestsPerSec: Math.min(rate, 9.5) * 0.99,
      outputTokensPerSec: Math.min(rate, 9.5) * 120,
      ttftP50Ms: 80 + (rate > 8 ? 900 : rate * 10),
      ttftP99Ms: 160 + (rate > 8 ? 2600 : rate * 30),
      e2eP50Ms: 900 + rate * 40,
      e2eP99Ms: 1500 + rate * 90,
      goodputPerSec: rate > 8 ? 3.1 : rate * 0.98,
      sloMet: rate <= 8,
    })),
  };
}
