import type { GpuOffer, Provenance } from '../types.ts';

// A dated list-price snapshot of GPU rental, per GPU-hour (an 8-GPU instance's price ÷ 8), Linux,
// on-demand, in the cheapest common US region. Transcribed by verdict's maintainers from the vendors'
// pricing pages as of the date on each row — not fetched at run time, so it ages: every row is
// overridable in the workload, and reports flag rows older than six months. Rows marked `estimate`
// are figures the maintainers were unsure of; reserved prices without a published figure are derived
// from a stated commitment discount and marked so.

const page = (source: string, asOf: string, note?: string, estimate = false): Provenance => ({
  kind: 'catalogue',
  source,
  asOf,
  ...(estimate ? { estimate } : {}),
  ...(note ? { note } : {}),
});

const AWS = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const AWS_BLOCKS =
  'EC2 Capacity Blocks for ML (https://aws.amazon.com/ec2/capacityblocks/pricing/), rates as of 2024-12';
const GCP = 'https://cloud.google.com/compute/gpus-pricing';
const AZURE = 'https://azure.microsoft.com/en-us/pricing/details/virtual-machines/linux/';
const LAMBDA = 'https://lambda.ai/pricing';
const MODAL = 'https://modal.com/pricing';
const COREWEAVE = 'https://www.coreweave.com/pricing';
const THIRD_PARTY_2026 = 'corroborated by a third-party price summary dated 2026-05-07';

/** A 1-year commitment discount where the vendor's own reserved figure is not in the snapshot (estimate). */
export const ASSUMED_ONE_YEAR_DISCOUNT = 0.37;
const oneYear = (onDemand: number) => Math.round(onDemand * (1 - ASSUMED_ONE_YEAR_DISCOUNT) * 1000) / 1000;
const ONE_YEAR_TERM = `1-year commitment, derived as on-demand × (1 − ${ASSUMED_ONE_YEAR_DISCOUNT}) (estimate)`;

