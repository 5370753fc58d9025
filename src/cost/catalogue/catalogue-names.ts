// The names and ids the catalogue code reads at run time, apart from the schemas that check a
// catalogue file (catalogue-schema.ts, built on first use): a run on the bundled catalogue reads its
// files without them, and building them when the module loaded cost every command's start-up.

/** Every catalogue file verdict reads, by name (the file is `<name>.json`), in reading order. */
export const CATALOGUE_NAMES = [
  'licences',
  'open-weight-models',
  'gpus',
  'gpu-offers',
  'compliance',
  'defaults',
  'batch-discounts',
  'token-price-overrides',
] as const;

/** A catalogue file's name; catalogue-schema.ts has one schema for each, checked by the compiler. */
export type CatalogueName = (typeof CATALOGUE_NAMES)[number];

/** Every default the cost model reads, by id; a catalogue must give each exactly once. */
export const DEFAULT_IDS = [
  'amortisation_months',
  'bandwidth_efficiency',
  'compute_efficiency',
  'egress_bytes_per_output_token',
  'egress_usd_per_gb',
  'engineer_hourly_usd',
  'extra_disk_gb_per_replica',
  'gpu_memory_utilisation',
  'hosting_usd_per_gpu_month',
  'load_balancer_usd_per_month',
  'max_batch',
  'min_replicas',
  'monitoring_fixed_usd_per_month',
  'monitoring_usd_per_host_month',
  'operations_hours.infrastructure',
  'operations_hours.monitoring',
  'operations_hours.updates',
  'operations_hours.security',
  'operations_hours.on_call',
  'pue',
  'runtime_overhead_gb_per_gpu',
  'storage_usd_per_gb_month',
  'target_utilisation',
  'tpot_slo_ms',
  'usd_per_kwh',
] as const;

/** What every row carries: where its figures come from and as of when. */
export type ProvenanceFields = {
  source: string;
  date: string;
  kind?: 'catalogue' | 'estimate';
  estimate?: boolean;
  note?: string;
};
