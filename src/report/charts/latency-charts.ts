// Latency per candidate and the load-test sweep.
import type { Report } from '../../spec/decision.ts';
import { base, config, PANEL_WIDTH, type ReportChart } from './chart-base.ts';

/** Histograms of time to first token and end-to-end latency per candidate. */
export function latency(report: Report): ReportChart {
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
  const { width: _w, height: _h, autosize: _a, ...rest } = base(description);
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
        width: PANEL_WIDTH,
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

/** Throughput and latency against offered load, from the load tests. */
export function loadSweep(report: Report): ReportChart {
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
  const { width: _w, height: _h, autosize: _a, ...rest } = base(description);
  const x = { field: 'load', type: 'quantitative', title: loadTitle };
  // The model legend under the two panels, inside the figure; line styles are named in the axis titles.
  const sweepConfig = { ...config, legend: { ...config.legend, orient: 'bottom', columns: 3 } };
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
          width: PANEL_WIDTH - 40,
          height: 240,
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
          width: PANEL_WIDTH - 40,
          height: 240,
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
