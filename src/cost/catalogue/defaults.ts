import { onCatalogue } from './active-catalogue.ts';
import type { Default } from './catalogue-types.ts';

// Defaults for every input of the self-hosted TCO that a workload may leave out, each with the source
// it is based on, from catalogues/defaults.json (or the active dated catalogue). All are overridable;
// a report shows which ones were used. This module exports the defaults and nothing else: callers
// iterate it (`import * as costDefaults`).

export type { Default } from './catalogue-types.ts';

/** Months over which owned hardware is written off. */
export let AMORTISATION_MONTHS!: Default;
/** Share of peak HBM bandwidth decode reaches in a serving engine. */
export let BANDWIDTH_EFFICIENCY!: Default;
/** Share of peak dense throughput prefill reaches. */
export let COMPUTE_EFFICIENCY!: Default;
/** Bytes sent per output token when streaming (one server-sent-event JSON chunk per token). */
export let EGRESS_BYTES_PER_OUTPUT_TOKEN!: Default;
/** Internet egress per GB. */
export let EGRESS_USD_PER_GB!: Default;
/** Loaded engineer cost: BLS median software-developer wage ÷ the wage share of total compensation. */
export let ENGINEER_HOURLY_USD!: Default;
/** Disk per replica besides the weights: container image, logs. */
export let EXTRA_DISK_GB_PER_REPLICA!: Default;
/** Share of GPU memory the serving engine may use. */
export let GPU_MEMORY_UTILISATION!: Default;
/** Rack space, network and remote hands per GPU-month in a colocation site, power excluded. */
export let HOSTING_USD_PER_GPU_MONTH!: Default;
/** Load balancer per month: hourly charge plus one capacity unit. */
export let LOAD_BALANCER_USD_PER_MONTH!: Default;
/** Largest batch a serving engine runs at once. */
export let MAX_BATCH!: Default;
/** Minimum replicas for availability: one can fail or be replaced during an update. */
export let MIN_REPLICAS!: Default;
/** Monitoring that does not scale with hosts: logs and metrics retention. */
export let MONITORING_FIXED_USD_PER_MONTH!: Default;
/** Monitoring per replica host per month. */
export let MONITORING_USD_PER_HOST_MONTH!: Default;
/** Power usage effectiveness of the hosting site. */
export let PUE!: Default;
/** Memory per GPU taken by the runtime (CUDA context, activations, graphs) besides weights and KV cache. */
export let RUNTIME_OVERHEAD_GB_PER_GPU!: Default;
/** Block storage per GB-month (weights and images on every replica). */
export let STORAGE_USD_PER_GB_MONTH!: Default;
/** Share of a replica's capacity planned for use at peak, leaving headroom for bursts. */
export let TARGET_UTILISATION!: Default;
/** Time-per-output-token objective used when the workload sets none. */
export let TPOT_SLO_MS!: Default;
/** Electricity price. */
export let USD_PER_KWH!: Default;
/** Engineer-hours per month to run one production model endpoint, by activity. */
export let OPERATIONS_HOURS!: Record<
  'infrastructure' | 'monitoring' | 'updates' | 'security' | 'on_call',
  Default
>;

onCatalogue(({ defaults: d }) => {
  AMORTISATION_MONTHS = d.AMORTISATION_MONTHS!;
  BANDWIDTH_EFFICIENCY = d.BANDWIDTH_EFFICIENCY!;
  COMPUTE_EFFICIENCY = d.COMPUTE_EFFICIENCY!;
  EGRESS_BYTES_PER_OUTPUT_TOKEN = d.EGRESS_BYTES_PER_OUTPUT_TOKEN!;
  EGRESS_USD_PER_GB = d.EGRESS_USD_PER_GB!;
  ENGINEER_HOURLY_USD = d.ENGINEER_HOURLY_USD!;
  EXTRA_DISK_GB_PER_REPLICA = d.EXTRA_DISK_GB_PER_REPLICA!;
  GPU_MEMORY_UTILISATION = d.GPU_MEMORY_UTILISATION!;
  HOSTING_USD_PER_GPU_MONTH = d.HOSTING_USD_PER_GPU_MONTH!;
  LOAD_BALANCER_USD_PER_MONTH = d.LOAD_BALANCER_USD_PER_MONTH!;
  MAX_BATCH = d.MAX_BATCH!;
  MIN_REPLICAS = d.MIN_REPLICAS!;
  MONITORING_FIXED_USD_PER_MONTH = d.MONITORING_FIXED_USD_PER_MONTH!;
  MONITORING_USD_PER_HOST_MONTH = d.MONITORING_USD_PER_HOST_MONTH!;
  PUE = d.PUE!;
  RUNTIME_OVERHEAD_GB_PER_GPU = d.RUNTIME_OVERHEAD_GB_PER_GPU!;
  STORAGE_USD_PER_GB_MONTH = d.STORAGE_USD_PER_GB_MONTH!;
  TARGET_UTILISATION = d.TARGET_UTILISATION!;
  TPOT_SLO_MS = d.TPOT_SLO_MS!;
  USD_PER_KWH = d.USD_PER_KWH!;
  OPERATIONS_HOURS = {
    infrastructure: d['operations_hours.infrastructure']!,
    monitoring: d['operations_hours.monitoring']!,
    updates: d['operations_hours.updates']!,
    security: d['operations_hours.security']!,
    on_call: d['operations_hours.on_call']!,
  };
});
