import type { Provenance } from '../types.ts';

// Defaults for every input of the self-hosted TCO that a workload may leave out, each with the source
// it is based on. All are overridable; a report shows which ones were used.

/** A default value with its provenance. */
export interface Default {
  value: number;
  unit: string;
  provenance: Provenance;
}

const est = (basis: string, asOf = '2025-06'): Provenance => ({ kind: 'estimate', basis, asOf });
const cat = (source: string, asOf = '2025-06', note?: string): Provenance => ({
  kind: 'catalogue',
  source,
  asOf,
  ...(note ? { note } : {}),
});

/** Loaded engineer cost: BLS median software-developer wage ÷ the wage share of total compensation. */
export const ENGINEER_HOURLY_USD: Default = {
  value: 90,
  unit: 'USD/h',
  provenance: est(
    'BLS OEWS May 2023 median annual wage for software developers $132,270 ÷ 2,080 h = $63.59/h, ÷ 0.704 (wages share of total compensation, BLS ECEC private industry, Dec 2023) ≈ $90/h loaded; ML-platform engineers usually cost more',
    '2024-04',
  ),
};

/** Engineer-hours per month to run one production model endpoint, by activity. */
export const OPERATIONS_HOURS: Record<
  'infrastructure' | 'monitoring' | 'updates' | 'security' | 'on_call',
  Default
> = {
  infrastructure: {
    value: 16,
    unit: 'h/month',
    provenance: est(
      'verdict estimate: capacity, autoscaling, GPU driver and serving-stack upkeep for one endpoint',
    ),
  },
  monitoring: {
    value: 8,
    unit: 'h/month',
    provenance: est('verdict estimate: dashboards, alerts, latency and error review'),
  },
  updates: {
    value: 8,
    unit: 'h/month',
    provenance: est('verdict estimate: new model and serving-engine versions, regression checks'),
  },
  security: {
    value: 4,
    unit: 'h/month',
    provenance: est('verdict estimate: patching, access review, image scanning'),
  },
  on_call: {
    value: 16,
    unit: 'h/month',
    provenance: est('verdict estimate: the share of an on-call rotation spent on this endpoint'),
  },
};

/** Minimum replicas for availability: one can fail or be replaced during an update. */
export const MIN_REPLICAS: Default = {
  value: 2,
  unit: 'replicas',
  provenance: est('verdict estimate: N+1 for a single-zone endpoint'),
};

/** Share of a replica's capacity planned for use at peak, leaving headroom for bursts. */
export const TARGET_UTILISATION: Default = {
  value: 0.7,
  unit: 'fraction',
  provenance: est('verdict estimate: common autoscaling target of 60–80%'),
};

/** Block storage per GB-month (weights and images on every replica). */
export const STORAGE_USD_PER_GB_MONTH: Default = {
  value: 0.08,
  unit: 'USD/GB-month',
  provenance: cat('https://aws.amazon.com/ebs/pricing/', '2025-06', 'gp3, us-east-1'),
};

/** Disk per replica besides the weights: container image, logs. */
export const EXTRA_DISK_GB_PER_REPLICA: Default = {
  value: 50,
  unit: 'GB',
  provenance: est('verdict estimate: serving image and logs'),
};

/** Internet egress per GB. */
export const EGRESS_USD_PER_GB: Default = {
  value: 0.09,
  unit: 'USD/GB',
  provenance: cat(
    'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer',
    '2025-06',
    'first 10 TB/month',
  ),
};

/** Bytes sent per output token when streaming (one server-sent-event JSON chunk per token). */
export const EGRESS_BYTES_PER_OUTPUT_TOKEN: Default = {
  value: 200,
  unit: 'B/token',
  provenance: est('size of an OpenAI-compatible streaming chunk carrying one token'),
};

/** Load balancer per month: hourly charge plus one capacity unit. */
export const LOAD_BALANCER_USD_PER_MONTH: Default = {
  value: 22.27,
  unit: 'USD/month',
  provenance: cat(
    'https://aws.amazon.com/elasticloadbalancing/pricing/',
    '2025-06',
    'ALB $0.0225/h + 1 LCU × $0.008/h, × 730 h',
  ),
};

/** Monitoring per replica host per month. */
export const MONITORING_USD_PER_HOST_MONTH: Default = {
  value: 15,
  unit: 'USD/host-month',
  provenance: cat('https://www.datadoghq.com/pricing/', '2025-06', 'Infrastructure Pro, billed annually'),
};

/** Monitoring that does not scale with hosts: logs and metrics retention. */
export const MONITORING_FIXED_USD_PER_MONTH: Default = {
  value: 100,
  unit: 'USD/month',
  provenance: est('verdict estimate: log and metric retention for one endpoint'),
};

/** Months over which owned hardware is written off. */
export const AMORTISATION_MONTHS: Default = {
  value: 36,
  unit: 'months',
  provenance: est('three-year useful life of a GPU generation'),
};

/** Power usage effectiveness of the hosting site. */
export const PUE: Default = {
  value: 1.56,
  unit: 'ratio',
  provenance: cat(
    'https://uptimeinstitute.com/resources/research-and-reports/uptime-institute-global-data-center-survey-results-2024',
    '2024-07',
    'global average',
  ),
};

/** Electricity price. */
export const USD_PER_KWH: Default = {
  value: 0.13,
  unit: 'USD/kWh',
  provenance: cat(
    'https://www.eia.gov/electricity/monthly/',
    '2025-03',
    'US average commercial retail price, 2024, rounded',
  ),
};

/** Rack space, network and remote hands per GPU-month in a colocation site, power excluded. */
export const HOSTING_USD_PER_GPU_MONTH: Default = {
  value: 75,
  unit: 'USD/GPU-month',
  provenance: est('verdict estimate: a colocation rack share for one GPU of an 8-GPU server'),
};

/** Share of peak HBM bandwidth decode reaches in a serving engine. */
export const BANDWIDTH_EFFICIENCY: Default = {
  value: 0.6,
  unit: 'fraction',
  provenance: est('serving engines reach roughly 50–70% of peak memory bandwidth in decode'),
};

/** Share of peak dense throughput prefill reaches. */
export const COMPUTE_EFFICIENCY: Default = {
  value: 0.4,
  unit: 'fraction',
  provenance: est('model FLOPs utilisation of 30–50% in prefill'),
};

/** Time-per-output-token objective used when the workload sets none. */
export const TPOT_SLO_MS: Default = {
  value: 50,
  unit: 'ms',
  provenance: est('the example objective in DESIGN.md §4'),
};

/** Largest batch a serving engine runs at once. */
export const MAX_BATCH: Default = {
  value: 256,
  unit: 'sequences',
  provenance: cat(
    'https://docs.vllm.ai/en/latest/configuration/engine_args.html',
    '2025-06',
    'vLLM max_num_seqs default',
  ),
};

/** Share of GPU memory the serving engine may use. */
export const GPU_MEMORY_UTILISATION: Default = {
  value: 0.9,
  unit: 'fraction',
  provenance: cat(
    'https://docs.vllm.ai/en/latest/configuration/engine_args.html',
    '2025-06',
    'vLLM gpu_memory_utilization default',
  ),
};

/** Memory per GPU taken by the runtime (CUDA context, activations, graphs) besides weights and KV cache. */
export const RUNTIME_OVERHEAD_GB_PER_GPU: Default = {
  value: 2,
  unit: 'GB',
  provenance: est('CUDA context, activation buffers and CUDA graphs of a serving engine'),
};
