// The runner's crash window (issue 20): SIGKILL a run at random moments, resume it after each kill,
// and count the calls the server answered more than once — paid twice. Prints the repeated paid
// calls per kill (the headline) and, beside it, where each lost answer was at its kill:
//
// - on the wire: the server had sent it before the kill, and bytes of it were still unread in the
//   client's socket — no store can keep an answer the process has not read;
// - received, not durable: the process had read it whole, but its result was neither in the store's
//   journal nor committed;
// - after the kill: the server finished it after the SIGKILL, while the dying process's sockets
//   were still open (the kernel frees a process's memory before it closes its files) — a call in
//   flight at the kill.
//
// Unread bytes are known without stopping the process: a kernel closing a socket that holds unread
// bytes resets the connection instead of closing it, and the server sees which. --stop-snapshot
// checks that against the sockets themselves: SIGSTOP, the unread bytes of each socket (FIONREAD),
// then SIGKILL — at the price of a longer kill (the stop), so not the default.
//
// The runs have --cases results each; when one completes before all kills have landed, the next
// kill lands in a fresh run of the workload with new prompts (a kill of a process that had already
// exited is not a kill), and every run must end with exactly its results.
//
//   node bench/runner-crash.ts [--kills 20] [--cases 1500] [--delay-ms 100] [--concurrency 16] [--seed N]
//                              [--stop-snapshot] [--bin PATH]
//   node bench/runner-crash.ts --trace [--resumed] [--cpu-prof DIR]   one process without kills (with
//     --resumed, the resume of a run killed a third of the way): per answer, the time from the
//     server's last byte to the client's read and to its result's durability (the journal append, or
//     the commit), GC pauses, and (with --cpu-prof)
//     where the client's CPU went while answers were waiting
//
// The server runs in this process; verdict runs as the real CLI (bin/verdict.js → dist/, so
// `npm run build` first), with the Node flags of its #! line; --bin runs another build.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { seededRandom } from '../src/stats/random.ts';
import { type CallRecord, startWireServer } from '../test/servers/wire-server.ts';
import { binNodeFlags } from './runner-common.ts';
import { processState, quantiles, startUnreadProbe, summariseProfile } from './runner-crash-probes.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    cases: { type: 'string', default: '1500' },
    'delay-ms': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string' },
    'stop-snapshot': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    resumed: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    /** Another build of the CLI (a copy of bin/verdict.js beside its own dist/), to compare builds. */
    bin: { type: 'string' },
  },
});
const KILLS = Number(values.kills);
const CASES = Number(values.cases);
const CONCURRENCY = Number(values.concurrency);
const DELAY_MS = Number(values['delay-ms']);
const seed = Number(values.seed ?? Date.now() % 100_000);

const random = seededRandom(seed).next;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const loadAtStart = load();

