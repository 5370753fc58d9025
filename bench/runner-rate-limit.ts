// Benchmark 3 (issues 4 and 20): one endpoint whose models each have a limit of their own over a
// window of their own, answering 429 with Retry-After over it, and stating the limit as OpenAI does:
// `x-ratelimit-limit-requests` the window's count, `-remaining-requests`, and `-reset-requests` a Go
// duration (`5s` from an empty 5-s window). verdict should run each model at ≥95% of its own allowed
// rate, hold a 5-s window as 5 s (not as a minute), with ≤1% of requests answered 429 after each
// model's first window. Each figure is printed beside its target with PASS or MISS; a MISS sets the
// exit code.
//
//   node bench/runner-rate-limit.ts [--model a=100/5000 --model b=150/10000] [--cases 1200]
//                                   [--concurrency 8] [--window sliding|fixed] [--no-headers]
//
// --model NAME=REQUESTS/WINDOW_MS, once per model. --window fixed: a window's allowance comes back
// whole when it ends (sliding: each request's slot a window after it). With --no-headers the server
// sends only Retry-After, and verdict estimates each limit from its 429s.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixed, type ServerStats, startServerProcess, timed, verdictCommand } from './runner-common.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true, default: ['a=100/5000', 'b=150/10000'] },
    cases: { type: 'string', default: '1200' },
    concurrency: { type: 'string', default: '8' },
    window: { type: 'string', default: 'sliding' },
    'no-headers': { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const noHeaders = values['no-headers'];
if (values.window !== 'sliding' && values.window !== 'fixed')
  throw new Error(`--window ${values.window}: expected sliding or fixed`);
const models = values.model.map((text) => {
  const match = /^([\w.-]+)=(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new Error(`--model ${text}: expected NAME=REQUESTS/WINDOW_MS`);
  return { name: match[1]!, requests: Number(match[2]), windowMs: Number(match[3]) };
});

const server = await startServerProcess([
  ...models.flatMap((model) => ['--model-limit', `${model.name}=${model.requests}/${model.windowMs}`]),
  '--limit-per-window',
  ...(values.window === 'fixed' ? ['--fixed-window'] : []),
  '--keep-times',
  ...(noHeaders ? ['--no-headers'] : []),
]);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-rate-'));
const lines: string[] = [];
for (let i = 0; i < cases; i++)
  lines.push(JSON.stringify({ id: `k${i}`, q: `case ${i}`, expected: `ok case ${i}` }));
writeFileSync(path.join(dir, 'cases.jsonl'), `${lines.join('\n')}\n`);
const workload = path.join(dir, 'bench.yaml');
writeFileSync(
  workload,
  `version: 1
name: bench-rate-limit
prompt: "{{q}}"
cases: { file: cases.jsonl, vars: { q: q }, expected: expected, id: id }
graders: [equals]
candidates:
${models.map((model) => `  - { id: ${model.name}, model: "openai-compatible:${model.name}", base_url: "${server.url}" }`).join('\n')}
`,
);
const store = path.join(dir, 'verdict.db');

const seconds = (ms: number) => `${fixed(ms / 1000, ms % 1000 === 0 ? 0 : 1)} s`;
const limits = models.map((model) => `${model.name} ${model.requests} per ${seconds(model.windowMs)}`);
const stated = noHeaders ? 'Retry-After only' : 'limits stated per window with their reset';
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ');
console.log(
  `${cases} cases on each of ${models.length} models of one endpoint: ${limits.join(', ')} (${values.window} windows, ${stated}), concurrency ${values.concurrency}, load average ${load}`,
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
const stats = await server.stats();
server.close();
if (result.code !== 0) throw new Error(`verdict run exited ${result.code}: ${result.stderr.slice(-2000)}`);

const verdicts: boolean[] = [];
/** A figure beside its target, PASS or MISS. */
function check(figure: string, pass: boolean, target: string): string {
  verdicts.push(pass);
  return `${figure} (target ${target}) ${pass ? 'PASS' : 'MISS'}`;
}

console.log(`run: ${fixed(result.wallSeconds, 1)} s wall for ${cases * models.length} results`);
for (const model of models) {
  const own: ServerStats = stats.byModel[model.name] ?? {
    answered: 0,
    limitedAtMs: [],
    answeredAtMs: [],
    longestResetMs: 0,
  };
  const allowedPerSecond = (model.requests * 1000) / model.windowMs;
  const first = Math.min(...own.answeredAtMs, ...own.limitedAtMs);
  const last = Math.max(...own.answeredAtMs);
  // The first window lets its whole allowance through at once; the pace the gate holds is what
  // follows it, from the end of that window to the model's last answer.
  const windowEnd = first + model.windowMs;
  const paced = own.answeredAtMs.filter((at) => at > windowEnd).length;
  const pacedPerSecond = (paced * 1000) / (last - windowEnd);
  const limitedLater = own.limitedAtMs.filter((at) => at > windowEnd).length;
  const requestsLater = paced + limitedLater;
  const laterShare = (100 * limitedLater) / requestsLater;
  console.log(
    [
      `${model.name}: ${own.answered} answered in ${fixed((last - first) / 1000, 1)} s, ${own.limitedAtMs.length} answered 429; allowed ${fixed(allowedPerSecond, 2)}/s (${model.requests} per ${seconds(model.windowMs)}); longest reset stated: ${noHeaders ? 'none sent' : `${fixed(own.longestResetMs / 1000, 3)} s`}`,
      `  after the first window: ${fixed(pacedPerSecond, 2)} requests/s; ${check(`÷ allowed = ${fixed(pacedPerSecond / allowedPerSecond, 3)}`, pacedPerSecond / allowedPerSecond >= 0.95, '≥ 0.95')}`,
      `  429s after the first window: ${limitedLater} of ${requestsLater} = ${check(`${fixed(laterShare, 2)}%`, laterShare <= 1, '≤ 1%')}`,
    ].join('\n'),
  );
  if (model.windowMs === 5000) {
    // Read as a minute, the window's count would pace at a twelfth of the rate; read shorter than
    // it is, the pace would overshoot into 429s. Both figures above tell; this line says which.
    const perMinuteReading = model.requests / 60;
    console.log(
      `  5-s window: paced ${fixed(pacedPerSecond / perMinuteReading, 1)}× the rate of ${model.requests} per minute, ${check(`${fixed(pacedPerSecond / allowedPerSecond, 3)} of ${model.requests} per 5 s with ${fixed(laterShare, 2)}% 429s`, pacedPerSecond / allowedPerSecond >= 0.95 && laterShare <= 1, '≥ 0.95 and ≤ 1%')}`,
    );
  }
}
const misses = verdicts.filter((pass) => !pass).length;
console.log(misses === 0 ? 'all targets met' : `${misses} of ${verdicts.length} targets missed`);
if (misses > 0) process.exitCode = 1;
