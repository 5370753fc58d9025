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
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
};

export const base = (description: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  description,
  config,
  width: 560,
  height: 300,
});

export const usdFormat = '$,.0f';
