import { onCatalogue } from './active-catalogue.ts';
import type { ComplianceEntry } from './catalogue-types.ts';

// What each API host offers for regulated data (BAA, regions, retention), from
// catalogues/compliance.json (or the active dated catalogue).

export type { ComplianceEntry } from './catalogue-types.ts';

/** The compliance catalogue. */
export let COMPLIANCE: readonly ComplianceEntry[] = [];
onCatalogue((catalogue) => {
  COMPLIANCE = catalogue.compliance;
});

/** The entry for a host (and vendor, where the host has vendor-specific terms), or undefined. */
export function findCompliance(host: string, vendor?: string): ComplianceEntry | undefined {
  const h = host.toLowerCase();
  const v = vendor?.toLowerCase();
  return (
    COMPLIANCE.find((e) => e.host === h && e.vendor !== undefined && e.vendor === v) ??
    COMPLIANCE.find((e) => e.host === h && e.vendor === undefined)
  );
}
