// Benchmark 2 (issue 4): memory stays flat with the number of cases. Runs `verdict run` on N cases
// (default 100,000) against an instant local server and prints the runner's resident memory when
// 10%, 50% and 100% of the results are stored, and its peak; repeated --runs times (default 5), each
// on a fresh store, and how many runs kept their peak within the target (issue 21: ≤ 300 MB in 5 of
// 5 runs at 100,000 cases).
//
//   node bench/runner-memory.ts [--cases 100000] [--concurrency 64] [--runs 5]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fixed, startServerProcess, verdictCommand, writeWorkload } from './runner-common.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '64' },
    runs: { type: 'string', default: '5' },
  },
});
const cases = Number(values.cases);
const runs = Number(values.runs);
const TARGET_MB = 300;
const server = await startServerProcess();
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-memory-'));
const workload = writeWorkload(dir, server.url, cases);

/** The one child process of `pid` (the node process /usr/bin/time started), once it exists. */
function childOf(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children === '' ? undefined : Number(children.split(' ')[0]);
}

const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
};

/** One `verdict run` on a fresh store: prints RSS at 10%, 50% and 100% of the results; returns the peak. */
async function measureRun(run: number): Promise<{ code: number | null; peakMb: number; seconds: number }> {
  const store = path.join(dir, `verdict-${run}.db`);
  // Under /usr/bin/time, so the peak comes from the kernel at exit (the report after the last sample
  // included); the samples read the node process, /usr/bin/time's child.
  const timeFile = path.join(dir, `time-${run}.txt`);
  const started = performance.now();
  const child = spawn(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      timeFile,
      process.execPath,
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
  let verdictPid: number | undefined;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (done) break;
    let sample: { rssMb: number; peakMb: number };
    try {
      verdictPid ??= childOf(child.pid!);
      if (verdictPid === undefined) continue;
      sample = memory(verdictPid);
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
        `  ${String(mark).padStart(7)} results stored: RSS ${fixed(sample.rssMb, 0)} MB (peak so far ${fixed(sample.peakMb, 0)} MB), ${fixed(stored / ((performance.now() - started) / 1000), 0)} results/s`,
      );
    }
  }
  const code = await exited;
  db?.close();
  const seconds = (performance.now() - started) / 1000;
  const maxRssKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
  // A 100,000-case store is ≈150 MB: five of them are not left behind.
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${store}${suffix}`, { force: true });
  return { code, peakMb: Math.max(peak, maxRssKb / 1024), seconds };
}

console.log(`${cases} cases, concurrency ${values.concurrency}, ${runs} runs`);
const peaks: number[] = [];
for (let run = 1; run <= runs; run++) {
  // Printed per run: the other engineers' work on a shared machine shows up here.
  console.log(
    `run ${run}, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  const { code, peakMb, seconds } = await measureRun(run);
  peaks.push(peakMb);
  console.log(
    `  exit ${code}; peak RSS of the verdict process ${fixed(peakMb, 0)} MB over ${fixed(seconds, 1)} s (target ≤ ${TARGET_MB} MB) ${peakMb <= TARGET_MB && code === 0 ? 'PASS' : 'MISS'}`,
  );
}
server.close();
rmSync(dir, { recursive: true, force: true });
const met = peaks.filter((peak) => peak <= TARGET_MB).length;
console.log(
  `peaks ${peaks.map((peak) => fixed(peak, 0)).join(', ')} MB; ${met} of ${runs} runs within ${TARGET_MB} MB (target: ${runs} of ${runs}) ${met === runs ? 'PASS' : 'MISS'}`,
);
