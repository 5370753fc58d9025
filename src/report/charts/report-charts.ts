// Chart specs (Vega-Lite) built from the report object alone. A chart whose data the report does
// not carry yet is returned with `spec: null` and a sentence saying what is missing, so every
// renderer shows the same "not measured yet" state.
import type { Report } from '../../spec/decision.ts';

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

const config = {
  font: 'DejaVu Sans, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' },
};

const base = (description: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  description,
  config,
  width: 560,
  height: 300,
});

const usdFormat = '$,.0f';

function qualityCost(report: Report): ReportChart {
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
  const priced = points.filter((point) => point.monthlyUsd !== null && point.monthlyUsd > 0);
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
    'Each priced option as a point: monthly cost at the workload volume (x, log scale) against its candidate’s pass rate (y), with 95% interval whiskers; routes serving the same weights share a colour; up and left is better.';
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
        color: { field: 'candidate', type: 'nominal', title: 'candidate' },
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
        {
          mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontSize: 11 },
          encoding: { y: { field: 'passRate', type: 'quantitative' }, text: { field: 'option' } },
        },
      ],
    },
  };
}

function breakEvenCurve(report: Report): ReportChart {
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

function tornado(report: Report): ReportChart {
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

function latency(report: Report): ReportChart {
  const title = 'Latency distribution per candidate';
  const description =
    'Histogram of time to first token and end-to-end latency per candidate (x, milliseconds, log-spaced bins; y, requests); a tail to the right is the slow requests users notice.';
  const values = (report.latency ?? []).flatMap((distribution) =>
    distribution.bins.map((bin) => ({
      candidate: distribution.candidateId,
      metric: distribution.metric === 'ttft' ? 'time to first token' : 'end to end',
      lowMs: bin.lowMs,
      highMs: bin.highMs,
      count: bin.count,
    })),
  );
  if (values.length === 0) {
    return { id: 'latency', title, description, spec: null, missing: 'latency not measured yet' };
  }
  const { width: _w, height: _h, ...rest } = base(description);
  return {
    id: 'latency',
    title,
    description,
    spec: {
      ...rest,
      data: { values },
      facet: {
        row: {
          field: 'candidate',
          type: 'nominal',
          title: null,
          header: { labelAngle: 0, labelAlign: 'left' },
        },
        column: {
          field: 'metric',
          type: 'nominal',
          title: null,
          sort: ['time to first token', 'end to end'],
        },
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 260,
        height: 90,
        mark: { type: 'rect', color: '#4c78a8' },
        encoding: {
          x: {
            field: 'lowMs',
            type: 'quantitative',
            title: 'ms',
            scale: { type: 'log' },
            axis: { format: '~s' },
          },
          x2: { field: 'highMs' },
          y: { field: 'count', type: 'quantitative', title: 'requests' },
          y2: { datum: 0 },
        },
      },
    },
  };
}

function loadSweep(report: Report): ReportChart {
  const title = 'Load test: throughput and latency vs offered load';
  const description =
    'For each load test step, completed requests per second (left) and time to first token p50 and p99 (right) against the offered rate or concurrency; where throughput flattens while latency climbs, the replica is saturated.';
  const tests = report.loadTests ?? [];
  if (tests.length === 0) {
    return { id: 'load-sweep', title, description, spec: null, missing: 'no load test measured yet' };
  }
  const kinds = new Set(tests.map((test) => test.loadKind));
  const loadTitle =
    kinds.size === 1 && kinds.has('concurrency') ? 'concurrency' : 'offered load (requests/s or concurrency)';
  const throughput = tests.map((test) => ({
    model: test.model,
    load: test.load,
    value: test.requestsPerSec,
    series: 'completed req/s',
  }));
  const goodput = tests
    .filter((test) => test.goodputPerSec !== undefined)
    .map((test) => ({
      model: test.model,
      load: test.load,
      value: test.goodputPerSec!,
      series: 'goodput req/s',
    }));
  const latencies = tests.flatMap((test) => [
    ...(test.ttftP50Ms === null
      ? []
      : [{ model: test.model, load: test.load, ms: test.ttftP50Ms, series: 'TTFT p50' }]),
    ...(test.ttftP99Ms === null
      ? []
      : [{ model: test.model, load: test.load, ms: test.ttftP99Ms, series: 'TTFT p99' }]),
  ]);
  const { width: _w, height: _h, ...rest } = base(description);
  const x = { field: 'load', type: 'quantitative', title: loadTitle };
  // The model legend beside the two panels, inside the figure; line styles are named in the axis titles.
  const sweepConfig = { ...config, legend: { ...config.legend, orient: 'right', labelLimit: 160 } };
  return {
    id: 'load-sweep',
    title,
    description,
    spec: {
      ...rest,
      config: sweepConfig,
      resolve: { legend: { color: 'shared' }, scale: { strokeDash: 'independent' } },
      hconcat: [
        {
          width: 270,
          height: 220,
          data: { values: [...throughput, ...goodput] },
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'value', type: 'quantitative', title: 'req/s (solid: completed, dashed: goodput)' },
            color: { field: 'model', type: 'nominal', title: 'model' },
            strokeDash: {
              field: 'series',
              type: 'nominal',
              legend: null,
              scale: {
                domain: ['completed req/s', 'goodput req/s'],
                range: [
                  [1, 0],
                  [4, 3],
                ],
              },
            },
          },
        },
        {
          width: 270,
          height: 220,
          data: { values: latencies },
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'ms', type: 'quantitative', title: 'TTFT ms (solid: p50, dashed: p99)' },
            color: { field: 'model', type: 'nominal', title: 'model' },
            strokeDash: {
              field: 'series',
              type: 'nominal',
              legend: null,
              scale: {
                domain: ['TTFT p50', 'TTFT p99'],
                range: [
                  [1, 0],
                  [4, 3],
                ],
              },
            },
          },
        },
      ],
    },
  };
}

/** Every chart of a report, in reading order. */
export function reportCharts(report: Report): ReportChart[] {
  return [qualityCost(report), breakEvenCurve(report), tornado(report), latency(report), loadSweep(report)];
}
