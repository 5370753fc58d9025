// A hand-sized API / self-hosted pair that cost tests compute by hand. The API costs $0.001 a request
// (1,000 input tokens at $1/MTok). Self-hosting: one replica serves 1M requests a month (capacity ×
// utilisation 1 × seconds ÷ peak 1), costs $730 a month ($1/h × 730 h), plus $1,000 a month of
// operations (10 h × $100); nothing else. So self-hosted(V) = 1,000 + 730 × max(1, ⌈V ÷ 1M⌉) and
// API(V) = 0.001 × V.
import type { ApiOptionSpec, SelfHostedOptionSpec } from '../../src/cost/options.ts';
import { SECONDS_PER_MONTH } from '../../src/cost/provenance.ts';

export const handApi: ApiOptionSpec = {
  kind: 'api',
  id: 'api',
  family: 'closed-api',
  price: {
    providerId: 'x',
    modelId: 'y',
    inputPerMTok: 1,
    outputPerMTok: 0,
    priceDate: '2026-09-23',
    provenance: { kind: 'user' },
  },
  usages: [{ input: 1000, output: 0 }],
  usageProvenance: { kind: 'user' },
};

export const handSelfHosted: SelfHostedOptionSpec = {
  kind: 'self-hosted',
  id: 'self',
  capacity: { requestsPerSecond: 1e6 / SECONDS_PER_MONTH, gpusPerReplica: 1, provenance: { kind: 'user' } },
  hardware: { kind: 'cloud', gpuLabel: 'GPU', usdPerGpuHour: 1, provenance: { kind: 'user' } },
  weightsGb: 0,
  outputTokensPerRequest: 0,
  minReplicas: 1,
  targetUtilisation: 1,
  infra: {
    storageUsdPerGbMonth: 0,
    extraDiskGbPerReplica: 0,
    egressUsdPerGb: 0,
    loadBalancerUsdPerMonth: 0,
    monitoringUsdPerHostMonth: 0,
    monitoringFixedUsdPerMonth: 0,
  },
  operations: {
    engineer_hourly_usd: 100,
    hours_per_month: { infrastructure: 10, monitoring: 0, updates: 0, security: 0, on_call: 0 },
  },
};