/** The GPU price snapshot. */
export const GPU_OFFERS: readonly GpuOffer[] = [
  // AWS, us-east-1
  {
    gpuId: 'h100-sxm',
    cloud: 'aws',
    instance: 'p5.48xlarge',
    gpusPerInstance: 8,
    region: 'us-east-1',
    onDemandPerGpuHour: 6.88,
    reservedPerGpuHour: 4.916,
    reservedTerm: AWS_BLOCKS,
    provenance: page(AWS, '2025-06', 'after the June 2025 P5 price reduction: $55.04/h ÷ 8', true),
  },
  {
    gpuId: 'a100-40gb',
    cloud: 'aws',
    instance: 'p4d.24xlarge',
    gpusPerInstance: 8,
    region: 'us-east-1',
    onDemandPerGpuHour: 4.096,
    reservedPerGpuHour: 1.844,
    reservedTerm: AWS_BLOCKS,
    provenance: page(
      AWS,
      '2024-12',
      '$32.77/h ÷ 8, before the June 2025 reductions, which may have lowered it',
    ),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'aws',
    instance: 'p4de.24xlarge',
    gpusPerInstance: 8,
    region: 'us-east-1',
    onDemandPerGpuHour: 5.12,
    provenance: page(AWS, '2024-12', '$40.97/h ÷ 8, before the June 2025 reductions'),
  },
  {
    gpuId: 'l40s',
    cloud: 'aws',
    instance: 'g6e.xlarge',
    gpusPerInstance: 1,
    region: 'us-east-1',
    onDemandPerGpuHour: 1.861,
    reservedPerGpuHour: oneYear(1.861),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AWS, '2025-06'),
  },
  {
    gpuId: 'l4',
    cloud: 'aws',
    instance: 'g6.xlarge',
    gpusPerInstance: 1,
    region: 'us-east-1',
    onDemandPerGpuHour: 0.8048,
    reservedPerGpuHour: oneYear(0.8048),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AWS, '2025-06'),
  },
  {
    gpuId: 'a10g',
    cloud: 'aws',
    instance: 'g5.xlarge',
    gpusPerInstance: 1,
    region: 'us-east-1',
    onDemandPerGpuHour: 1.006,
    reservedPerGpuHour: oneYear(1.006),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AWS, '2026-06', 'corroborated by a third-party EC2 price summary dated 2026-06-17'),
  },
  {
    gpuId: 't4',
    cloud: 'aws',
    instance: 'g4dn.xlarge',
    gpusPerInstance: 1,
    region: 'us-east-1',
    onDemandPerGpuHour: 0.526,
    reservedPerGpuHour: oneYear(0.526),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AWS, '2025-06'),
  },
  // Google Cloud, us-central1 (machine type with its GPUs, vCPUs and memory)
  {
    gpuId: 'h100-sxm',
    cloud: 'gcp',
    instance: 'a3-highgpu-8g',
    gpusPerInstance: 8,
    region: 'us-central1',
    onDemandPerGpuHour: 11.03,
    reservedPerGpuHour: oneYear(11.03),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(GCP, '2024-12', '~$88.25/h ÷ 8', true),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'gcp',
    instance: 'a2-ultragpu-1g',
    gpusPerInstance: 1,
    region: 'us-central1',
    onDemandPerGpuHour: 5.07,
    reservedPerGpuHour: oneYear(5.07),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(GCP, '2024-12', undefined, true),
  },
  {
    gpuId: 'a100-40gb',
    cloud: 'gcp',
    instance: 'a2-highgpu-1g',
    gpusPerInstance: 1,
    region: 'us-central1',
    onDemandPerGpuHour: 3.67,
    reservedPerGpuHour: oneYear(3.67),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(GCP, '2024-12'),
  },
  {
    gpuId: 'l4',
    cloud: 'gcp',
    instance: 'g2-standard-4',
    gpusPerInstance: 1,
    region: 'us-central1',
    onDemandPerGpuHour: 0.7068,
    reservedPerGpuHour: oneYear(0.7068),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(GCP, '2024-12', undefined, true),
  },
  // Azure, East US
  {
    gpuId: 'h100-sxm',
    cloud: 'azure',
    instance: 'ND96isr H100 v5',
    gpusPerInstance: 8,
    region: 'eastus',
    onDemandPerGpuHour: 12.29,
    reservedPerGpuHour: oneYear(12.29),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AZURE, '2024-12', '$98.32/h ÷ 8'),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'azure',
    instance: 'NC24ads A100 v4',
    gpusPerInstance: 1,
    region: 'eastus',
    onDemandPerGpuHour: 3.673,
    reservedPerGpuHour: oneYear(3.673),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AZURE, '2024-12'),
  },
  {
    gpuId: 't4',
    cloud: 'azure',
    instance: 'NC4as T4 v3',
    gpusPerInstance: 1,
    region: 'eastus',
    onDemandPerGpuHour: 0.526,
    reservedPerGpuHour: oneYear(0.526),
    reservedTerm: ONE_YEAR_TERM,
    provenance: page(AZURE, '2024-12', undefined, true),
  },
  // Lambda
  {
    gpuId: 'h100-sxm',
    cloud: 'lambda',
    instance: '8x H100 SXM',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 2.99,
    provenance: page(LAMBDA, '2025-06'),
  },
  {
    gpuId: 'h100-sxm',
    cloud: 'lambda',
    instance: '1x H100 SXM',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 3.78,
    provenance: page(LAMBDA, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'h100-pcie',
    cloud: 'lambda',
    instance: '1x H100 PCIe',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 2.86,
    provenance: page(LAMBDA, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'lambda',
    instance: '8x A100 80GB SXM',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 1.79,
    provenance: page(LAMBDA, '2025-06'),
  },
  {
    gpuId: 'a100-40gb',
    cloud: 'lambda',
    instance: '1x A100 40GB',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 1.48,
    provenance: page(LAMBDA, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'a10',
    cloud: 'lambda',
    instance: '1x A10',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 0.86,
    provenance: page(LAMBDA, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'b200',
    cloud: 'lambda',
    instance: '8x B200',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 4.99,
    provenance: page(LAMBDA, '2025-06', undefined, true),
  },
  // Modal (serverless, per-second billing: idle replicas can scale to zero)
  {
    gpuId: 'h100-sxm',
    cloud: 'modal',
    instance: 'H100',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 3.9492,
    provenance: page(MODAL, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'modal',
    instance: 'A100 80GB',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 2.4984,
    provenance: page(MODAL, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'l40s',
    cloud: 'modal',
    instance: 'L40S',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 1.9512,
    provenance: page(MODAL, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 'l4',
    cloud: 'modal',
    instance: 'L4',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 0.7992,
    provenance: page(MODAL, '2026-05', THIRD_PARTY_2026),
  },
  {
    gpuId: 't4',
    cloud: 'modal',
    instance: 'T4',
    gpusPerInstance: 1,
    region: 'us',
    onDemandPerGpuHour: 0.5904,
    provenance: page(MODAL, '2026-05', THIRD_PARTY_2026),
  },
  // CoreWeave
  {
    gpuId: 'h100-sxm',
    cloud: 'coreweave',
    instance: 'HGX H100 8x',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 6.155,
    provenance: page(COREWEAVE, '2025-06', '$49.24/h ÷ 8', true),
  },
  {
    gpuId: 'h200',
    cloud: 'coreweave',
    instance: 'HGX H200 8x',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 6.305,
    provenance: page(COREWEAVE, '2025-06', '$50.44/h ÷ 8', true),
  },
  {
    gpuId: 'a100-80gb',
    cloud: 'coreweave',
    instance: 'HGX A100 80GB 8x',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 2.7,
    provenance: page(COREWEAVE, '2025-06', '$21.60/h ÷ 8', true),
  },
  {
    gpuId: 'l40s',
    cloud: 'coreweave',
    instance: 'L40S 8x',
    gpusPerInstance: 8,
    region: 'us',
    onDemandPerGpuHour: 2.25,
    provenance: page(COREWEAVE, '2025-06', '$18.00/h ÷ 8', true),
  },
];

/** Every offer for a GPU, cheapest on-demand first. */
export function gpuOffers(gpuId: string): GpuOffer[] {
  return GPU_OFFERS.filter((o) => o.gpuId === gpuId).sort(
    (a, b) => a.onDemandPerGpuHour - b.onDemandPerGpuHour,
  );
}

/** One cloud's offer for a GPU (cheapest if it has several), or undefined. */
export function gpuOffer(gpuId: string, cloud: string): GpuOffer | undefined {
  return gpuOffers(gpuId).find((o) => o.cloud === cloud);
}
