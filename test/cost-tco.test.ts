import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measuredCapacity } from '../src/cost/capacity.ts';
import { findGpu } from '../src/cost/catalogue/gpus.ts';
import { costModel, monthlyAt } from '../src/cost/cost-model.ts';
import { operationsHours, operationsLines } from '../src/cost/operations.ts';
import { type OptionSpec, priceOption } from '../src/cost/options.ts';
import { SECONDS_PER_MONTH } from '../src/cost/provenance.ts';
import { planReplicas, replicasFor } from '../src/cost/replicas.ts';
import { type SelfHostedInput, selfHostedTco } from '../src/cost/tco.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const line = (lines: { id: string; usd: number }[], id: string) => lines.find((l) => l.id === id)!.usd;

// 26,280,000 requests a month = 10 req/s on average; peak factor 2 → 20 req/s.
// Capacity 5 req/s at 80% target utilisation = 4 req/s per replica → ⌈20 ÷ 4⌉ = 5 replicas (minimum 2).
const base: SelfHostedInput = {
  optionId: 'llama@cloud',
  requestsPerMonth: 26_280_000,
  peakFactor: 2,
  capacity: measuredCapacity(5, 1, 'load test lt-1'),
  hardware: { kind: 'cloud', gpuLabel: 'H100', usdPerGpuHour: 2, provenance: { kind: 'user' } },
  weightsGb: 16,
  outputTokensPerRequest: 300,
  targetUtilisation: 0.8,
  fineTuning: { oneOffUsd: 12_000, amortisationMonths: 12, provenance: { kind: 'user' } },
};

test('replicas = max(minimum, ⌈peak rate ÷ (capacity × target utilisation)⌉)', () => {
  assert.equal(replicasFor(20, 5, 0.8, 2), 5);
  assert.equal(replicasFor(1, 5, 0.8, 2), 2); // the availability minimum
  assert.equal(replicasFor(0, 5, 0.8, 2), 2);
  assert.equal(replicasFor(8, 5, 0.8, 1), 2); // exactly 2 replicas' worth stays 2
  assert.equal(SECONDS_PER_MONTH, 2_628_000);
});

test('cloud TCO: every line item by hand', () => {
  const tco = selfHostedTco(base);
  assert.equal(tco.replicas, 5);
  close(line(tco.lines, 'gpu.rent'), 7300); // 5 replicas × 1 GPU × $2/h × 730 h
  close(line(tco.lines, 'infra.storage'), 26.4); // 5 × (16 GB + 50 GB) × $0.08/GB-month
  close(line(tco.lines, 'infra.egress'), 141.912); // 26.28M × 300 tokens × 200 B = 1,576.8 GB × $0.09
  close(line(tco.lines, 'infra.load-balancer'), 22.27);
  close(line(tco.lines, 'infra.monitoring'), 175); // 5 hosts × $15 + $100
  close(line(tco.lines, 'ops.infrastructure'), 1440); // 16 h × $90
  close(line(tco.lines, 'ops.monitoring'), 720); // 8 h × $90
  close(line(tco.lines, 'ops.updates'), 720);
  close(line(tco.lines, 'ops.security'), 360); // 4 h × $90
  close(line(tco.lines, 'ops.on_call'), 1440);
  close(line(tco.lines, 'fine-tuning'), 1000); // $12,000 ÷ 12 months
  close(tco.monthlyUsd, 7300 + 26.4 + 141.912 + 22.27 + 175 + 4680 + 1000); // $13,345.582
  close(tco.averageUtilisation!, 0.4); // 10 req/s ÷ (5 replicas × 5 req/s)
  close(tco.costPerRequestUsd, 13_345.582 / 26_280_000);
  assert.equal(tco.family, 'self-hosted-cloud');
  assert.match(
    tco.lines[0]!.formula,
    /^5 replicas × 1 GPU × \$2\.00\/h × 730 h; replicas: max\(2, ⌈10 req\/s × 2 peak ÷ \(5 req\/s × 0\.8\)⌉\) = 5$/,
  );
  assert.equal(tco.lines[0]!.provenance.kind, 'computed');
});

test('owned TCO: amortised capex, power with PUE, hosting; defaults with sources', () => {
  const h100 = findGpu('h100-sxm')!;
  const tco = selfHostedTco({
    ...base,
    fineTuning: undefined,
    hardware: {
      kind: 'owned',
      gpuLabel: h100.name,
      capexUsdPerGpu: 37_500,
      capexProvenance: h100.capexProvenance,
      systemWattsPerGpu: 1275,
    },
  });
  close(line(tco.lines, 'gpu.capex'), 5208.333333); // 5 GPUs × $37,500 ÷ 36 months
  close(line(tco.lines, 'gpu.power'), 943.7805); // 5 × 1,275 W × PUE 1.56 × 730 h ÷ 1000 × $0.13/kWh
  close(line(tco.lines, 'gpu.hosting'), 375); // 5 × $75
  assert.equal(
    tco.lines.some((l) => l.id === 'infra.storage' || l.id === 'infra.egress'),
    false,
  ); // in the hosting fee
  close(tco.monthlyUsd, 5208.333333 + 943.7805 + 375 + 22.27 + 175 + 4680);
  assert.equal(tco.family, 'self-hosted-owned');
});

