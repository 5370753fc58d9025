// The decision's steps as pure functions, each against figures computed by hand in the comments.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import type { OptionSpec } from '../src/cost/options.ts';
import { candidateOptions, managedRouteHosts } from '../src/decide/candidate-options.ts';
import { pickCheapest, priceOptions } from '../src/decide/cost-step.ts';
import { decideFully } from '../src/decide/decide.ts';
import { priceHybrid } from '../src/decide/hybrid.ts';
import { reevaluation } from '../src/decide/reevaluation.ts';
import type { CandidateSummary } from '../src/spec/decision.ts';
import type { Workload } from '../src/spec/workload.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';

const user = { kind: 'user' } as const;
const api = (id: string, input: number, output: number): OptionSpec => ({
  kind: 'api',
  id,
  family: 'closed-api',
  price: {
    providerId: 'x',
    modelId: id,
    inputPerMTok: input,
    outputPerMTok: output,
    priceDate: '2026-01-01',
    provenance: user,
  },
  usages: [{ input: 1000, output: 250 }],
  usageProvenance: user,
});
const option = (spec: OptionSpec, candidateId = spec.id) => ({
  candidateId,
  spec,
  profile: { id: spec.id, serving: 'api' as const, weights: 'closed' as const },
  notes: [],
  route: 'own' as const,
  decides: true,
});
// A self-hosted option at a fixed capacity: 2 replicas minimum, no operations hours, $1/GPU-hour.
const selfHosted = (id: string, usdPerGpuHour: number): OptionSpec => ({
  kind: 'self-hosted',
  id,
  capacity: { requestsPerSecond: 10, gpusPerReplica: 1, provenance: user },
  hardware: { kind: 'cloud', gpuLabel: 'test GPU', usdPerGpuHour, provenance: user },
  weightsGb: 0,
  outputTokensPerRequest: 0,
  infra: {
    storageUsdPerGbMonth: 0,
    extraDiskGbPerReplica: 0,
    egressUsdPerGb: 0,
    loadBalancerUsdPerMonth: 0,
    monitoringUsdPerHostMonth: 0,
    monitoringFixedUsdPerMonth: 0,
  },
  operations: {
    hours_per_month: { infrastructure: 0, monitoring: 0, updates: 0, security: 0, on_call: 0 },
  },
});

test('near-ties within the margin go to the simpler operation; beyond it the cheapest wins', () => {
  // Self-hosted: 2 replicas × $1/h × 730 h = $1,460. API at $1/$4 per MTok: (1,000 × 1 + 250 × 4) ÷ 10⁶
  // = $0.002 a request × 750,000 requests = $1,500.
  const options = [option(selfHosted('gpu', 1)), option(api('cloud-api', 1, 4))];
  const ranked = priceOptions(options, 750_000, 1);
  assert.deepEqual(
    ranked.map((p) => [p.cost.optionId, Math.round(p.cost.monthlyUsd * 100) / 100]),
    [
      ['gpu', 1460],
      ['cloud-api', 1500],
    ],
  );
  // $1,500 is 2.74% above $1,460: inside a 10% margin the API wins, outside a 2% margin the GPU does.
  const tie = pickCheapest(ranked, 0.1)!;
  assert.equal(tie.winner.cost.optionId, 'cloud-api');
  assert.equal(tie.runnerUp!.cost.optionId, 'gpu');
  assert.match(
    tie.tieBreak!,
    /^cloud-api costs \$1,500\.00 a month, 2\.74% more than gpu at \$1,460\.00: within the 10% near-tie margin, so the simpler operation wins/,
  );
  const strict = pickCheapest(ranked, 0.02)!;
  assert.equal(strict.winner.cost.optionId, 'gpu');
  assert.equal(strict.tieBreak, null);
});

/** n cases; cheap passes where `cheapPass(i)`, its router flags where `flag(i)`; strong passes all. */
function splitOutcomes(n: number, cheapPass: (i: number) => boolean, flag: (i: number) => boolean) {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  return new Map([
    ['cheap', new Map(ids.map((id, i) => [id, { pass: cheapPass(i), flagged: flag(i) }]))],
    ['strong', new Map(ids.map((id) => [id, { pass: true, flagged: false }]))],
  ]);
}

