import {
  EGRESS_BYTES_PER_OUTPUT_TOKEN,
  EGRESS_USD_PER_GB,
  EXTRA_DISK_GB_PER_REPLICA,
  LOAD_BALANCER_USD_PER_MONTH,
  MONITORING_FIXED_USD_PER_MONTH,
  MONITORING_USD_PER_HOST_MONTH,
  STORAGE_USD_PER_GB_MONTH,
} from './catalogue/defaults.ts';
import { computed, usd, userSet } from './provenance.ts';
import type { LineItem, Provenance } from './types.ts';

// The infrastructure a self-hosted endpoint needs besides GPUs (DESIGN §4): storage for weights on
// every replica, network egress of the responses, a load balancer, a monitoring stack. Each price is
// a default with its source unless the workload sets it.

/** Unit prices of hidden infrastructure; every field overrides its default. */
export interface HiddenInfraPrices {
  storageUsdPerGbMonth?: number;
  extraDiskGbPerReplica?: number;
  egressUsdPerGb?: number;
  egressBytesPerOutputToken?: number;
  loadBalancerUsdPerMonth?: number;
  monitoringUsdPerHostMonth?: number;
  monitoringFixedUsdPerMonth?: number;
}

export interface HiddenInfraInput {
  prices?: HiddenInfraPrices;
  /** Mean replicas running (storage and monitoring follow them). */
  replicas: number;
  weightsGb: number;
  requestsPerMonth: number;
  outputTokensPerRequest: number;
  /** Owned hardware on premises: local disks and the site network are in the hosting fee. */
  owned?: boolean;
}

/** Resolved hidden-infrastructure prices with where each came from. */
export function resolveHiddenInfraPrices(
  p: HiddenInfraPrices = {},
): Required<HiddenInfraPrices> & { provenance: Record<keyof HiddenInfraPrices, Provenance> } {
  const pick = (v: number | undefined, d: { value: number; provenance: Provenance }) => ({
    value: v ?? d.value,
    provenance: v === undefined ? d.provenance : userSet(),
  });
  const f = {
    storageUsdPerGbMonth: pick(p.storageUsdPerGbMonth, STORAGE_USD_PER_GB_MONTH),
    extraDiskGbPerReplica: pick(p.extraDiskGbPerReplica, EXTRA_DISK_GB_PER_REPLICA),
    egressUsdPerGb: pick(p.egressUsdPerGb, EGRESS_USD_PER_GB),
    egressBytesPerOutputToken: pick(p.egressBytesPerOutputToken, EGRESS_BYTES_PER_OUTPUT_TOKEN),
    loadBalancerUsdPerMonth: pick(p.loadBalancerUsdPerMonth, LOAD_BALANCER_USD_PER_MONTH),
    monitoringUsdPerHostMonth: pick(p.monitoringUsdPerHostMonth, MONITORING_USD_PER_HOST_MONTH),
    monitoringFixedUsdPerMonth: pick(p.monitoringFixedUsdPerMonth, MONITORING_FIXED_USD_PER_MONTH),
  };
  const keys = Object.keys(f) as Array<keyof typeof f>;
  return {
    ...(Object.fromEntries(keys.map((k) => [k, f[k].value])) as Required<HiddenInfraPrices>),
    provenance: Object.fromEntries(keys.map((k) => [k, f[k].provenance])) as Record<
      keyof HiddenInfraPrices,
      Provenance
    >,
  };
}

/** Hidden-infrastructure lines: storage, egress, load balancer, monitoring. */
export function hiddenInfraLines(input: HiddenInfraInput): LineItem[] {
  const p = resolveHiddenInfraPrices(input.prices);
  const lines: LineItem[] = [];
  if (!input.owned) {
    const gb = input.replicas * (input.weightsGb + p.extraDiskGbPerReplica);
    lines.push({
      id: 'infra.storage',
      label: 'storage (weights and image on every replica)',
      usd: gb * p.storageUsdPerGbMonth,
      formula: `${r(input.replicas)} replicas × (${r(input.weightsGb)} GB weights + ${p.extraDiskGbPerReplica} GB) × ${usd(p.storageUsdPerGbMonth)}/GB-month`,
      provenance: computed(
        `replicas, model size and storage price (${label(p.provenance.storageUsdPerGbMonth)})`,
      ),
    });
    const egressGb =
      (input.requestsPerMonth * input.outputTokensPerRequest * p.egressBytesPerOutputToken) / 1e9;
    lines.push({
      id: 'infra.egress',
      label: 'network egress (streamed responses)',
      usd: egressGb * p.egressUsdPerGb,
      formula: `${input.requestsPerMonth.toLocaleString('en-US')} requests × ${r(input.outputTokensPerRequest)} output tokens × ${p.egressBytesPerOutputToken} B ÷ 10⁹ × ${usd(p.egressUsdPerGb)}/GB`,
      provenance: computed(`volume, output tokens and egress price (${label(p.provenance.egressUsdPerGb)})`),
    });
  }
  lines.push({
    id: 'infra.load-balancer',
    label: 'load balancer',
    usd: p.loadBalancerUsdPerMonth,
    formula: `${usd(p.loadBalancerUsdPerMonth)}/month`,
    provenance: p.provenance.loadBalancerUsdPerMonth,
  });
  lines.push({
    id: 'infra.monitoring',
    label: 'monitoring stack',
    usd: input.replicas * p.monitoringUsdPerHostMonth + p.monitoringFixedUsdPerMonth,
    formula: `${r(input.replicas)} hosts × ${usd(p.monitoringUsdPerHostMonth)}/host-month + ${usd(p.monitoringFixedUsdPerMonth)}/month`,
    provenance: computed(`replicas and monitoring prices (${label(p.provenance.monitoringUsdPerHostMonth)})`),
  });
  return lines;
}

const r = (x: number) => Number(x.toPrecision(4));
const label = (p: Provenance) =>
  p.kind === 'catalogue'
    ? `${p.source} as of ${p.asOf}`
    : p.kind === 'estimate'
      ? `estimate: ${p.basis}`
      : 'set in the workload';
