// How cost moves: the break-even curves and the tornado of inputs at ±50%.
import type { Report } from '../../spec/decision.ts';
import { base, type ReportChart } from './chart-base.ts';

/** Monthly cost of each option as volume grows, with the break-even volumes marked. */
export function breakEvenCurve(report: Report): ReportChart {
  const title = 'Break-even: monthly cost by volume';
  const curve = report.cost?.curve;
  const description =
    'Monthly cost of each option (y, log scale) as requests per month grow (x, log scale); self-hosted lines step up with each replica; dashed rules mark break-even volumes and the grey rule the workload volume.';
  if (!curve || curve.volumes.length === 0 || curve.series.length === 0) {
    return { id: 'break-even', title, description, spec: null, missing: 'cost curves not measured yet' };
  }
  const values = curve.series.flatMap((series) =>
    curve.volumes.flatMap((volume, index) => {
      const usd = series.usd[index];
      return usd !== undefined && usd > 0 && volume > 0 ? [{ option: series.optionId, volume, usd }] : [];
    }),
  );
  const rules = (report.cost?.breakEvens ?? [])
    .filter((breakEven) => breakEven.volume !== null && breakEven.volume > 0)
    .map((breakEven) => ({
      volume: breakEven.volume,
      label: `${breakEven.selfHostedOptionId} vs ${breakEven.apiOptionId}`,
    }));
  return {
    id: 'break-even',
    title,
    description,
    spec: {
      ...base(description),
      layer: [
        {
          data: { values },
          // The curves carry both sides of every replica step, so straight segments draw the steps.
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: {
              field: 'volume',
              type: 'quantitative',
              title: 'requests per month',
              scale: { type: 'log' },
              axis: { format: '~s' },
            },
            y: {
              field: 'usd',
              type: 'quantitative',
              title: 'monthly cost (USD)',
              scale: { type: 'log' },
              axis: { format: '$~s' },
            },
            color: { field: 'option', type: 'nominal', title: 'option' },
          },
        },
        {
          data: { values: rules },
          mark: { type: 'rule', strokeDash: [6, 4], color: '#333' },
          encoding: { x: { field: 'volume', type: 'quantitative' } },
        },
        {
          data: { values: [{ volume: report.cost!.requestsPerMonth }] },
          mark: { type: 'rule', color: '#999', strokeWidth: 3, opacity: 0.6 },
          encoding: { x: { field: 'volume', type: 'quantitative' } },
        },
      ],
    },
  };
}

/** How the break-even volume moves when each input moves ±50%. */
export function tornado(report: Report): ReportChart {
  const title = 'Sensitivity of the break-even volume (tornado)';
  const sensitivity = report.cost?.sensitivity;
  const description =
    'For each input moved −50% and +50%, the break-even volume it gives (x, log scale); the longest bars are the inputs the decision depends on most; the rule is the base break-even.';
  const values = (sensitivity?.inputs ?? [])
    .filter((input) => input.low !== null || input.high !== null)
    .map((input) => {
      const ends = [input.low, input.high].filter((v): v is number => v !== null && v > 0);
      return {
        input: input.input,
        from: Math.min(...ends),
        to: Math.max(...ends),
        low: input.low,
        high: input.high,
        span: Math.max(...ends) / Math.min(...ends),
      };
    })
    .filter((row) => Number.isFinite(row.from) && Number.isFinite(row.to));
  if (!sensitivity || values.length === 0) {
    return { id: 'tornado', title, description, spec: null, missing: 'sensitivity not measured yet' };
  }
  return {
    id: 'tornado',
    title,
    description,
    spec: {
      ...base(description),
      height: Math.max(80, 28 * values.length),
      layer: [
        {
          data: { values },
          mark: { type: 'bar', height: 16, color: '#4c78a8' },
          encoding: {
            y: { field: 'input', type: 'nominal', title: null, sort: { field: 'span', order: 'descending' } },
            x: {
              field: 'from',
              type: 'quantitative',
              title: 'break-even volume (requests per month)',
              scale: { type: 'log' },
              axis: { format: '~s' },
            },
            x2: { field: 'to' },
          },
        },
        ...(sensitivity.baseVolume
          ? [
              {
                data: { values: [{ volume: sensitivity.baseVolume }] },
                mark: { type: 'rule', color: '#d62728', strokeWidth: 2 },
                encoding: { x: { field: 'volume', type: 'quantitative' } },
              },
            ]
          : []),
      ],
    },
  };
}
