import { readCatalogueDir } from './catalogue-files.ts';
import type { Catalogue } from './catalogue-types.ts';

// The catalogue every lookup reads. It starts as the bundled one; the CLI switches it once per
// command to the user's newest dated catalogue or a pinned folder (src/cli/catalogue-choice.ts).
// The catalogue modules keep their exported names (OPEN_WEIGHT_MODELS, findGpu…) as live bindings
// that follow the switch, so the code that reads them does not change.

let active: Catalogue = readCatalogueDir();
const listeners: Array<(catalogue: Catalogue) => void> = [];

/** Calls `listener` with the active catalogue now and whenever it changes. */
export function onCatalogue(listener: (catalogue: Catalogue) => void): void {
  listeners.push(listener);
  listener(active);
}

/** The catalogue prices and facts come from now. */
export function activeCatalogue(): Catalogue {
  return active;
}

/** Makes `catalogue` the one every lookup reads. */
export function useCatalogue(catalogue: Catalogue): void {
  active = catalogue;
  for (const listener of listeners) listener(catalogue);
}
