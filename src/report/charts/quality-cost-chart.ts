// Quality against monthly cost, with interval whiskers.
import type { Report } from '../../spec/decision.ts';
import { base, familyColours, type ReportChart, usdFormat } from './chart-base.ts';
import { ordered } from './cost-charts.ts';

/** Pass rate (with its 95% interval) against monthly cost, one point per priced route. */
export function qualityCost(report: Report): ReportChart {
  const title = 'Quality vs monthly cost';
  const cost = report.cost;
  // Every priced option is a point; routes serving the same weights share their candidate's quality.
  const points = report.candidates.flatMap((candidate) => {
    const quality = {
      candidate: candidate.candidateId,
      passRate: candidate.passRate.estimate,
      low: candidate.passRate.low,
      high: candidate.passRate.high,
    };
    const options = (cost?.options ?? []).filter(
      (o) => (o.candidateId ?? o.optionId) === candidate.candidateId,
    );
    return options.length === 0
      ? [{ ...quality, option: candidate.candidateId, monthlyUsd: null as number | null }]
      : options.map((option) => ({
          ...quality,
          option: option.optionId,
          monthlyUsd: option.monthlyUsd as number | null,
        }));
  });
  // Options priced for comparison only (a status: out of the running) stay in the cost table.
  const out = new Set((cost?.options ?? []).filter((o) => o.status).map((o) => o.optionId));
  const priced = points.filter(
    (point) => point.monthlyUsd !== null && point.monthlyUsd > 0 && !out.has(point.option),
  );
  if (priced.length === 0) {
    // Without costs the quality half still stands: pass rates with their 95% intervals.
    const description =
      'Pass rate of each candidate with its 95% Wilson interval; monthly cost not measured yet.';
    const byCandidate = points.filter(
      (point, index) => points.findIndex((p) => p.candidate === point.candidate) === index,
    );
    return {
      id: 'quality-cost',
      title: 'Quality (monthly cost not measured yet)',
      description,
      missing: 'monthly cost not measured yet',
      spec: {
        ...base(description),
        height: Math.max(60, 34 * byCandidate.length),
        data: { values: byCandidate.filter((point) => !Number.isNaN(point.passRate)) },
        encoding: {
          y: { field: 'candidate', type: 'nominal', title: null, sort: null },
        },
        layer: [
          {
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: {
              x: {
                field: 'low',
                type: 'quantitative',
                title: 'pass rate (95% interval)',
                scale: { zero: false, nice: true },
                axis: { format: '.0%' },
              },
              x2: { field: 'high' },
            },
          },
          {
            mark: { type: 'point', filled: true, size: 90 },
            encoding: { x: { field: 'passRate', type: 'quantitative' } },
          },
        ],
      },
    };
  }
  const description =
    'Each priced option still in the running as a point: monthly cost at the workload volume (x, log scale) against its candidate’s pass rate (y), with 95% interval whiskers; routes serving the same weights share a colour family, named in the legend; up and left is better.';
  // A legend names the points: labels beside points that sit close together would overlap.
  const colours = familyColours(
    ordered(priced.map((point) => ({ optionId: point.option, candidateId: point.candidate }))),
  );
  return {
    id: 'quality-cost',
    title,
    description,
    spec: {
      ...base(description),
      data: { values: priced },
      encoding: {
        x: {
          field: 'monthlyUsd',
          type: 'quantitative',
          title: `monthly cost at ${Math.round(cost!.requestsPerMonth).toLocaleString('en-US')} requests (USD)`,
          scale: { type: 'log', nice: true },
          axis: { format: usdFormat },
        },
        color: {
          field: 'option',
          type: 'nominal',
          title: 'option',
          scale: colours,
        },
      },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y: {
              field: 'low',
              type: 'quantitative',
              title: 'pass rate (95% interval)',
              scale: { zero: false, nice: true },
              axis: { format: '.0%' },
            },
            y2: { field: 'high' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 100 },
          encoding: { y: { field: 'passRate', type: 'quantitative' } },
        },
      ],
    },
  };
}