/** Which child process each answer was sent to, when the server finished it, on which connection. */
interface Finish {
  call: CallRecord;
  life: number;
  at: number;
  port: number | undefined;
}
const finishes: Finish[] = [];
/** Each connection's close, and whether the client's kernel reset it (it held unread bytes). */
const closes: Array<{ port: number | undefined; at: number; reset: boolean }> = [];
/** When each child process was started (epoch ms): a call belongs to the one it arrived from. */
const lifeStarts: number[] = [];
const lifeOf = (call: CallRecord) => lifeStarts.findLastIndex((at) => at <= call.at);
const server = await startWireServer({
  answer: (request) => `ok ${request.prompt}`,
  delayMs: DELAY_MS,
  onFinished: (call, port) => {
    finishes.push({ call, life: lifeOf(call), at: now(), port });
  },
  onClientClosed: (port, reset) => {
    closes.push({ port, at: now(), reset });
  },
});
const serverPort = Number(new URL(server.origin).port);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-crash-'));
const store = path.join(dir, 'verdict.db');
/** Round r's workload: the same cases with prompts of their own, so no answer comes from the cache. */
const workloadOf = (round: number) => {
  const file = path.join(dir, `crash-${round}.yaml`);
  const suffix = round === 0 ? '' : ` r${round}`;
  writeFileSync(
    file,
    `version: 1
name: crash-bench-${round}
prompt: "{{q}}${suffix}"
cases:
${Array.from({ length: CASES }, (_, i) => `  - { id: k${i}, vars: { q: "case ${i}" }, expected: "ok case ${i}${suffix}" }`).join('\n')}
graders: [equals]
candidates:
  - { id: a, model: "openai-compatible:model-a", base_url: "${server.urls.openai}", limits: { concurrency: ${CONCURRENCY} } }
`,
  );
  return file;
};
const bin = path.resolve(values.bin ?? path.join(import.meta.dirname, '..', 'bin', 'verdict.js'));
const query = <T>(sql: string): T[] => {
  try {
    const db = new Database(store, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
};
const runStatuses = () => query<{ status: string }>('SELECT status FROM runs ORDER BY started_at');

let child: ChildProcess | undefined;
let round = 0;
const start = (extraNodeFlags: string[] = [], env: Record<string, string> = {}) => {
  const statuses = runStatuses();
  // A run exists for this round unless the last kill landed before it was stored.
  if (statuses.length > round && statuses.at(-1)?.status === 'completed') round++;
  const args = statuses.length > round ? ['run', '--resume'] : ['run', workloadOf(round)];
  lifeStarts.push(Date.now());
  child = spawn(
    process.execPath,
    [
      ...binNodeFlags(),
      ...extraNodeFlags,
      bin,
      ...args,
      '--store',
      store,
      '--concurrency',
      String(CONCURRENCY),
    ],
    { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise<number | null>((resolve) =>
    child!.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`verdict exited ${code}: ${stderr}\n`);
      resolve(code);
    }),
  );
};

interface Kill {
  life: number;
  /** The moment of the kill (epoch ms): the SIGKILL, or the SIGSTOP before it. */
  at: number;
  /** Calls the server had started for this process and not finished at the kill. */
  inFlight: number;
  /** With --stop-snapshot: unread bytes of each connection while stopped, and how long it stayed stopped. */
  unread?: Map<number, number>;
  stoppedMs?: number;
  /** From the SIGKILL to the process's exit. */
  exitMs: number;
  /** From the process's first call to the kill (ms). */
  sinceFirstCallMs: number;
}

async function killLoop(): Promise<Kill[]> {
  const probe = values['stop-snapshot'] ? startUnreadProbe(dir) : undefined;
  const kills: Kill[] = [];
  for (let tries = 0; kills.length < KILLS && tries < KILLS * 3; tries++) {
    const exited = start();
    // Wait for calls to flow, then kill at a random moment within the next 1.5 s.
    const before = server.calls.length;
    for (let wait = 0; wait < 600 && server.calls.length === before; wait++) await sleep(5);
    await sleep(random() * 1500);
    const running = await Promise.race([exited.then(() => false), sleep(0).then(() => true)]);
    if (!running) continue;
    const pid = child!.pid!;
    const life = lifeStarts.length - 1;
    const inFlight = server.calls.filter((call) => !call.finished && lifeOf(call) === life).length;
    const firstCall = server.calls.find((call) => lifeOf(call) === life);
    const kill: Kill = { life, at: now(), inFlight, exitMs: 0, sinceFirstCallMs: 0 };
    kill.sinceFirstCallMs = firstCall ? kill.at - firstCall.at : Number.NaN;
    if (probe) {
      child!.kill('SIGSTOP');
      kill.at = now();
      for (let spin = 0; spin < 100_000 && processState(pid) !== 'T'; spin++);
      kill.unread = probe.unreadByPort(pid, serverPort);
      kill.stoppedMs = now() - kill.at;
    }
    child!.kill('SIGKILL');
    const killedAt = now();
    await exited;
    kill.exitMs = now() - killedAt;
    kills.push(kill);
  }
  probe?.close();
  return kills;
}

/** Each answer the server finished but the store never kept (all but the last of a prompt's answers). */
function lostAnswers(): Finish[] {
  const byPrompt = new Map<string, Finish[]>();
  for (const finish of finishes) {
    if (finish.call.status !== 200) continue;
    const list = byPrompt.get(finish.call.prompt) ?? [];
    list.push(finish);
    byPrompt.set(finish.call.prompt, list);
  }
  return [...byPrompt.values()].flatMap((list) => list.slice(0, -1));
}

type Where = 'onTheWire' | 'receivedNotDurable' | 'afterTheKill';

/** Where a lost answer was at its kill; `unread` (--stop-snapshot) instead of the connection's reset. */
function classify(lost: Finish, kill: Kill, unread?: Map<number, number>): Where {
  if (lost.at > kill.at) return 'afterTheKill';
  // Without pipelining, a connection carries its next request only once the previous answer was
  // read whole: an answer followed by another on its connection had been read.
  if (finishes.some((f) => f.port === lost.port && f.life === lost.life && f.at > lost.at))
    return 'receivedNotDurable';
  const unreadAtKill = unread
    ? (unread.get(lost.port ?? -1) ?? 0) > 0
    : closes.find((c) => c.port === lost.port && c.at >= lost.at)?.reset === true;
  return unreadAtKill ? 'onTheWire' : 'receivedNotDurable';
}

/**
 * Connections the snapshot found holding unread bytes (or none) that the client's kernel then reset
 * (or closed): the check of the reset as a witness of unread bytes. Connections the server wrote to
 * after the kill are left out (the write itself leaves unread bytes).
 */
function snapshotVersusReset(kills: Kill[]) {
  const counts = { unreadAndReset: 0, readAndClosed: 0, differ: [] as string[] };
  for (const kill of kills) {
    for (const [port, bytes] of kill.unread ?? []) {
      if (finishes.some((f) => f.port === port && f.life === kill.life && f.at > kill.at)) continue;
      const close = closes.find((c) => c.port === port && c.at >= kill.at);
      const reset = close?.reset === true;
      if (reset !== bytes > 0)
        counts.differ.push(
          `port ${port}: ${bytes} B unread, ${close ? `${reset ? 'reset' : 'closed'} ${(close.at - kill.at).toFixed(1)} ms after the kill` : 'never closed'}`,
        );
      else if (reset) counts.unreadAndReset++;
      else counts.readAndClosed++;
    }
  }
  return counts;
}

async function crashBench() {
  const kills = await killLoop();
  // The last run may have been killed; resume what is unfinished.
  const code = runStatuses().some((r) => r.status !== 'completed') ? await start() : 0;
  await server.close();
  const runs = query<{ id: string; status: string; n: number; distinct_cases: number }>(
    `SELECT runs.id, runs.status, COUNT(results.id) AS n, COUNT(DISTINCT results.case_id) AS distinct_cases
     FROM runs LEFT JOIN results ON results.run_id = runs.id GROUP BY runs.id ORDER BY runs.started_at`,
  );
  const exact = runs.every((r) => r.status === 'completed' && r.n === CASES && r.distinct_cases === CASES);
  const lost = lostAnswers();
  const perKill = kills.map((kill) => {
    const mine = lost.filter((l) => l.life === kill.life);
    const where = { onTheWire: 0, receivedNotDurable: 0, afterTheKill: 0 };
    for (const l of mine) where[classify(l, kill, kill.unread)]++;
    return {
      repeated: mine.length,
      ...where,
      inFlight: kill.inFlight,
      sinceFirstCallMs: kill.sinceFirstCallMs,
      // How long before the kill the server finished each lost answer (ms; negative: after it).
      finishedBeforeKillMs: mine.map((l) => Number((kill.at - l.at).toFixed(1))),
    };
  });
  const total = (key: Where | 'repeated') => perKill.reduce((s, k) => s + k[key], 0);
  const mean = (key: Where | 'repeated') => Number((total(key) / kills.length).toFixed(2));
  const unattributed = lost.filter((l) => !kills.some((k) => k.life === l.life)).length;
  // Answers finished after the kill: when, and whether their connection was still open then (the
  // server learns of the kill only when the kernel closes the dead process's sockets).
  const afterKill = kills.flatMap((kill) =>
    lost
      .filter((l) => l.life === kill.life && l.at > kill.at)
      .map((l) => ({
        msAfterKill: l.at - kill.at,
        beforeItsClose: (closes.find((c) => c.port === l.port && c.at >= kill.at)?.at ?? Number.NaN) >= l.at,
      })),
  );
  const answered = finishes.filter((f) => f.call.status === 200).length;
  console.log(
    JSON.stringify(
      {
        seed,
        kills: kills.length,
        runs: runs.length,
        cases: CASES,
        delayMs: DELAY_MS,
        concurrency: CONCURRENCY,
        loadavg: { atStart: loadAtStart, atEnd: load() },
        killToExitMs: quantiles(kills.map((k) => k.exitMs)),
        ...(values['stop-snapshot']
          ? {
              stoppedBeforeKillMs: quantiles(kills.map((k) => k.stoppedMs ?? 0)),
              snapshotVersusReset: snapshotVersusReset(kills),
            }
          : {}),
        finalExit: code,
        exact,
        answeredCalls: answered,
        repeatedPaidCalls: lost.length,
        repeatedPerKill: mean('repeated'),
        split: {
          onTheWire: mean('onTheWire'),
          receivedNotDurable: mean('receivedNotDurable'),
          afterTheKill: mean('afterTheKill'),
          ...(unattributed > 0 ? { notAtAKill: unattributed } : {}),
        },
        afterTheKill: {
          msAfterTheKill: quantiles(afterKill.map((a) => a.msAfterKill)),
          finishedBeforeTheServerSawTheConnectionClose: `${afterKill.filter((a) => a.beforeItsClose).length} of ${afterKill.length}`,
        },
        perKill: perKill.map(
          (k) =>
            `${k.repeated} (wire ${k.onTheWire}, read ${k.receivedNotDurable}, after ${k.afterTheKill}; ${k.inFlight} in flight; ${k.sinceFirstCallMs.toFixed(0)} ms after the process's first call; finished ${k.finishedBeforeKillMs.join(' ')} ms before the kill)`,
        ),
      },
      null,
      2,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(exact && code === 0 && kills.length === KILLS ? 0 : 1);
}

async function traceRun() {
  const traceFile = path.join(dir, 'trace.json');
  const profDir = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });
  if (values.resumed) {
    // The process traced is a resume, as every process after a kill is: kill a first one midway.
    const exited = start();
    while (finishes.length < CASES / 3) await sleep(5);
    child!.kill('SIGKILL');
    await exited;
  }
  const traceFrom = finishes.length;
  const code = await start(
    [
      '--import',
      path.join(import.meta.dirname, 'runner-crash-trace.ts'),
      ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
    ],
    { VERDICT_CRASH_TRACE: traceFile },
  );
  await server.close();
  const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as {
    readAt: Record<string, number>;
    committedAt: Record<string, number>;
    commits: Array<{ at: number; ms: number; results: number }>;
    gc: Array<{ at: number; ms: number; kind: number }>;
    span: { first: number; last: number; hrtimeMinusEpochMs: number };
  };
  /** Per answer: the server's last byte, the client's read of it, its commit (epoch ms). */
  const answers = finishes.slice(traceFrom).flatMap((finish) => {
    const prompt = finish.call.prompt;
    const read = trace.readAt[prompt];
    const committed = trace.committedAt[`k${prompt.slice('case '.length)}`];
    return read === undefined || committed === undefined ? [] : [{ sent: finish.at, read, committed }];
  });
  const firstSent = Math.min(...answers.map((a) => a.sent));
  const toMonotonic = (at: number) => at + trace.span.hrtimeMinusEpochMs;
  // The kills land within 1.5 s of the first call of a process, while its code is still cold.
  const phases = {
    first1500Ms: answers.filter((a) => a.sent - firstSent <= 1500),
    afterThat: answers.filter((a) => a.sent - firstSent > 1500),
  };
  const windowsOf = (list: typeof answers) => {
    const spanMs = Math.max(...list.map((a) => a.sent)) - Math.min(...list.map((a) => a.sent));
    const toCommit = list.map((a) => a.committed - a.sent);
    return {
      answers: list.length,
      answersPerSecond: Number(((1000 * list.length) / spanMs).toFixed(1)),
      // Server's last byte → the client's read of it (time in the client's socket) → durable (in the
      // store's journal, or committed: the earlier).
      serverFinishToClientReadMs: quantiles(list.map((a) => a.read - a.sent)),
      clientReadToDurableMs: quantiles(list.map((a) => a.committed - a.read)),
      serverFinishToDurableMs: quantiles(toCommit),
      // Answers between the server's last byte and their durability at a random moment: a kill's share.
      expectedLostPerKill: Number(((list.length / spanMs) * quantiles(toCommit).mean).toFixed(2)),
    };
  };
  const longest = [...answers].sort((x, y) => y.committed - y.sent - (x.committed - x.sent)).slice(0, 12);
  const gcInRun = trace.gc.filter((g) => g.at >= trace.span.first && g.at <= trace.span.last);
  const profile = profDir
    ? readdirSync(profDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(profDir, f))
        .sort()
        .at(-1)
    : undefined;
  console.log(
    JSON.stringify(
      {
        seed,
        cases: CASES,
        delayMs: DELAY_MS,
        concurrency: CONCURRENCY,
        loadavg: { atStart: loadAtStart, atEnd: load() },
        exit: code,
        firstSeconds: windowsOf(phases.first1500Ms),
        afterThat: windowsOf(phases.afterThat),
        // The answers that waited longest, with what the client was doing then that shows here.
        longestWaits: longest.map((a) => {
          const during = (at: number, ms: number) => at + ms >= a.sent && at <= a.committed;
          const gcMs = trace.gc.filter((g) => during(g.at, g.ms)).reduce((sum, g) => sum + g.ms, 0);
          const slowCommits = trace.commits.filter((c) => c.ms > 1 && during(c.at - c.ms, c.ms));
          return `${(a.committed - a.sent).toFixed(1)} ms at ${(a.sent - firstSent).toFixed(0)} ms (unread ${(a.read - a.sent).toFixed(1)}; GC ${gcMs.toFixed(1)}; commits over 1 ms: ${slowCommits.map((c) => c.ms.toFixed(1)).join(' ') || 'none'})`;
        }),
        commits: {
          count: trace.commits.length,
          resultsPerCommit: Number(
            (trace.commits.reduce((s, c) => s + c.results, 0) / trace.commits.length).toFixed(2),
          ),
          ms: quantiles(trace.commits.map((c) => c.ms)),
          // A commit that also checkpoints the WAL (or waits on the disk) takes milliseconds.
          over1Ms: trace.commits.filter((c) => c.ms > 1).length,
          over1MsTotalMs: Number(
            trace.commits
              .filter((c) => c.ms > 1)
              .reduce((sum, c) => sum + c.ms, 0)
              .toFixed(1),
          ),
        },
        gc: {
          pauses: gcInRun.length,
          totalMs: Number(gcInRun.reduce((s, g) => s + g.ms, 0).toFixed(1)),
          ms: quantiles(gcInRun.map((g) => g.ms)),
        },
        ...(profile
          ? {
              cpuProfile: {
                file: profile,
                // What the client's CPU did while some answer sat between the server's last byte
                // and its commit, and over the whole run ('(idle)': waiting, its CPU free).
                inTheWindowsOfTheFirstSeconds: summariseProfile(
                  profile,
                  phases.first1500Ms.map((a) => [toMonotonic(a.sent), toMonotonic(a.committed)]),
                ),
                // The first answers of a process, handled by code not compiled yet.
                inTheFirstWave: summariseProfile(
                  profile,
                  [...answers]
                    .sort((x, y) => x.sent - y.sent)
                    .slice(0, CONCURRENCY)
                    .map((a) => [toMonotonic(a.sent), toMonotonic(a.committed)]),
                ),
                inTheLongestWaits: summariseProfile(
                  profile,
                  longest.map((a) => [toMonotonic(a.sent), toMonotonic(a.committed)]),
                ),
                inTheWindowsAfterThat: summariseProfile(
                  profile,
                  phases.afterThat.map((a) => [toMonotonic(a.sent), toMonotonic(a.committed)]),
                ),
                wholeRun: summariseProfile(profile, [
                  [toMonotonic(trace.span.first), toMonotonic(trace.span.last)],
                ]),
              },
            }
          : {}),
      },
      null,
      2,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 1);
}

if (values.trace) await traceRun();
else await crashBench();
