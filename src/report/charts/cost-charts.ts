// How cost moves: the break-even curves and the tornado of inputs at ±50%.
import type { Report } from '../../spec/decision.ts';
import { base, familyColours, type ReportChart } from './chart-base.ts';

/** Options grouped by candidate in order of first appearance, each candidate's own route first. */
export function ordered<T extends { optionId: string; candidateId: string }>(options: T[]): T[] {
  const candidates = [...new Set(options.map((o) => o.candidateId))];
  return [...options].sort(
    (a, b) =>
      candidates.indexOf(a.candidateId) - candidates.indexOf(b.candidateId) ||
      Number(b.optionId === b.candidateId) - Number(a.optionId === a.candidateId),
  );
}

/** Monthly cost of each option as volume grows, with the break-even volumes marked. */
export function breakEvenCurve(report: Report): ReportChart {
  const title = 'Break-even: monthly cost by volume';
  const curve = report.cost?.curve;
  const description =
    'Monthly cost of each option still in the running (y, log scale) as requests per month grow (x, log scale); routes of the same weights share a colour family; self-hosted lines are dashed and step up with each replica; dashed rules mark break-even volumes and the grey rule the workload volume.';
  if (!curve || curve.volumes.length === 0 || curve.series.length === 0) {
    return { id: 'break-even', title, description, spec: null, missing: 'cost curves not measured yet' };
  }
  // Only the options still in the running: one priced for comparison (it has a status) is in the
  // cost table, not on the chart the decision is read from.
  const options = report.cost?.options ?? [];
  const out = new Set(options.filter((o) => o.status).map((o) => o.optionId));
  const running = curve.series.filter((series) => !out.has(series.optionId));
  if (running.length === 0)
    return {
      id: 'break-even',
      title,
      description,
      spec: null,
      missing: 'no priced option is still in the running',
    };
  const colours = familyColours(
    ordered(
      running.map((series) => ({
        optionId: series.optionId,
        candidateId: options.find((o) => o.optionId === series.optionId)?.candidateId ?? series.optionId,
      })),
    ),
  );
  const family = (id: string) => options.find((o) => o.optionId === id)?.family ?? '';
  const servingOf = (id: string) =>
    family(id).startsWith('self-hosted') ? 'self-hosted' : family(id) === 'hybrid' ? 'split' : 'API';
  const values = running.flatMap((series) =>
    curve.volumes.flatMap((volume, index) => {
      const usd = series.usd[index];
      return usd !== undefined && usd > 0 && volume > 0
        ? [{ option: series.optionId, volume, usd, serving: servingOf(series.optionId) }]
        : [];
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
              axis: { format: '$,~r' },
            },
            color: { field: 'option', type: 'nominal', title: 'option', scale: colours },
            strokeDash: {
              field: 'serving',
              type: 'nominal',
              title: 'serving',
              scale: {
                domain: ['API', 'self-hosted', 'split'],
                range: [
                  [1, 0],
                  [6, 3],
                  [2, 2],
                ],
              },
            },
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
    'For each input moved −50% and +50%, the break-even volume it gives (x, log scale); the longest bars are the inputs the decision depends on most; the red rule is the base break-even; inputs that do not move it are left out.';
  // Each bar spans both ends and the base: an end with no break-even (null) leaves the bar at the
  // base on that side. Inputs that do not move the break-even are left out.
  const baseVolume = sensitivity?.baseVolume ?? null;
  const values = (sensitivity?.inputs ?? [])
    .map((input) => {
      const ends = [input.low, input.high, baseVolume].filter((v): v is number => v !== null && v > 0);
      return {
        input: input.input,
        from: Math.min(...ends),
        to: Math.max(...ends),
        low: input.low,
        high: input.high,
        span: Math.max(...ends) / Math.min(...ends),
      };
    })
    .filter((row) => Number.isFinite(row.from) && Number.isFinite(row.to) && row.span > 1.001);
  if (!sensitivity || values.length === 0) {
    const missing =
      (report.cost?.breakEvens ?? []).length === 0
        ? 'no break-even to move: it needs a self-hosted option and an API option both priced and in the running'
        : (report.cost?.breakEvens ?? []).every((b) => b.volume === null)
          ? 'no break-even to move: self-hosting never costs less than the API up to 10B requests a month'
          : sensitivity
            ? 'no input moved ±50% moves the break-even within 10B requests a month'
            : 'this decision was stored without its sensitivity: `verdict decide RUN` decides again and computes it';
    return { id: 'tornado', title, description, spec: null, missing };
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
            y: {
              field: 'input',
              type: 'nominal',
              title: null,
              sort: { field: 'span', order: 'descending' },
              axis: { labelLimit: 360 },
            },
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
