import type { GpuOffer } from '../types.ts';
import { onCatalogue } from './active-catalogue.ts';

// GPU rental list prices per GPU-hour, dated per row, from catalogues/gpu-offers.json (or the active
// dated catalogue). They age: every row is overridable in the workload, and reports flag old rows.

/** A 1-year commitment discount where the vendor's own reserved figure is not in the snapshot (estimate). */
export let ASSUMED_ONE_YEAR_DISCOUNT = 0;
/** The GPU price snapshot. */
export let GPU_OFFERS: readonly GpuOffer[] = [];
onCatalogue((catalogue) => {
  ASSUMED_ONE_YEAR_DISCOUNT = catalogue.assumedOneYearDiscount;
  GPU_OFFERS = catalogue.gpuOffers;
});

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
