// Benchmark 1 (issues 4 and 21): one suite of N cases against an instant local OpenAI-compatible
// server, run by verdict and by promptfoo (installed for the bench only). The headline is the
// runner's own share: verdict's run phase (the run's stored start to its stored end: cases stored,
// every call made, graded and stored) in cases/s over the rate of verdict's wire client alone on the
// same calls (bench/http-client-alone.ts: the same client, concurrency and answers, no runner, in a
// fresh process), target ≥ 0.8. Beside it, promptfoo: verdict's cases/s end to end ÷ promptfoo's
// (target ≥ 10) and peak RSS ÷ promptfoo's (target ≤ 0.5). As context only: autocannon's raw request
// rate on the same server (it pre-builds one request and reads no body, so no client on Node's HTTP
// stack reaches it; issue 4's target of half its rate was the wrong baseline) and node:http alone.
// With --rounds N, a last line gives the median of the rounds' runner shares.
//
//   npm install --prefix bench/.peers promptfoo autocannon
//   node bench/runner-vs-promptfoo.ts [--cases 2000] [--concurrency 32] [--rounds 1] [--skip-promptfoo]
//                                     [--bin PATH (another build's bin/verdict.js, to compare builds)]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  binNodeFlags,
  fixed,
  peers,
  ratio,
  requirePeer,
  startServerProcess,
  timed,
  verdictCommand,
  writeWorkload,
} from './runner-common.ts';
import { requestsSince, type ServerClock, serverClock, stampsSoFar } from './server-clock.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
    'skip-promptfoo': { type: 'boolean', default: false },
    /** Another build of the CLI (a copy of bin/verdict.js beside its own dist/), to compare builds. */
    bin: { type: 'string' },
  },
});
const cases = Number(values.cases);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const RUNNER_TARGET = 0.8;
const ms = (seconds: number) => `${fixed(seconds * 1000, 0)} ms`;

const server = await startServerProcess(['--keep-times']);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-'));
const workload = writeWorkload(dir, server.url, cases);

// promptfoo: the same cases and grader.
const csv = ['q,__expected'];
for (let i = 0; i < cases; i++) csv.push(`case ${i},ok case ${i}`);
writeFileSync(path.join(dir, 'tests.csv'), `${csv.join('\n')}\n`);
writeFileSync(
  path.join(dir, 'promptfooconfig.yaml'),
  `description: bench
prompts:
  - "{{q}}"
providers:
  - id: openai:chat:bench-model
    config:
      apiBaseUrl: ${server.url}
tests: file://tests.csv
`,
);
const promptfooEnv = {
  OPENAI_API_KEY: 'sk-bench-not-a-key',
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_CACHE_ENABLED: 'false',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_CONFIG_DIR: path.join(dir, 'promptfoo-home'),
};

async function runVerdict(round: number, clock: ServerClock) {
  const store = path.join(dir, `verdict-${round}.db`);
  const stamped = await stampsSoFar(server);
  const result = await timed(process.execPath, [
    ...(values.bin ? [...binNodeFlags(), path.resolve(values.bin)] : verdictCommand()),
    'run',
    workload,
    '--store',
    store,
    '--json',
    '--no-cache',
    '--concurrency',
    String(concurrency),
  ]);
  if (result.code !== 0) throw new Error(`verdict failed: ${result.stderr.slice(-2000)}`);
  const report = JSON.parse(result.stdout) as { candidates: Array<{ passed: number; total: number }> };
  const db = new Database(store, { readonly: true });
  const run = db.prepare('SELECT started_at, finished_at FROM runs').get() as {
    started_at: string;
    finished_at: string;
  };
  db.close();
  const runSeconds = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
  // Where the run phase went: before the first request (the run and its cases stored), the calls
  // (first → last request at the server), after the last (the last answers graded and stored).
  const requests = await requestsSince(server, clock, stamped);
  const phases = {
    beforeSeconds: (requests.first - Date.parse(run.started_at)) / 1000,
    callsSeconds: (requests.last - requests.first) / 1000,
    afterSeconds: (Date.parse(run.finished_at) - requests.last) / 1000,
  };
  return { ...result, passed: report.candidates[0]!.passed, runSeconds, ...phases };
}

async function runPromptfoo() {
  const main = path.join(peers, 'node_modules', 'promptfoo', 'dist', 'src', 'main.js');
  const result = await timed(
    process.execPath,
    [
      main,
      'eval',
      '-c',
      path.join(dir, 'promptfooconfig.yaml'),
      '--no-cache',
      '-j',
      String(concurrency),
      '--no-table',
      '--no-progress-bar',
      '-o',
      path.join(dir, 'promptfoo-out.json'),
    ],
    promptfooEnv,
  );
  if (result.code !== 0 && result.code !== 100)
    throw new Error(`promptfoo failed (${result.code}): ${result.stderr.slice(-2000)}`);
  const output = JSON.parse(readFileSync(path.join(dir, 'promptfoo-out.json'), 'utf8')) as {
    results?: { stats?: { successes?: number } };
  };
  return { ...result, passed: output.results?.stats?.successes ?? Number.NaN };
}

