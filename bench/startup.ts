// Start-up (issue 21): how long verdict takes before it does any work, beside `node -e 0` (the floor
// of any Node program: start the runtime, exit) measured in the same run, rounds alternating.
//
// - validate: `verdict validate examples/demo/workload.yaml`; start-up = its wall time − node -e 0's
//   (the validation's own work, a small YAML file and its case file, is counted in it).
// - run: `verdict run` on N cases (default 600) against an instant local server (bench/runner-server.ts
//   in its own process, warmed by a first unmeasured run); start-up = the time from the spawn to the
//   first request reaching the server, − node -e 0's wall time. Beside it: the calls (first → last
//   request at the server), the close (last request → exit: the last answers, the report, the store),
//   and the whole fixed cost = wall − the calls − node -e 0.
//
// The server stamps each request with its own clock; requests from here, timed on both sides, place
// those stamps on this process's clock (bench/server-clock.ts; the bound is printed). Medians over
// the rounds; target: start-up ≤ 0.3 s.
//
// --bin PATH (repeatable) times other builds instead: a copy of bin/verdict.js beside its own dist/
// (a `git worktree` built with `npm run build`). With several, each round times every build in turn,
// so that a machine busy with something else slows them alike.
//
//   node bench/startup.ts [--rounds 10] [--cases 600] [--bin PATH]...
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  binNodeFlags,
  fixed,
  root,
  startServerProcess,
  type Timed,
  timed,
  verdictCommand,
  writeWorkload,
} from './runner-common.ts';
import { requestsSince, type ServerClock, serverClock, stampsSoFar } from './server-clock.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    cases: { type: 'string', default: '600' },
    /** Other builds of the CLI (a copy of bin/verdict.js beside its own dist/), to compare builds. */
    bin: { type: 'string', multiple: true },
  },
});
/** Each build timed: its name, and the arguments that start it under this Node. */
const builds = values.bin?.length
  ? values.bin.map((bin) => ({ name: bin, cli: [...binNodeFlags(), path.resolve(bin)] }))
  : [{ name: 'bin/verdict.js', cli: verdictCommand() }];
const rounds = Number(values.rounds);
const cases = Number(values.cases);
const TARGET_S = 0.3;

const server = await startServerProcess(['--keep-times']);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-startup-'));
const workload = writeWorkload(dir, server.url, cases);
const store = path.join(dir, 'verdict.db');
const example = path.join(root, 'examples', 'demo', 'workload.yaml');

const nodeBare = () => timed(process.execPath, ['-e', '0']);
const validate = (cli: string[]) => timed(process.execPath, [...cli, 'validate', example]);

interface RunTimes {
  wall: number;
  head: number;
  calls: number;
  tail: number;
}

async function run(cli: string[], clock: ServerClock): Promise<RunTimes> {
  const before = await stampsSoFar(server);
  const spawnedAt = Date.now();
  const result = await timed(process.execPath, [...cli, 'run', workload, '--store', store, '--no-cache']);
  check(result, 'verdict run');
  const { first, last, count } = await requestsSince(server, clock, before);
  if (count !== cases) throw new Error(`the server saw ${count} requests, not ${cases}`);
  const wall = result.wallSeconds;
  const head = (first - spawnedAt) / 1000;
  const calls = (last - first) / 1000;
  return { wall, head, calls, tail: wall - head - calls };
}

function check(result: Timed, what: string): void {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}): ${result.stderr.slice(-2000)}`);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const ms = (s: number) => `${fixed(s * 1000, 0)} ms`;
const verdictOf = (value: number) => (value <= TARGET_S ? 'PASS' : 'MISS');

// Warm-up, unmeasured: the server's JIT, the store's creation, V8's compile cache for each build.
const clock = await serverClock(server);
for (const { cli } of builds) {
  check(await validate(cli), 'verdict validate');
  await run(cli, clock);
}

console.log(
  `${rounds} rounds, ${cases} cases per run, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
const bare: number[] = [];
const timings = builds.map(() => ({ validated: [] as number[], runs: [] as RunTimes[] }));
for (let round = 0; round < rounds; round++) {
  const node = await nodeBare();
  check(node, 'node -e 0');
  bare.push(node.wallSeconds);
  for (const [i, { cli }] of builds.entries()) {
    const checked = await validate(cli);
    check(checked, 'verdict validate');
    timings[i]!.validated.push(checked.wallSeconds);
    timings[i]!.runs.push(await run(cli, clock));
  }
}
server.close();
rmSync(dir, { recursive: true, force: true });

const node0 = median(bare);
console.log(
  `node -e 0:        ${ms(node0)} wall (median); load average at the end ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
for (const [i, { name }] of builds.entries()) {
  const { validated, runs } = timings[i]!;
  const validateStartup = median(validated) - node0;
  const head = median(runs.map((r) => r.head));
  const runStartup = head - node0;
  const fixedCost = median(runs.map((r) => r.wall - r.calls)) - node0;
  console.log(
    ...(builds.length > 1 ? [`${name}:\n`] : []),
    `verdict validate: ${ms(median(validated))} wall; start-up = wall − node -e 0 = ${ms(validateStartup)} (target ≤ ${ms(TARGET_S)}) ${verdictOf(validateStartup)}`,
    `\nverdict run:      ${ms(median(runs.map((r) => r.wall)))} wall = ${ms(head)} to the first request + ${ms(median(runs.map((r) => r.calls)))} of calls (${cases} requests at the server) + ${ms(median(runs.map((r) => r.tail)))} from the last request to exit (medians; server stamps within ±${clock.uncertaintyMs} ms)`,
    `\n  start-up = first request − node -e 0 = ${ms(runStartup)} (target ≤ ${ms(TARGET_S)}) ${verdictOf(runStartup)}`,
    `\n  fixed cost = wall − calls − node -e 0 = ${ms(fixedCost)} (start-up, the close and the report together)`,
  );
}
