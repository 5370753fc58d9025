// Benchmark 2 (issue 4): memory stays flat with the number of cases. Runs `verdict run` on N cases
// (default 100,000) against an instant local server and prints the runner's resident memory when
// 10%, 50% and 100% of the results are stored, and its peak (target: ≤ 300 MB and flat).
//
//   node bench/runner-memory.ts [--cases 100000] [--concurrency 64]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fixed, startServerProcess, verdictCommand, writeWorkload } from './runner-common.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '64' } },
});
const cases = Number(values.cases);
const server = await startServerProcess();
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-memory-'));
const workload = writeWorkload(dir, server.url, cases);
const store = path.join(dir, 'verdict.db');

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
};

console.log(
  `${cases} cases, concurrency ${values.concurrency}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
const started = performance.now();
const child = spawn(
  process.execPath,
  [
    ...verdictCommand(),
    'run',
    workload,
    '--store',
    store,
    '--json',
    '--no-cache',
    '--concurrency',
    String(values.concurrency),
  ],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_COLOR: '1' } },
);
const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
const marks = [0.1, 0.5, 1].map((fraction) => Math.round(cases * fraction));
let db: Database.Database | undefined;
let peak = 0;
let done = false;
void exited.then(() => {
  done = true;
});
while (!done) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  if (done) break;
  let sample: { rssMb: number; peakMb: number };
  try {
    sample = memory(child.pid!);
  } catch {
    break;
  }
  if (Number.isFinite(sample.peakMb)) peak = Math.max(peak, sample.peakMb);
  if (!db && existsSync(store)) db = new Database(store, { readonly: true, fileMustExist: true });
  let stored = 0;
  try {
    stored = db ? (db.prepare('SELECT COUNT(*) AS n FROM results').get() as { n: number }).n : 0;
  } catch {
    stored = 0;
  }
  while (marks.length > 0 && stored >= marks[0]!) {
    const mark = marks.shift()!;
    console.log(
      `${String(mark).padStart(7)} results stored: RSS ${fixed(sample.rssMb, 0)} MB (peak so far ${fixed(sample.peakMb, 0)} MB), ${fixed(stored / ((performance.now() - started) / 1000), 0)} results/s`,
    );
  }
}
const code = await exited;
db?.close();
server.close();
console.log(
  `exit ${code}; peak RSS of the verdict process ${fixed(peak, 0)} MB over ${fixed((performance.now() - started) / 1000, 1)} s (target ≤ 300 MB, flat)`,
);
