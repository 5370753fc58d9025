import type { OpenWeightModel } from '../types.ts';
import { onCatalogue } from './active-catalogue.ts';

// Open-weight models: architecture, licence and managed routes, from catalogues/open-weight-models.json
// (or the active dated catalogue).

/** The open-weight model catalogue. */
export let OPEN_WEIGHT_MODELS: readonly OpenWeightModel[] = [];
onCatalogue((catalogue) => {
  OPEN_WEIGHT_MODELS = catalogue.openWeightModels;
});

/** The catalogue entry for an id (exact, case-insensitive), or undefined. */
export function findOpenWeightModel(id: string): OpenWeightModel | undefined {
  const wanted = id.toLowerCase();
  return OPEN_WEIGHT_MODELS.find((m) => m.id === wanted);
}
