// The runner's crash window (issue 20): SIGKILL a run at random moments, resume it after each kill,
// and count the calls the server answered more than once — paid twice. Only answers still on the
// wire at a kill should repeat; an answer received but not yet written is a repeat the store could
// have saved. Prints, per kill, the repeated paid calls, and checks the store ends with exactly the
// planned results.
//
//   node bench/runner-crash.ts [--kills 20] [--cases 1500] [--delay-ms 100] [--concurrency 16] [--seed N]
//
// The server runs in this process (the bench measures repeats, not speed); verdict runs as the real
// CLI (bin/verdict.js → dist/, so `npm run build` first).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/stats/random.ts';
import { startWireServer } from '../test/servers/wire-server.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    cases: { type: 'string', default: '1500' },
    'delay-ms': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string' },
  },
});
const KILLS = Number(values.kills);
const CASES = Number(values.cases);
const CONCURRENCY = Number(values.concurrency);
const seed = Number(values.seed ?? Date.now() % 100_000);

const random = seededRandom(seed).next;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const server = await startWireServer({
  answer: (request) => `ok ${request.prompt}`,
  delayMs: Number(values['delay-ms']),
});
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-crash-'));
const store = path.join(dir, 'verdict.db');
const workload = path.join(dir, 'crash.yaml');
writeFileSync(
  workload,
  `version: 1
name: crash-bench
prompt: "{{q}}"
cases:
${Array.from({ length: CASES }, (_, i) => `  - { id: k${i}, vars: { q: "case ${i}" }, expected: "ok case ${i}" }`).join('\n')}
graders: [equals]
candidates:
  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}", limits: { concurrency: ${CONCURRENCY} } }
`,
);
const bin = path.join(import.meta.dirname, '..', 'bin', 'verdict.js');
const runs = () => {
  try {
    const db = new Database(store, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
};
let child: ChildProcess | undefined;
const start = () => {
  const args = runs() === 0 ? ['run', workload] : ['run', '--resume'];
  child = spawn(process.execPath, [bin, ...args, '--store', store, '--concurrency', String(CONCURRENCY)], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: 'ignore',
  });
  return new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
};

const perKill: number[] = [];
const keyOf = (call: { prompt: string }) => call.prompt;
const answeredTimes = () => {
  const counts = new Map<string, number>();
  for (const call of server.calls)
    if (call.finished) counts.set(keyOf(call), (counts.get(keyOf(call)) ?? 0) + 1);
  return counts;
};
let repeatedBefore = 0;
for (let kill = 0; kill < KILLS; kill++) {
  const exited = start();
  // Wait for calls to flow, then kill at a random moment within the next 1.5 s.
  const before = server.calls.length;
  for (let wait = 0; wait < 600 && server.calls.length === before; wait++) await sleep(5);
  await sleep(random() * 1500);
  child!.kill('SIGKILL');
  await exited;
  const repeated = [...answeredTimes().values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  perKill.push(repeated - repeatedBefore);
  repeatedBefore = repeated;
}
// The run may have finished before the last kill landed; resume only what is unfinished.
const unfinished = (() => {
  const db = new Database(store, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status != 'completed'").get() as { n: number })
      .n;
  } finally {
    db.close();
  }
})();
const code = unfinished > 0 ? await start() : 0;
server.close();
const db = new Database(store, { readonly: true });
const counts = db
  .prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT case_id) AS distinctCases FROM results')
  .get() as { n: number; distinctCases: number };
db.close();
const repeated = [...answeredTimes().values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
const mean = perKill.reduce((s, x) => s + x, 0) / perKill.length;
console.log(
  JSON.stringify(
    {
      seed,
      kills: KILLS,
      cases: CASES,
      delayMs: Number(values['delay-ms']),
      concurrency: CONCURRENCY,
      finalExit: code,
      results: counts.n,
      exact: counts.n === CASES && counts.distinctCases === CASES,
      answeredCalls: server.calls.filter((c) => c.finished).length,
      repeatedPaidCalls: repeated,
      repeatedPerKill: Number(mean.toFixed(2)),
      perKill,
    },
    null,
    2,
  ),
);
process.exit(counts.n === CASES && code === 0 ? 0 : 1);
