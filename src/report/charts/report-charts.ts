// Chart specs (Vega-Lite) built from the report object alone. A chart whose data the report does
// not carry yet is returned with `spec: null` and a sentence saying what is missing, so every
// renderer shows the same "not measured yet" state.
import type { Report } from '../../spec/decision.ts';
import type { ReportChart } from './chart-base.ts';
import { breakEvenCurve, tornado } from './cost-charts.ts';
import { latency, loadSweep } from './latency-charts.ts';
import { qualityCost } from './quality-cost-chart.ts';

export type { ReportChart, VegaLiteSpec } from './chart-base.ts';

/** Every chart of a report, in reading order. */
export function reportCharts(report: Report): ReportChart[] {
  return [qualityCost(report), breakEvenCurve(report), tornado(report), latency(report), loadSweep(report)];
}
