// Runs a decision scenario end to end as a user does: the workload written to a file, `verdict run
// WORKLOAD --json --store DB` in a child process (bin/verdict.js → dist/, built by `npm run build` /
// pretest), then the stored run rendered by `verdict report RUN --format json|md|html|terminal`
// through the CLI's own `main(argv, io)` in this process (CONVENTIONS: commands are testable in
// process): a child per format would load the report modules 120 times over the suite.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main.ts';
import { createDashboardApp } from '../../src/server/dashboard.ts';
import type { Report } from '../../src/spec/decision.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { repoRoot, verdictChild } from './cli-child.ts';

const root = repoRoot;

export interface ScenarioRun {
  /** `verdict run --json` on standard output. */
  report: Report;
  /** `verdict report RUN --format F` for each format. */
  /** The dashboard's run page is `dashboard` (`verdict view`'s app, asked in process). */
  formats: { json: Report; md: string; html: string; terminal: string; dashboard: string };
  stderr: string;
}

/** Writes the workload (JSON is YAML), runs it, and renders the stored run in every format. */
export async function runScenario(dir: string, name: string, workload: object): Promise<ScenarioRun> {
  const file = path.join(dir, `${name}.yaml`);
  const store = path.join(dir, `${name}.db`);
  writeFileSync(file, `${JSON.stringify(workload, null, 1)}\n`);
  const run = await verdictChild(['run', file, '--json', '--store', store, '--concurrency', '64'], {
    env: { XDG_CACHE_HOME: dir },
  });
  if (run.code !== 0)
    throw new Error(`verdict run ${name} exited ${run.code}\n${run.stderr}\n${run.stdout.slice(0, 2000)}`);
  const report = JSON.parse(run.stdout) as Report;
  const formats = {
    json: JSON.parse(await reportCommand(store, report.runId, 'json')) as Report,
    md: await reportCommand(store, report.runId, 'md'),
    html: await reportCommand(store, report.runId, 'html'),
    terminal: await reportCommand(store, report.runId, 'terminal'),
    dashboard: await dashboardPage(store, report.runId),
  };
  return { report, formats, stderr: run.stderr };
}

/** The dashboard's page of a run, as `verdict view --store DB` serves it. */
async function dashboardPage(path: string, runId: string): Promise<string> {
  const store = openSqliteStore(path);
  try {
    const response = await createDashboardApp(store).request(`/runs/${runId}`);
    if (response.status !== 200) throw new Error(`dashboard /runs/${runId}: HTTP ${response.status}`);
    return await response.text();
  } finally {
    await store.close();
  }
}

/** `verdict report RUN --store DB --format F`, in process; its standard output. */
async function reportCommand(store: string, runId: string, format: string): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false, columns: 100 },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, NO_COLOR: '1' },
    cwd: root,
  };
  const code = await main(['report', runId, '--store', store, '--format', format], io);
  if (code !== 0) throw new Error(`verdict report --format ${format} exited ${code}: ${stderr}`);
  return stdout;
}

/** Runs jobs at most `limit` at a time (the box has two cores); each promise settles with its job. */
export function pool(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (active >= limit) return;
    const start = queue.shift();
    if (start) {
      active++;
      start();
    }
  };
  return <T>(job: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() =>
        job()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          }),
      );
      next();
    });
}
