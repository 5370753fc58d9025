// verdict's load generator against wrk (Debian's package), both at 256 concurrent streams on
// one local streaming server run in its own process. Prints each side's request rate and the
// ratio (issue 8 asks ≥ 0.8), how far verdict's TTFT sits from the server side's timestamps at
// p50 (issue 8 asks ≤ 1 ms), and each client's CPU per request, which the machine's other load
// moves far less than rates. Run on demand, not in the tests:
//
//   node bench/load-vs-wrk.ts [--connections 256] [--duration 5] [--rounds 3] [--pace fast|paced|both]
//                             [--wrk-threads 2] [--no-wire]
//
// Needs `wrk` and `/usr/bin/time` (apt-get install -y wrk time), and for the wire timestamps
// `tcpdump` run as root (apt-get install -y tcpdump). The two clients take turns, round after
// round, and every round is printed with the medians over rounds, so a burst of other load on
// the machine hits both sides rather than one.
//
// What the TTFT check measures: the error the generator adds to a TTFT, i.e. its TTFT minus the
// time from the request's bytes reaching the server to the first token's bytes leaving it.
// Each measured request is timed three ways:
//   - verdict: from writing the request to its connection to reading the first content chunk;
//   - wire: the kernel's timestamps of the request's packet and of the response packet carrying
//     the first token (bench/wire-capture.ts), i.e. the server's first-byte arrival and its write;
//   - server process: the timed server's own stamps, in its request handler and at its write.
// "verdict − wire" is the generator's own error: its send stamp against the bytes going out, and
// its read stamp against the bytes coming in (its event loop's wait for other streams' chunks
// included, as it should be). "wire − server process" is the time a request waits in the server's
// socket while the server's one event loop writes other streams' tokens: the server's queue, not
// the client's, which the server process cannot see; "verdict − server process" is the sum.
// A shared clock (CLOCK_MONOTONIC through process.hrtime in both processes) splits it further
// into send → server read and server write → our read. Without tcpdump only the server process's
// stamps are there, and "verdict − server process" is an upper bound on the generator's error.
//
// The paces: "fast" makes the server, not its timers, limit the rate, so each client's cost per
// request shows, and both processes saturate their cores (the generator's TTFT there carries its
// own event loop's queue, and it says when it was the bottleneck). "paced" is the issue's
// example timing, where neither side saturates: that is where a TTFT error is the generator's
// accuracy rather than a saturated machine's queueing, and where the ≤ 1 ms target is judged.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { runLoadTest } from '../src/load/run-load-test.ts';
import type { LoadTestResult } from '../src/load/types.ts';
import { monotonicOffsetMs, type ServerRecord } from '../test/servers/timed-sse-server.ts';
import { startWireCapture, type WireCapture, type WireTimes } from './wire-capture.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '256' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    pace: { type: 'string', default: 'both' },
    // wrk's default. Each thread is an event loop with its own share of a busy machine's CPU,
    // where verdict's generator is one: `--wrk-threads 1` compares loop with loop.
    'wrk-threads': { type: 'string', default: '2' },
    // Leave tcpdump out, e.g. to see what capturing costs the rate.
    wire: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const connections = Number(values.connections);
const durationS = Number(values.duration);
const rounds = Number(values.rounds);

/** A server timing: how long to the first token, the gap between tokens, how many tokens. */
interface Pace {
  name: string;
  ttft: number;
  tokenDelay: number;
  tokens: number;
}

// See the header for what each pace is for.
const PACES: Pace[] = [
  { name: 'fast', ttft: 20, tokenDelay: 5, tokens: 16 },
  { name: 'paced', ttft: 100, tokenDelay: 20, tokens: 16 },
];

async function startServer(pace: Pace): Promise<{ child: ChildProcess; url: string }> {
  const script = new URL('../test/servers/timed-sse-server.ts', import.meta.url).pathname;
  const args = [
    '--ttft',
    String(pace.ttft),
    '--token-delay',
    String(pace.tokenDelay),
    '--tokens',
    String(pace.tokens),
  ];
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const { port } = JSON.parse(line) as { port: number };
    return { child, url: `http://127.0.0.1:${port}` };
  }
  throw new Error('the server printed no port');
}

const messages = [{ role: 'user' as const, content: 'Classify this ticket: my invoice is wrong.' }];

interface WrkRun {
  rate: number;
  requests: number;
  cpuMs: number;
}

