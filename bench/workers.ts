// What spreading a run over workers buys when calls are latency-bound: a local server answering each
// call after 100 ms (in its own process), a run of 3,000 cases whose candidate allows 8 calls in flight
// per worker (each worker holds 8 connections, one call each at a time), worked by 1 and then 3
// `verdict worker` processes on one Postgres. Prints each rate, the ratio 3 : 1, and what the queue
// adds per case: per page, the time taking and completing it on pg-boss took, over its cases (median
// and 95th percentile over the pages of both runs). One machine: the workers, the server, Postgres
// and the coordinator share its cores.
// Run: node bench/workers.ts [--cases 3000] [--concurrency 8]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runWorkload } from '../src/run/run-workload.ts';
import { openStore } from '../src/store/open-store.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';
import { startPostgres } from '../test/helpers/postgres-server.ts';
import { fixed, ratio, root, startServerProcess, writeWorkload } from './runner-common.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '8' } },
});
const CASES = Number(values.cases);
const CONCURRENCY = Number(values.concurrency);
const DELAY_MS = 100;
const PAGE = 50;

interface Worked {
  seconds: number;
  /** Per page: queue milliseconds (fetch + complete) over the page's cases. */
  queueMsPerCase: number[];
}

function startWorker(url: string): { child: ChildProcess; ready: Promise<void>; stderr: () => string } {
  const child = spawn(process.execPath, [path.join(root, 'test', 'helpers', 'worker-child.ts'), url, '600'], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<void>((resolve) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('worker: taking pages')) resolve();
    });
  });
  return { child, ready, stderr: () => stderr };
}

async function runWith(workers: number, url: string, workloadFile: string): Promise<Worked> {
  const started = workers ? Array.from({ length: workers }, () => startWorker(url)) : [];
  await Promise.all(started.map((worker) => worker.ready));
  const store = await openStore(url);
  const workload = await loadWorkload(workloadFile);
  const began = performance.now();
  const summary = await runWorkload(workload, { store, workers: { url, pageSize: PAGE } });
  const seconds = (performance.now() - began) / 1000;
  const results = await store.countResults(summary.runId);
  await store.close();
  if (summary.status !== 'completed' || results !== CASES)
    throw new Error(`run ended ${summary.status} with ${results} results`);
  const exits = started.map((worker) => new Promise((resolve) => worker.child.on('close', resolve)));
  for (const worker of started) worker.child.kill('SIGTERM');
  await Promise.all(exits);
  const queueMsPerCase: number[] = [];
  for (const worker of started)
    for (const match of worker.stderr().matchAll(/cases (\d+)–(\d+): .* queue ([\d.]+) ms/g))
      queueMsPerCase.push(Number(match[3]) / (Number(match[2]) - Number(match[1]) + 1));
  return { seconds, queueMsPerCase };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const postgres = await startPostgres();
if (!postgres) throw new Error('postgres binaries not found (see docs/team.md)');
const server = await startServerProcess(['--delay-ms', String(DELAY_MS)]);
try {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-bench-workers-'));
  const file = writeWorkload(dir, server.url, CASES, `, limits: { concurrency: ${CONCURRENCY} }`);
  // A separate database per run: the second must not answer from the first's response cache.
  const one = await runWith(1, await postgres.createDatabase(), file);
  const three = await runWith(3, await postgres.createDatabase(), file);
  const rateOne = CASES / one.seconds;
  const rateThree = CASES / three.seconds;
  const queue = [...one.queueMsPerCase, ...three.queueMsPerCase];
  const bound = (1000 / DELAY_MS) * CONCURRENCY;
  console.log(
    `${CASES} cases, ${DELAY_MS} ms a call, ${CONCURRENCY} in flight per worker, pages of ${PAGE}, ${os.cpus().length} cores`,
  );
  console.log(
    `1 worker : ${fixed(one.seconds, 1)} s, ${fixed(rateOne, 1)} cases/s (latency bound ${bound}/s)`,
  );
  console.log(
    `3 workers: ${fixed(three.seconds, 1)} s, ${fixed(rateThree, 1)} cases/s (latency bound ${3 * bound}/s)`,
  );
  console.log(`rate, 3 workers : 1 worker = ${fixed(ratio(rateThree, rateOne))}× (wanted ≥ 2.5×)`);
  console.log(
    `queue (take + complete a page) per case over ${queue.length} pages: median ${fixed(quantile(queue, 0.5), 3)} ms, p95 ${fixed(quantile(queue, 0.95), 3)} ms (wanted ≤ 2 ms at the median); that is ${fixed(ratio(quantile(queue, 0.5), DELAY_MS) * 100, 3)}% of a call`,
  );
} finally {
  server.close();
  postgres.stop();
}