const splitOf = (outcomes: ReturnType<typeof splitOutcomes>, floor: number | null = null) =>
  priceHybrid({
    cheap: { candidateId: 'cheap', spec: api('cheap', 0.1, 0.4) },
    strong: { candidateId: 'strong', spec: api('strong', 10, 40) },
    outcomes,
    requestsPerMonth: 1e6,
    peakFactor: 1,
    gates: { best: 'strong', margin: 0.05, floor },
  })!;

test('a split pays the cheap call on every request and the strong one on escalated requests', () => {
  // 200 cases; cheap fails the 40 with i % 5 == 4; the router flags those and the 20 with i % 10 == 3.
  // cheap: $0.10/$0.40 → $0.0002 a request; strong: $10/$40 → $0.02 a request; 1M requests a month.
  const h = splitOf(
    splitOutcomes(
      200,
      (i) => i % 5 !== 4,
      (i) => i % 5 === 4 || i % 10 === 3,
    ),
  );
  // Oracle: escalate the 40 failures (20%): $200 + 200,000 × $0.02 = $4,200, passing 200/200.
  assert.equal(h.oracle.escalated, 0.2);
  assert.equal(h.oracle.passRate, 1);
  assert.ok(Math.abs(h.oracle.monthlyUsd - 4200) < 1e-6);
  // Router flags 60 (30%): $200 + 300,000 × $0.02 = $6,200, passing 200/200: identical outcomes to
  // strong, so the paired difference is 0 with a 95% interval whose lower bound is above −5 points.
  assert.equal(h.router.escalated, 0.3);
  assert.equal(h.router.passRate, 1);
  assert.ok(Math.abs(h.router.monthlyUsd - 6200) < 1e-6);
  assert.equal(h.option, true);
  assert.match(h.verdict, /passes the gates/);
});

test('a split that escalates nothing is no option, whatever its oracle bound', () => {
  const h = splitOf(
    splitOutcomes(
      200,
      (i) => i % 5 !== 4,
      () => false,
    ),
  );
  assert.equal(h.router.escalated, 0);
  assert.equal(h.oracle.passRate, 1);
  assert.equal(h.option, false);
  assert.match(h.verdict, /^cheap→strong is no option: .* would escalate nothing and be cheap alone/);
});

test('a split below the floor, or not non-inferior to the best, is no option', () => {
  // The router flags only 10 of the 40 failures: routed pass rate 170/200 = 85%.
  const weakRouter = splitOutcomes(
    200,
    (i) => i % 5 !== 4,
    (i) => i % 20 === 4,
  );
  const belowFloor = splitOf(weakRouter, 0.9);
  assert.equal(belowFloor.router.passRate, 0.85);
  assert.equal(belowFloor.option, false);
  assert.match(belowFloor.verdict, /passes 85\.0%, below the quality floor of 90\.0%/);
  // Without a floor: 30 discordant pairs all favour strong, difference −15 points: not non-inferior at 5.
  const inferior = splitOf(weakRouter);
  assert.equal(inferior.option, false);
  assert.match(inferior.verdict, /not shown non-inferior to strong at the 5-point margin/);
});

test('re-evaluation: six months by default, three when a ±25% move flips the pick', () => {
  const now = new Date('2026-11-24T00:00:00Z');
  assert.equal(reevaluation({ now, volume: 1e6, flips: [] }).date, '2027-05-24');
  const flip = {
    lever: 'volume',
    label: 'monthly volume',
    unit: 'requests/month',
    from: 1e6,
    to: 1.2e6,
    factor: 1.2,
    winner: 'a',
    newWinner: 'b',
    sentence: 'The pick changes from a to b with monthly volume at 1.2M.',
  };
  const r = reevaluation({ now, volume: 1e6, flips: [flip] });
  assert.equal(r.date, '2027-02-24');
  assert.match(r.triggers[0]!, /^The pick is fragile: monthly volume moving 20% changes it/);
  assert.ok(r.triggers.includes('Volume reaches 2M requests a month (×2) or falls to 500k (÷2).'));
  // The flip is said once, among the decision's flips, and kept here as a check recheck can test.
  assert.ok(!r.triggers.includes(flip.sentence));
  assert.ok(r.checks.some((c) => c.kind === 'flip' && c.newWinner === 'b'));
});

