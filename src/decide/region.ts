// Which jurisdiction a stated region falls in, for constraints.data_residency. Teams write regions
// the way their cloud names them (AWS `eu-central-1`, GCP `europe-west4`, Azure `westeurope`), so a
// region is judged by what it names, not by being spelled `eu`.

export type RegionArea = 'eu' | 'us' | 'other';

/** Azure names regions without separators; these are the EU/EEA and US ones. */
const AZURE_EU = new Set([
  'westeurope',
  'northeurope',
  'francecentral',
  'francesouth',
  'germanywestcentral',
  'germanynorth',
  'swedencentral',
  'swedensouth',
  'italynorth',
  'polandcentral',
  'spaincentral',
  'norwayeast',
  'norwaywest',
]);
const AZURE_US = new Set([
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northcentralus',
  'southcentralus',
  'westcentralus',
]);

/** The jurisdiction of a region name: `eu`, `us` (also AWS, GCP and Azure region names), else `other`. */
export function regionArea(region: string): RegionArea {
  const r = region.trim().toLowerCase();
  if (r === 'eu' || r === 'europe' || r === 'eea') return 'eu';
  if (r === 'us' || r === 'usa') return 'us';
  // AWS eu-central-1, eu-west-3; GCP europe-west4, europe-north1. (AWS eusc-* is the EU sovereign cloud.)
  if (/^(eu|eusc)-[a-z]+-\d+$/.test(r) || /^europe-[a-z]+\d+$/.test(r)) return 'eu';
  // AWS us-east-1 and GovCloud us-gov-west-1; GCP us-central1.
  if (/^us-([a-z]+-)?[a-z]+-?\d+$/.test(r)) return 'us';
  if (AZURE_EU.has(r)) return 'eu';
  if (AZURE_US.has(r)) return 'us';
  return 'other';
}
