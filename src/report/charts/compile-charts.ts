// Vega-Lite → Vega happens here, in Node, once per report: the page then carries only the Vega
// runtime and its expression interpreter (no eval, so a strict Content-Security-Policy holds).
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportChart } from './report-charts.ts';

export interface CompiledChart extends Omit<ReportChart, 'spec'> {
  /** The Vega spec, or null when the chart has no data yet. */
  vega: Record<string, unknown> | null;
}

/** Compiles each chart's Vega-Lite spec to Vega. */
export function compileCharts(charts: ReportChart[]): CompiledChart[] {
  return charts.map(({ spec, ...chart }) => ({
    ...chart,
    // Our specs are plain JSON built from the report; vega-lite validates them as it compiles.
    vega: spec ? (compile(spec as unknown as TopLevelSpec).spec as unknown as Record<string, unknown>) : null,
  }));
}