async function runWrk(url: string, tokens: number): Promise<WrkRun> {
  const body = JSON.stringify({
    model: 'timed-sse',
    messages,
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: tokens,
  });
  const dir = mkdtempSync(join(tmpdir(), 'verdict-wrk-'));
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`,
  );
  // wrk needs at least one connection per thread.
  const threads = String(Math.min(Number(values['wrk-threads']), connections));
  const args = [
    '-f',
    '%U %S',
    'wrk',
    '-t',
    threads,
    '-c',
    String(connections),
    '-d',
    `${durationS}s`,
    '-s',
    script,
  ];
  const { stdout, stderr } = await promisify(execFile)('/usr/bin/time', [
    ...args,
    `${url}/v1/chat/completions`,
  ]);
  const rate = /Requests\/sec:\s+([0-9.]+)/.exec(stdout);
  const requests = /(\d+) requests in/.exec(stdout);
  const problems = /Non-2xx or 3xx responses: \d+|Socket errors: .*/.exec(stdout);
  if (problems) console.log(`  wrk reported: ${problems[0]}`);
  const cpu = /([0-9.]+) ([0-9.]+)\s*$/.exec(stderr.trim());
  if (!rate || !requests || !cpu) throw new Error(`could not read wrk's output:\n${stdout}\n${stderr}`);
  return {
    rate: Number(rate[1]),
    requests: Number(requests[1]),
    cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

function summary(values: number[]): { p50: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90) };
}

/** The index a request id ends with (`<test id>-<index>`). */
function indexOf(requestId: string): number {
  return Number(requestId.slice(requestId.lastIndexOf('-') + 1));
}

type Wire = Awaited<ReturnType<WireCapture['stop']>>;

/** Each measured request's TTFT as verdict, the wire and the server process saw it. */
async function ttftAgainstServer(url: string, result: LoadTestResult, wire: Wire | null) {
  const timings = (await (await fetch(`${url}/__timings`)).json()) as {
    monotonicOffsetMs: number;
    records: ServerRecord[];
  };
  const byIndex = new Map<number, ServerRecord>();
  for (const record of timings.records) {
    if (record.requestId !== null) byIndex.set(indexOf(record.requestId), record);
  }
  const wireByIndex = new Map<number, WireTimes>();
  for (const [id, times] of wire?.requests ?? []) wireByIndex.set(indexOf(id), times);
  // Our request times on CLOCK_MONOTONIC, as the server's are.
  const ourShift = result.timeZeroEpochMs - performance.timeOrigin + monotonicOffsetMs();
  const columns = {
    client: [] as number[],
    server: [] as number[],
    wire: [] as number[],
    clientMinusServer: [] as number[],
    clientMinusWire: [] as number[],
    wireMinusServer: [] as number[],
    sendToRead: [] as number[],
    writeToRead: [] as number[],
  };
  let unmatched = 0;
  for (const request of result.requests ?? []) {
    if (request.ttftMs === null) continue;
    const record = byIndex.get(request.index);
    const onWire = wireByIndex.get(request.index);
    // With a capture, compare only the requests all three saw, so every column is of one set.
    if (!record || record.firstTokenAt === null || (wire && onWire?.firstTokenAt == null)) {
      unmatched += 1;
      continue;
    }
    const serverTtft = record.firstTokenAt - record.receivedAt;
    columns.client.push(request.ttftMs);
    columns.server.push(serverTtft);
    columns.clientMinusServer.push(request.ttftMs - serverTtft);
    const sentAt = request.sentAt + ourShift;
    columns.sendToRead.push(record.receivedAt + timings.monotonicOffsetMs - sentAt);
    columns.writeToRead.push(sentAt + request.ttftMs - (record.firstTokenAt + timings.monotonicOffsetMs));
    if (onWire && onWire.firstTokenAt !== null) {
      const wireTtft = onWire.firstTokenAt - onWire.requestAt;
      columns.wire.push(wireTtft);
      columns.clientMinusWire.push(request.ttftMs - wireTtft);
      columns.wireMinusServer.push(wireTtft - serverTtft);
    }
  }
  return {
    n: columns.client.length,
    unmatched,
    client: summary(columns.client),
    server: summary(columns.server),
    wire: columns.wire.length > 0 ? summary(columns.wire) : null,
    clientMinusServer: summary(columns.clientMinusServer),
    clientMinusWire: columns.wire.length > 0 ? summary(columns.clientMinusWire) : null,
    wireMinusServer: columns.wire.length > 0 ? summary(columns.wireMinusServer) : null,
    sendToRead: summary(columns.sendToRead),
    writeToRead: summary(columns.writeToRead),
  };
}

interface PaceOutcome {
  pace: string;
  ratio: number;
  clientMinusWire: number | null;
  clientMinusServer: number;
}