const summary = (id: string, passed: number, total: number, ttftP90: number): CandidateSummary => ({
  candidateId: id,
  model: `openai:${id}`,
  total,
  passed,
  failed: total - passed,
  errors: 0,
  passRate: {
    estimate: passed / total,
    low: passed / total - 0.05,
    high: Math.min(1, passed / total + 0.05),
  },
  ttftMs: { p50: ttftP90 / 2, p90: ttftP90, p99: ttftP90 },
  durationMs: { p50: ttftP90, p90: ttftP90 * 2, p99: ttftP90 * 2 },
  inputTokens: 1000 * total,
  outputTokens: 250 * total,
  tokenSource: 'server',
});

async function workload(extra: string): Promise<Workload> {
  return parseWorkload(
    `version: 1
name: steps
prompt: "{{q}}"
cases: [{ vars: { q: hi }, expected: hi }]
graders: [equals]
candidates:
  - { id: mini, model: "openai:gpt-4o-mini" }
  - { id: big, model: "openai:gpt-4o" }
  - { id: llama, model: "openai-compatible:meta-llama/Llama-3.1-8B-Instruct", base_url: "http://127.0.0.1:8000/v1" }
${extra}`,
    path.join(import.meta.dirname, 'steps.yaml'),
    { checkCases: false },
  );
}
const declared = (w: Workload) =>
  new Map(w.candidates.map((c) => [c.id, { usages: [{ input: 1000, output: 250 }], provenance: user }]));

test('the latency objective drops a slow candidate, then cost decides among the rest (Wilson fallback, said so)', async () => {
  const w = await workload('traffic: { requests_per_month: 1000000 }\ndecision: { max_ttft_p90_ms: 800 }\n');
  const { decision } = decideFully([summary('mini', 95, 100, 1200), summary('big', 96, 100, 600)], {
    cost: { workload: w, usage: declared(w), usageSource: 'measured', now: new Date('2026-11-24') },
  });
  assert.ok(
    decision.reasons.includes(
      'mini drops out: its measured p90 time to first token of 1200 ms exceeds the objective of 800 ms (decision.max_ttft_p90_ms).',
    ),
  );
  // llama has no run results: it is not in the quality comparison, so only big remains.
  assert.equal(decision.winner, 'big');
  assert.ok(
    decision.caveats.some((c) => c.startsWith('Quality is compared by overlapping 95% Wilson intervals')),
  );
});

test('a self-hosted candidate without a GPU is unpriced with the field to set; its weights are priced on managed APIs', async () => {
  const w = await workload('traffic: { requests_per_month: 1000000 }\n');
  const built = candidateOptions({ workload: w, usage: declared(w) });
  const llama = built.find((c) => c.candidateId === 'llama')!;
  assert.deepEqual(llama.unpriced, [
    'llama cannot be priced: it is self-hosted; the workload names no GPU for it (candidates[2].gpu), and verdict prices self-hosting only on hardware the team names.',
  ]);
  assert.ok(
    llama.options.length > 0 &&
      llama.options.every((o) => o.spec.kind === 'api' && o.spec.family === 'open-managed-api'),
  );
  // mini at $0.15/$0.60: 1,000 × 0.15 + 250 × 0.60 = 300 ÷ 10⁶ = $0.0003 a request.
  const { cost } = decideFully([], {
    cost: { workload: w, usage: declared(w), usageSource: 'declared', now: new Date('2026-11-24') },
  });
  assert.ok(Math.abs(cost!.options.find((o) => o.optionId === 'mini')!.monthlyUsd - 300) < 1e-9);
});

test('without a traffic section nothing is priced and quality alone decides, saying why', async () => {
  const w = await workload('');
  const { decision, cost } = decideFully([summary('mini', 95, 100, 100), summary('big', 60, 100, 100)], {
    cost: { workload: w, usage: declared(w), usageSource: 'measured', now: new Date('2026-11-24') },
  });
  assert.equal(cost, undefined);
  assert.equal(decision.winner, 'mini');
  assert.ok(
    decision.reasons.includes(
      'Cost is not weighed: the workload has no traffic section (traffic.requests_per_month).',
    ),
  );
  assert.equal(decision.reevaluate, undefined);
});

