// What every chart shares: its record type, the look, the Vega-Lite header.
// Vega-Lite specs are plain JSON; the type stays loose so this file needs no vega-lite types.
export type VegaLiteSpec = Record<string, unknown>;

export interface ReportChart {
  id: 'quality-cost' | 'break-even' | 'tornado' | 'latency' | 'load-sweep';
  title: string;
  /** One sentence saying what the chart shows, for readers and screen readers. */
  description: string;
  spec: VegaLiteSpec | null;
  /** Why there is no chart, when `spec` is null. */
  missing?: string;
}

export const config = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'right', labelLimit: 320 },
};

/** A single or layered chart as wide as its figure (Vega reads the container's width when drawn). */
export const base = (description: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  description,
  config,
  width: 'container',
  height: 320,
  autosize: { type: 'fit-x', contains: 'padding' },
});

/** Width of one panel of a composite chart (facets, concatenations cannot take the container's). */
export const PANEL_WIDTH = 470;

// One colour family per candidate (its weights), one shade per route of those weights: the routes of
// the same weights read as one group, and a legend beside the chart names each line or point.
const FAMILIES = [
  ['#1f5fa8', '#6fa1d9', '#2b4f7a', '#9cc3ec', '#4c8fd6', '#163a5f'],
  ['#c2560c', '#f7a35c', '#8a3d09', '#fbc98f', '#e07b39', '#5e2906'],
  ['#237a35', '#8cc47f', '#1a5426', '#b5dcaa', '#59a14f', '#10361a'],
  ['#a3242b', '#ef8f90', '#6e181d', '#f6c0c0', '#e15759', '#4a1013'],
  ['#6a3d8f', '#b99ad6', '#4a2a64', '#dccaea', '#9467bd', '#2f1a40'],
  ['#7a5230', '#c3a18b', '#55391f', '#e1cfc3', '#9c755f', '#352313'],
];

/** A colour scale (domain and range) giving each candidate a family and each of its options a shade. */
export function familyColours(options: Array<{ optionId: string; candidateId?: string }>): {
  domain: string[];
  range: string[];
} {
  const candidates: string[] = [];
  const shades = new Map<string, number>();
  const domain: string[] = [];
  const range: string[] = [];
  for (const option of options) {
    if (domain.includes(option.optionId)) continue;
    const candidate = option.candidateId ?? option.optionId;
    if (!candidates.includes(candidate)) candidates.push(candidate);
    const family = FAMILIES[candidates.indexOf(candidate) % FAMILIES.length]!;
    const shade = shades.get(candidate) ?? 0;
    shades.set(candidate, shade + 1);
    domain.push(option.optionId);
    range.push(family[shade % family.length]!);
  }
  return { domain, range };
}

export const usdFormat = '$,.0f';
