import type { LicenceTerms } from '../types.ts';
import { activeCatalogue } from './active-catalogue.ts';

// Licence terms of the open-weight families, from catalogues/licences.json (or the active dated catalogue).

/** The licence terms for an id in the licence catalogue (`llama-3.1`, `apache-2.0`…), or undefined. */
export function findLicence(id: string): LicenceTerms | undefined {
  return activeCatalogue().licences.get(id);
}