test('owned hardware, an hourly profile, fine-tuning and infrastructure overrides reach the line items', async () => {
  const w = await parseWorkload(
    `version: 1
name: owned
prompt: "{{q}}"
cases: [{ vars: { q: hi }, expected: hi }]
graders: [equals]
candidates:
  - id: llama
    model: "openai-compatible:meta-llama/Llama-3.1-8B-Instruct"
    base_url: "http://127.0.0.1:8000/v1"
    hosting: owned
    gpu: { type: l40s }
    capacity_rps: 4
traffic:
  requests_per_month: 2628000
  hourly_profile: [1,1,1,1,1,1,1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3]
constraints: { on_prem: true }
operations:
  min_replicas: 1
  target_utilisation: 0.5
  infrastructure: { load_balancer_usd_per_month: 10, monitoring_fixed_usd_per_month: 0 }
  owned_hardware: { capex_usd_per_gpu: 36000, amortisation_months: 36, usd_per_kwh: 0.1, pue: 1.5 }
  fine_tuning: { one_off_usd: 1200, amortisation_months: 12 }
`,
    path.join(import.meta.dirname, 'owned.yaml'),
    { checkCases: false },
  );
  const { cost, decision } = decideFully([], {
    cost: { workload: w, usage: declared(w), usageSource: 'declared', now: new Date('2026-11-24') },
  });
  // on_prem removes every managed route; owned hardware stays.
  assert.deepEqual(
    cost!.options.map((o) => o.optionId),
    ['llama'],
  );
  assert.ok(decision.reasons.some((r) => /^Managed routes .* are removed by constraints\.on_prem/.test(r)));
  const o = cost!.options[0]!;
  // 2,628,000 requests a month = 1 req/s on average; weights 1 and 3 (mean 2) → 0.5 and 1.5 req/s.
  // Per hour: ⌈0.5 ÷ (4 × 0.5)⌉ = 1, ⌈1.5 ÷ 2⌉ = 1 → 1 replica; owned hardware buys the peak: 1.
  assert.equal(o.replicas, 1);
  const line = (label: string) => o.lines!.find((l) => l.label.startsWith(label))!;
  // 1 GPU × $36,000 ÷ 36 months = $1,000.
  assert.ok(Math.abs(line('hardware amortisation').usd - 1000) < 1e-9);
  assert.match(line('hardware amortisation').source, /set in the workload: operations\.owned_hardware/);
  // 1 GPU × system watts × 1.5 × 730 h ÷ 1000 × $0.10.
  assert.match(line('power').formula, /PUE 1\.5 × 730 h ÷ 1000 × \$0\.1\/kWh/);
  assert.equal(line('load balancer').usd, 10);
  assert.ok(Math.abs(line('fine-tuning').usd - 100) < 1e-9);
  assert.equal(
    o.lines!.some((l) => l.label.startsWith('storage')),
    false,
  );
  assert.ok(
    decision.caveats.some((c) =>
      c.includes('llama: 4 requests/s per replica of 1 × NVIDIA L40S 48GB (stated in the workload)'),
    ),
  );
});

test('before a run, with nothing priceable, no candidate is picked and each one says what it needs', async () => {
  const w = await parseWorkload(
    `version: 1
name: unpriceable
prompt: "{{q}}"
cases: [{ vars: { q: hi }, expected: hi }]
graders: [equals]
candidates:
  - { id: mystery, model: "openai-compatible:house-model", base_url: "http://127.0.0.1:8000/v1" }
traffic: { requests_per_month: 1000 }
`,
    path.join(import.meta.dirname, 'unpriceable.yaml'),
    { checkCases: false },
  );
  const { decision, cost } = decideFully([], {
    cost: { workload: w, usage: declared(w), usageSource: 'declared', now: new Date('2026-11-24') },
  });
  assert.equal(decision.winner, null);
  assert.deepEqual(cost!.options, []);
  assert.ok(decision.reasons[0]!.startsWith('No option could be priced and quality is not measured'));
  assert.ok(
    decision.reasons.includes(
      "mystery cannot be priced: it is self-hosted; its model is not in verdict's open-weight catalogue, so its size and architecture are unknown (candidates[0].open_model); and the workload names no GPU for it (candidates[0].gpu), and verdict prices self-hosting only on hardware the team names.",
    ),
  );
});

test('managed routes: a host is excluded by its compliance name or its price-catalogue id, for pricing and constraints alike', () => {
  const llama = findOpenWeightModel('llama-3.1-8b')!;
  const all = managedRouteHosts(llama, {});
  assert.ok(all.some((h) => h.providerId === 'aws' && h.host === 'bedrock'));
  for (const name of ['aws', 'bedrock']) {
    const kept = managedRouteHosts(llama, { exclude: [name] });
    assert.equal(kept.length, all.length - 1, name);
    assert.ok(!kept.some((h) => h.providerId === 'aws'), name);
  }
});
