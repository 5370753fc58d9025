// verdict's load generator against wrk (Debian's package), both at 256 concurrent streams on
// one local streaming server run in its own process. Prints each side's request rate and the
// ratio (issue 8 asks ≥ 0.8), how far verdict's TTFT sits from the server's own timestamps at
// p50 (issue 8 asks ≤ 1 ms), and each client's CPU per request, which the machine's other load
// moves far less than rates. Run on demand, not in the tests:
//
//   node bench/load-vs-wrk.ts [--connections 256] [--duration 5] [--rounds 3] [--pace fast|paced|both]
//                             [--wrk-threads 2]
//
// Needs `wrk` and `/usr/bin/time` (apt-get install -y wrk time). The two clients take turns,
// round after round, and the medians are printed, so a burst of other load on the machine
// hits both sides rather than one.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { runLoadTest } from '../src/load/run-load-test.ts';
import type { LoadTestResult } from '../src/load/types.ts';
import type { ServerRecord } from '../test/servers/timed-sse-server.ts';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '256' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    pace: { type: 'string', default: 'both' },
    // wrk's default. Each thread is an event loop with its own share of a busy machine's CPU,
    // where verdict's generator is one: `--wrk-threads 1` compares loop with loop.
    'wrk-threads': { type: 'string', default: '2' },
  },
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

// "fast": a small model on a big GPU, so the server, not its timers, limits the rate and each
// client's own cost per request shows. "paced": the example timing (100 ms, 20 ms per
// token), where neither side saturates, so the TTFT difference is the generator's timing error
// and not queueing in a saturated server (whose own clock starts only when its busy loop reads
// the request).
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

/** Client TTFT − server TTFT per request, and where the difference arises. */
async function ttftAgainstServer(url: string, result: LoadTestResult) {
  const timings = (await (await fetch(`${url}/__timings`)).json()) as {
    timeOrigin: number;
    records: ServerRecord[];
  };
  const byIndex = new Map<number, ServerRecord>();
  for (const record of timings.records) {
    byIndex.set(Number(record.requestId?.slice(record.requestId.lastIndexOf('-') + 1)), record);
  }
  const difference: number[] = [];
  const client: number[] = [];
  const server: number[] = [];
  // On the two processes' shared wall clock (performance.timeOrigin, µs apart at most): from our
  // send to the server reading the request, and from its write to our read.
  const sendToRead: number[] = [];
  const writeToRead: number[] = [];
  const shift = result.timeZeroEpochMs - timings.timeOrigin;
  for (const request of result.requests ?? []) {
    const record = byIndex.get(request.index);
    if (request.ttftMs === null || !record || record.firstTokenAt === null) continue;
    const serverTtft = record.firstTokenAt - record.receivedAt;
    difference.push(request.ttftMs - serverTtft);
    client.push(request.ttftMs);
    server.push(serverTtft);
    sendToRead.push(record.receivedAt - (request.sentAt + shift));
    writeToRead.push(request.sentAt + request.ttftMs + shift - record.firstTokenAt);
  }
  return {
    n: difference.length,
    difference: median(difference),
    differenceP90: percentile(
      [...difference].sort((a, b) => a - b),
      90,
    ),
    client: median(client),
    server: median(server),
    sendToRead: median(sendToRead),
    writeToRead: median(writeToRead),
  };
}

async function comparePace(pace: Pace): Promise<void> {
  const { child, url } = await startServer(pace);
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
  console.log(
    `\n${pace.name}: server TTFT ${pace.ttft} ms, ${pace.tokens} tokens ${pace.tokenDelay} ms apart; ` +
      `${connections} streams, ${durationS} s per run`,
  );
  try {
    // Warm the server's JIT and sockets before either side is measured.
    await test(2000, 0);
    const ratios: number[] = [];
    const differences: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const wrk = await runWrk(url, pace.tokens);
      await fetch(`${url}/__reset`, { method: 'POST' });
      const ours = await test(durationS * 1000, 1000);
      const rate = ours.throughput.requestsPerSec;
      const ttft = await ttftAgainstServer(url, ours);
      const ourCpuMs = ours.client.cpuUserMs + ours.client.cpuSystemMs;
      const ourRequests = ours.counts.completed + ours.counts.failed + ours.counts.warmup;
      ratios.push(rate / wrk.rate);
      differences.push(ttft.difference);
      console.log(
        `  round ${round}  load ${f(loadavg()[0]!, 2)}  wrk ${f(wrk.rate, 1)} req/s (${f(wrk.cpuMs / wrk.requests)} ms CPU/req)  ` +
          `verdict ${f(rate, 1)} req/s (${f(ourCpuMs / ourRequests)} ms CPU/req, ${ours.errors.total} errors)  ` +
          `ratio ${f(rate / wrk.rate)}`,
      );
      console.log(
        `           TTFT p50 client ${f(ttft.client)} ms, server ${f(ttft.server)} ms; client - server p50 ` +
          `${f(ttft.difference)} ms, p90 ${f(ttft.differenceP90)} ms over ${ttft.n} requests ` +
          `(send -> server read ${f(ttft.sendToRead)} ms, server write -> our read ${f(ttft.writeToRead)} ms)` +
          (ours.client.generatorBound ? `; flagged: ${ours.client.note}` : ''),
      );
    }
    console.log(
      `  median of ${rounds}: ratio ${f(median(ratios))} (issue 8 asks >= 0.8); ` +
        `TTFT client - server p50 ${f(median(differences))} ms (issue 8 asks <= 1 ms)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

console.log(
  `load average before: ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores; wrk with ${values['wrk-threads']} threads`,
);
for (const pace of PACES) {
  if (values.pace === 'both' || values.pace === pace.name) await comparePace(pace);
}
