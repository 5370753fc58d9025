// Load-test results (the JSON `verdict load` writes: one test, a sweep, or a max-rate search) as the
// report's loadTests rows: one row per measured step, for the sweep chart and the tables.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MaxRateResult } from '../load/find-max-rate.ts';
import type { SweepResult } from '../load/sweep.ts';
import type { LoadTestResult } from '../load/types.ts';
import type { ReportLoadTest } from '../spec/decision.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Store } from '../store/store.ts';

function row(id: string, result: LoadTestResult, sloMet?: boolean | null, label?: string): ReportLoadTest {
  const arrival = result.arrival;
  return {
    id,
    model: label ?? result.target.model,
    loadKind: arrival.kind === 'closed' ? 'concurrency' : 'rate',
    load: arrival.kind === 'closed' ? arrival.concurrency : arrival.rate,
    requestsPerSec: result.throughput.requestsPerSec,
    outputTokensPerSec: result.throughput.outputTokensPerSec,
    ttftP50Ms: result.latency.ttft.p50,
    ttftP99Ms: result.latency.ttft.p99,
    e2eP50Ms: result.latency.e2e.p50,
    e2eP99Ms: result.latency.e2e.p99,
    ...(result.slo ? { goodputPerSec: result.slo.goodputPerSec } : {}),
    ...(sloMet !== undefined && sloMet !== null ? { sloMet } : result.slo ? { sloMet: result.slo.met } : {}),
  };
}

/** Rows of one parsed load-test JSON; `source` names it in errors and ids, `label` replaces the model name. */
export function reportLoadTestsFrom(json: unknown, source: string, label?: string): ReportLoadTest[] {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === 'load-test') return [row(source, json as LoadTestResult, undefined, label)];
  if (kind === 'sweep') {
    return (json as SweepResult).steps.map((step, index) =>
      row(`${source}#${index + 1}`, step.result, step.sloMet, label),
    );
  }
  if (kind === 'max-rate') {
    return (json as MaxRateResult).steps.map((step, index) =>
      row(`${source}#${index + 1}`, step.result, step.held, label),
    );
  }
  throw new VerdictError(
    'USAGE',
    `${source}: not a load-test result (expected "kind": "load-test", "sweep" or "max-rate", got ${JSON.stringify(kind)})`,
  );
}

/** Reads load-test JSON files into report rows. */
export async function readLoadTests(files: string[], cwd: string): Promise<ReportLoadTest[]> {
  const rows: ReportLoadTest[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.resolve(cwd, file), 'utf8'));
    } catch (error) {
      throw new VerdictError(
        'USAGE',
        `--load-test ${file}: cannot read a JSON result (${(error as Error).message})`,
      );
    }
    rows.push(...reportLoadTestsFrom(json, path.basename(file)));
  }
  return rows;
}

/** The newest load tests the store keeps (verdict load), as report rows, for the dashboard's load page. */
export async function storedLoadTests(store: Store, limit = 50): Promise<ReportLoadTest[]> {
  const rows: ReportLoadTest[] = [];
  for (const record of await store.listLoadTests({ limit })) {
    const full = await store.getLoadTest(record.id);
    if (!full) continue;
    const label = record.candidateId ? `${record.candidateId} (${record.model})` : record.model;
    rows.push(...reportLoadTestsFrom(JSON.parse(full.resultJson), record.id, label));
  }
  return rows;
}
