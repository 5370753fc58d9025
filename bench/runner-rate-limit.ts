// Benchmark 3 (issue 4): a server limited to R requests per minute that answers 429 with
// Retry-After and OpenAI's rate-limit headers. verdict should achieve ≥95% of the allowed rate with
// ≤1% of requests answered 429 after the first minute. The window scales with --window-ms so the
// bench takes a couple of minutes, not hours.
//
//   node bench/runner-rate-limit.ts [--per-minute 600] [--window-ms 10000] [--cases 1200] [--concurrency 8] [--no-headers]
//
// With --no-headers the server sends only Retry-After, and verdict estimates the limit from 429s.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fixed, startServerProcess, timed, verdictCommand, writeWorkload } from './runner-common.ts';

const { values } = parseArgs({
  options: {
    'per-minute': { type: 'string', default: '600' },
    'window-ms': { type: 'string', default: '10000' },
    cases: { type: 'string', default: '1200' },
    concurrency: { type: 'string', default: '8' },
    'no-headers': { type: 'boolean', default: false },
  },
});
const perMinute = Number(values['per-minute']);
const windowMs = Number(values['window-ms']);
const cases = Number(values.cases);
const perWindow = Math.round((perMinute * windowMs) / 60_000);
const server = await startServerProcess([
  '--requests',
  String(perWindow),
  '--window-ms',
  String(windowMs),
  '--keep-times',
  ...(values['no-headers'] ? ['--no-headers'] : []),
]);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-rate-'));
const workload = writeWorkload(dir, server.url, cases);
const store = path.join(dir, 'verdict.db');

console.log(
  `${cases} cases against ${perWindow} requests per ${windowMs / 1000} s (${perMinute}/min${values['no-headers'] ? ', Retry-After only' : ', with rate-limit headers'}), concurrency ${values.concurrency}, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
const result = await timed(process.execPath, [
  ...verdictCommand(),
  'run',
  workload,
  '--store',
  store,
  '--json',
  '--no-cache',
  '--concurrency',
  String(values.concurrency),
]);
if (result.code !== 0) throw new Error(result.stderr.slice(-2000));
const stats = await server.stats();
server.close();
const db = new Database(store, { readonly: true });
const run = db.prepare('SELECT started_at, finished_at FROM runs').get() as {
  started_at: string;
  finished_at: string;
};
const errors = (
  db.prepare('SELECT COUNT(*) AS n FROM results WHERE error_code IS NOT NULL').get() as { n: number }
).n;
db.close();
const seconds = (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000;
const achievedPerMinute = (cases / seconds) * 60;
// Times are from the server's start, a moment before the run's; "after the first minute" is counted
// from the server's start, which if anything counts a few more requests in.
const requests = stats.answered + stats.limitedAtMs.length;
const limitedLater = stats.limitedAtMs.filter((at) => at > 60_000).length;
const requestsLater = limitedLater + stats.answeredAtMs.filter((at) => at > 60_000).length;
console.log(
  [
    `run: ${fixed(seconds, 1)} s for ${cases} results (${errors} errors), ${fixed(achievedPerMinute, 0)} requests/min achieved`,
    `  achieved ÷ allowed = ${fixed(achievedPerMinute / perMinute, 3)} (target ≥ 0.95)`,
    `  429s: ${stats.limitedAtMs.length} of ${requests} requests in all; after the first minute ${limitedLater} of ${requestsLater} = ${fixed((100 * limitedLater) / requestsLater, 2)}% (target ≤ 1%)`,
  ].join('\n'),
);