/** The rate an HTTP client alone reaches over the same calls, in a fresh process (bench/http-client-alone.ts). */
async function runClientAlone(
  client: 'wire' | 'node-http',
): Promise<{ rate: number; cpuMicrosPerCall: number }> {
  const result = await timed(process.execPath, [
    path.join(import.meta.dirname, 'http-client-alone.ts'),
    '--url',
    server.url,
    '--client',
    client,
    '--cases',
    String(cases),
    '--concurrency',
    String(concurrency),
  ]);
  if (result.code !== 0) throw new Error(`${client} alone failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout) as { rate: number; cpuMicrosPerCall: number };
}

/** autocannon's rate, and the CPU per request of autocannon (this process) and of the server. */
async function runAutocannon(
  durationS = 5,
): Promise<{ rate: number; clientMicros: number; serverMicros: number }> {
  type Autocannon = (
    options: object,
  ) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>;
  const autocannon = requirePeer<Autocannon>('autocannon');
  const serverBefore = server.cpuSeconds();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: `${server.url}/chat/completions`,
    method: 'POST',
    connections: concurrency,
    duration: durationS,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench-model',
      messages: [{ role: 'user', content: 'case 1' }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const serverSeconds = server.cpuSeconds() - serverBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error('autocannon saw errors');
  const total = result.requests.total;
  return {
    rate: result.requests.average,
    clientMicros: (cpu.user + cpu.system) / total,
    serverMicros: (serverSeconds * 1e6) / total,
  };
}

console.log(
  `${cases} cases, concurrency ${concurrency}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
// The server process starts cold; whoever calls it first would pay for its JIT warming up. One
// second of autocannon warms it before anything is measured.
await runAutocannon(1);
const clock = await serverClock(server);
const rows: string[] = [];
const shares: number[] = [];
for (let round = 0; round < rounds; round++) {
  const verdict = await runVerdict(round, clock);
  const verdictRate = cases / verdict.wallSeconds;
  rows.push(
    `verdict:    ${fixed(verdict.wallSeconds)} s wall, ${fixed(verdictRate, 0)} cases/s end to end (${fixed(cases / verdict.runSeconds, 0)} cases/s from the run's start to its end), peak RSS ${fixed(verdict.peakRssMb, 0)} MB, ${verdict.passed}/${cases} passed`,
  );
  const wire = await runClientAlone('wire');
  const nodeHttp = await runClientAlone('node-http');
  const raw = await runAutocannon();
  const rawRate = raw.rate;
  const runRate = cases / verdict.runSeconds;
  const runnerShare = ratio(runRate, wire.rate);
  shares.push(runnerShare);
  rows.push(
    `wire client alone: ${fixed(wire.rate, 0)} calls/s, ${fixed(wire.cpuMicrosPerCall, 0)} µs CPU per call (${cases} calls, no runner, fresh process)`,
    `  the runner's share: verdict run phase ${fixed(runRate, 0)} cases/s ÷ wire client alone ${fixed(wire.rate, 0)} calls/s = ${fixed(runnerShare)} (target ≥ ${RUNNER_TARGET}) ${runnerShare >= RUNNER_TARGET ? 'PASS' : 'MISS'}`,
    `  the run phase: ${ms(verdict.beforeSeconds)} before the first request (run and cases stored) + ${ms(verdict.callsSeconds)} of calls (first → last request at the server: ${fixed(cases / verdict.callsSeconds, 0)} calls/s, ÷ wire client alone = ${fixed(ratio(cases / verdict.callsSeconds, wire.rate))}) + ${ms(verdict.afterSeconds)} after the last (server clock within ±${clock.uncertaintyMs} ms)`,
    `  context: node:http alone ${fixed(nodeHttp.rate, 0)} calls/s, ${fixed(nodeHttp.cpuMicrosPerCall, 0)} µs CPU per call; verdict's whole process ${fixed((verdict.cpuSeconds * 1e6) / cases, 0)} µs CPU per case (start-up and report included)`,
    `  context: autocannon ${fixed(rawRate, 0)} requests/s, ${fixed(raw.clientMicros, 0)} µs CPU per request, the server meanwhile ${fixed(raw.serverMicros, 0)} µs per request; verdict run phase ÷ autocannon = ${fixed(ratio(runRate, rawRate))}, wire client alone ÷ autocannon = ${fixed(ratio(wire.rate, rawRate))}`,
  );
  if (!values['skip-promptfoo']) {
    const promptfoo = await runPromptfoo();
    const promptfooRate = cases / promptfoo.wallSeconds;
    const speed = ratio(verdictRate, promptfooRate);
    const memory = ratio(verdict.peakRssMb, promptfoo.peakRssMb);
    rows.push(
      `promptfoo:  ${fixed(promptfoo.wallSeconds)} s wall, ${fixed(promptfooRate, 0)} cases/s, peak RSS ${fixed(promptfoo.peakRssMb, 0)} MB, ${promptfoo.passed}/${cases} passed`,
      `  cases/s verdict ÷ promptfoo = ${fixed(speed)} (target ≥ 10) ${speed >= 10 ? 'PASS' : 'MISS'}; peak RSS verdict ÷ promptfoo = ${fixed(memory)} (target ≤ 0.5) ${memory <= 0.5 ? 'PASS' : 'MISS'}`,
    );
  }
  console.log(rows.join('\n'));
  rows.length = 0;
}
if (rounds > 1) {
  // Other work on a shared machine moves single rounds: the median of the rounds is the figure to quote.
  const sorted = [...shares].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  console.log(
    `over ${rounds} rounds: the runner's share median ${fixed(median)} (${fixed(sorted[0]!)}–${fixed(sorted.at(-1)!)}) (target ≥ ${RUNNER_TARGET}) ${median >= RUNNER_TARGET ? 'PASS' : 'MISS'}`,
  );
}
server.close();
rmSync(dir, { recursive: true, force: true });
