import type { GpuSpec } from '../types.ts';
import { onCatalogue } from './active-catalogue.ts';

// GPU datasheet figures and purchase-price estimates, from catalogues/gpus.json (or the active dated catalogue).

/** The GPU catalogue. */
export let GPUS: readonly GpuSpec[] = [];
onCatalogue((catalogue) => {
  GPUS = catalogue.gpus;
});

/** The GPU for an id, or undefined. */
export function findGpu(id: string): GpuSpec | undefined {
  return GPUS.find((g) => g.id === id.toLowerCase());
}