async function comparePace(pace: Pace): Promise<PaceOutcome> {
  const { child, url } = await startServer(pace);
  const port = Number(new URL(url).port);
  const test = (durationMs: number, warmupMs: number) =>
    runLoadTest({
      target: { baseUrl: `${url}/v1`, model: 'timed-sse' },
      arrival: { kind: 'closed', concurrency: connections },
      prompts: { kind: 'messages', conversations: [messages] },
      outputTokens: { kind: 'fixed', value: pace.tokens },
      warmupMs,
      durationMs,
      maxRequests: 1_000_000,
      keepRequests: true,
    });
  const f = (n: number, digits = 3) => n.toFixed(digits);
  const p = (s: { p50: number; p90: number }) => `p50 ${f(s.p50)} ms, p90 ${f(s.p90)} ms`;
  console.log(
    `\n${pace.name}: server TTFT ${pace.ttft} ms, ${pace.tokens} tokens ${pace.tokenDelay} ms apart; ` +
      `${connections} streams, ${durationS} s per run`,
  );
  try {
    // Warm the server's JIT and sockets before either side is measured.
    await test(2000, 0);
    const ratios: number[] = [];
    const minusWire: number[] = [];
    const minusServer: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const wrk = await runWrk(url, pace.tokens);
      await fetch(`${url}/__reset`, { method: 'POST' });
      const capture = values.wire ? await startWireCapture(port) : 'off (--no-wire)';
      if (typeof capture === 'string' && round === 1) console.log(`  wire timestamps: ${capture}`);
      const ours = await test(durationS * 1000, 1000);
      const wire = typeof capture === 'string' ? null : await capture.stop();
      const rate = ours.throughput.requestsPerSec;
      const ttft = await ttftAgainstServer(url, ours, wire);
      const ourCpuMs = ours.client.cpuUserMs + ours.client.cpuSystemMs;
      const ourRequests = ours.counts.completed + ours.counts.failed + ours.counts.warmup;
      ratios.push(rate / wrk.rate);
      minusServer.push(ttft.clientMinusServer.p50);
      if (ttft.clientMinusWire) minusWire.push(ttft.clientMinusWire.p50);
      console.log(
        `  round ${round}  load ${f(loadavg()[0]!, 2)}  wrk ${f(wrk.rate, 1)} req/s (${f(wrk.cpuMs / wrk.requests)} ms CPU/req)  ` +
          `verdict ${f(rate, 1)} req/s (${f(ourCpuMs / ourRequests)} ms CPU/req, ${ours.errors.total} errors)  ` +
          `ratio ${f(rate / wrk.rate)}` +
          (ours.client.generatorBound ? `\n           flagged: ${ours.client.note}` : ''),
      );
      const lost = wire
        ? `; ${ttft.unmatched} not matched` +
          (wire.dropped > 0 ? `, ${wire.dropped} packets dropped` : '') +
          (wire.headOnly > 0 ? `, ${wire.headOnly} heads sent alone` : '')
        : '';
      console.log(
        `           TTFT p50 verdict ${f(ttft.client.p50)} ms, wire ${ttft.wire ? f(ttft.wire.p50) : '-'} ms, ` +
          `server process ${f(ttft.server.p50)} ms over ${ttft.n} requests${lost}`,
      );
      if (ttft.clientMinusWire && ttft.wireMinusServer) {
        console.log(
          `           verdict - wire            ${p(ttft.clientMinusWire)}  (the generator's own error)`,
        );
        console.log(
          `           wire - server process     ${p(ttft.wireMinusServer)}  (the server's unseen queue)`,
        );
      }
      console.log(
        `           verdict - server process  ${p(ttft.clientMinusServer)}  ` +
          `(send -> server read p50 ${f(ttft.sendToRead.p50)} ms, server write -> our read p50 ${f(ttft.writeToRead.p50)} ms)`,
      );
    }
    const outcome: PaceOutcome = {
      pace: pace.name,
      ratio: median(ratios),
      clientMinusWire: minusWire.length === rounds ? median(minusWire) : null,
      clientMinusServer: median(minusServer),
    };
    console.log(
      `  median of ${rounds} rounds: rate ratio ${f(outcome.ratio)} (issue 8 asks >= 0.8); TTFT p50 ` +
        (outcome.clientMinusWire === null ? '' : `verdict - wire ${f(outcome.clientMinusWire)} ms, `) +
        `verdict - server process ${f(outcome.clientMinusServer)} ms (issue 8 asks <= 1 ms)`,
    );
    return outcome;
  } finally {
    child.kill('SIGTERM');
  }
}

console.log(
  `load average before: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores; wrk with ${values['wrk-threads']} threads`,
);
const outcomes: PaceOutcome[] = [];
for (const pace of PACES) {
  if (values.pace === 'both' || values.pace === pace.name) outcomes.push(await comparePace(pace));
}
console.log('');
for (const outcome of outcomes) {
  // The generator's error: against the wire when captured, else the server process's stamps (an
  // upper bound, the server's own queue included).
  const error = outcome.clientMinusWire ?? outcome.clientMinusServer;
  const against = outcome.clientMinusWire === null ? 'the server process' : 'the wire';
  const judged =
    outcome.pace === 'paced' ? '' : ' (not where the TTFT target is judged: both sides saturate)';
  console.log(
    `${outcome.pace}: rate ratio ${outcome.ratio.toFixed(3)} ${outcome.ratio >= 0.8 ? 'meets' : 'misses'} >= 0.8; ` +
      `TTFT error vs ${against} ${error.toFixed(3)} ms at p50 ${error <= 1 ? 'meets' : 'misses'} <= 1 ms${judged}`,
  );
}