test('an hourly profile: replicas follow the hours; idle capacity shows in utilisation', () => {
  // 12 quiet hours at weight 1 and 12 busy at 3: mean weight 2, so quiet = 5 req/s, busy = 15 req/s.
  // Quiet: max(2, ⌈5 ÷ 4⌉) = 2; busy: ⌈15 ÷ 4⌉ = 4. Mean replicas 3, peak 4.
  const profile = [...Array(12).fill(1), ...Array(12).fill(3)];
  const plan = planReplicas({
    requestsPerMonth: 26_280_000,
    peakFactor: 9,
    capacityRps: 5,
    targetUtilisation: 0.8,
    minReplicas: 2,
    hourlyProfile: profile,
  });
  assert.deepEqual([plan.peakReplicas, plan.averageReplicas], [4, 3]);
  close(plan.peakRps, 15);
  close(plan.averageUtilisation, 10 / 15); // 10 req/s ÷ (3 × 5)
  const tco = selfHostedTco({ ...base, hourlyProfile: profile });
  close(line(tco.lines, 'gpu.rent'), 4380); // 3 mean replicas × $2 × 730
  assert.equal(tco.replicas, 4);
});

test('utilisation and the autoscaling ceiling are reported', () => {
  const idle = selfHostedTco({ ...base, requestsPerMonth: 1_000_000 });
  assert.equal(idle.replicas, 2);
  assert.match(idle.notes.join(' '), /utilised on average: most GPU hours are paid for idle capacity/);
  const capped = selfHostedTco({ ...base, maxReplicas: 3 });
  assert.match(capped.notes.join(' '), /needs 5 replicas, above the autoscaling maximum of 3/);
});

test("operations: the workload's hours and rate replace the defaults", () => {
  const lines = operationsLines({
    engineer_hourly_usd: 150,
    hours_per_month: { infrastructure: 10, monitoring: 0, updates: 2, security: 1, on_call: 7 },
  });
  close(
    lines.reduce((s, l) => s + l.usd, 0),
    20 * 150,
  );
  assert.equal(lines[0]!.provenance.kind, 'user');
  assert.equal(operationsHours(undefined), 52);
  assert.equal(operationsLines(undefined)[0]!.provenance.kind, 'estimate');
  // min_replicas and target_utilisation from the workload's operations block.
  const tco = selfHostedTco({
    ...base,
    targetUtilisation: undefined,
    operations: { min_replicas: 6, target_utilisation: 0.5 },
  });
  assert.equal(tco.replicas, 8); // ⌈20 ÷ 2.5⌉ = 8 ≥ 6
});

test('the fast cost form agrees with the line items for every kind of option', () => {
  const h100 = findGpu('h100-sxm')!;
  const specs: OptionSpec[] = [
    { kind: 'self-hosted', id: 'cloud', ...strip(base) },
    { kind: 'self-hosted', id: 'profile', ...strip(base), hourlyProfile: [1, 1, 2, 5, 3, 1] },
    {
      kind: 'self-hosted',
      id: 'owned',
      ...strip(base),
      hardware: {
        kind: 'owned',
        gpuLabel: 'H100',
        capexUsdPerGpu: 30_000,
        capexProvenance: h100.capexProvenance,
        systemWattsPerGpu: 1275,
        pue: 1.3,
      },
      infra: { monitoringUsdPerHostMonth: 40, loadBalancerUsdPerMonth: 0 },
      operations: { engineer_hourly_usd: 120, hours_per_month: { on_call: 40 } },
    },
    {
      kind: 'api',
      id: 'api',
      family: 'closed-api',
      price: {
        providerId: 'x',
        modelId: 'y',
        inputPerMTok: 1,
        outputPerMTok: 4,
        priceDate: '2026-09-23',
        provenance: { kind: 'user' },
      },
      usages: [
        { input: 900, output: 200 },
        { input: 1500, output: 50 },
      ],
      usageProvenance: { kind: 'user' },
    },
  ];
  for (const spec of specs) {
    const model = costModel(spec, 2);
    for (const v of [0, 1e5, 3.3e6, 2.628e7, 9.99e7, 4e8]) {
      close(
        monthlyAt(model, v),
        priceOption(spec, v, 2).monthlyUsd,
        1e-6 * Math.max(1, priceOption(spec, v, 2).monthlyUsd),
      );
    }
  }
});

function strip(input: SelfHostedInput) {
  const { optionId: _o, requestsPerMonth: _r, peakFactor: _p, ...rest } = input;
  return rest;
}
