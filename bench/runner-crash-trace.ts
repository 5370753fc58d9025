// Loaded into the verdict CLI (`node --import`) by `node bench/runner-crash.ts --trace`: stamps,
// for each answer, when the process read its last byte (undici's request:trailers channel) and when
// its result became durable — appended to the store's journal, or committed by a transaction, the
// earlier — and every transaction that stored results, and every GC pause; writes them to
// $VERDICT_CRASH_TRACE when the process exits. Stamps are epoch milliseconds (timeOrigin + now), so
// the bench can set them beside the moment its server finished sending each answer.
import { subscribe } from 'node:diagnostics_channel';
import fs, { writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';

const out = process.env.VERDICT_CRASH_TRACE;
const now = () => performance.timeOrigin + performance.now();
const prompts = new WeakMap<object, string>();
/** Prompt → when its answer's last byte was read. */
const readAt: Record<string, number> = {};
/** Case id → when its result became durable (journal append or commit, the earlier). */
const committedAt: Record<string, number> = {};
const commits: Array<{ at: number; ms: number; results: number }> = [];
const gc: Array<{ at: number; ms: number; kind: number }> = [];
/** The first answer's read and the last commit (epoch ms), to cut GC and a CPU profile to the run. */
const span = { first: Number.NaN, last: Number.NaN, hrtimeMinusEpochMs: 0 };

if (out) {
  subscribe('undici:request:create', (message) => {
    const { request } = message as { request: { body?: unknown } };
    const body = request.body;
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
    try {
      const messages = (JSON.parse(text) as { messages?: Array<{ role: string; content: string }> }).messages;
      const prompt = messages?.filter((m) => m.role === 'user').at(-1)?.content;
      if (prompt !== undefined) prompts.set(request, prompt);
    } catch {}
  });
  subscribe('undici:request:trailers', (message) => {
    const prompt = prompts.get((message as { request: object }).request);
    if (prompt === undefined) return;
    readAt[prompt] = now();
    if (Number.isNaN(span.first)) span.first = readAt[prompt];
  });
  // Every transaction function the store makes is wrapped; the one given results is the writer's.
  const Database = createRequire(import.meta.url)('better-sqlite3') as {
    prototype: { transaction: (fn: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown };
  };
  type Transaction = ((...args: unknown[]) => unknown) & Record<string, (...args: unknown[]) => unknown>;
  const transaction = Database.prototype.transaction as (fn: unknown) => Transaction;
  const stamped = (run: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      const value = run.apply(this, args);
      const results = args[0];
      if (Array.isArray(results) && results.length > 0 && 'caseId' in results[0]) {
        const at = now();
        for (const result of results as Array<{ caseId: string }>) committedAt[result.caseId] ??= at;
        commits.push({ at, ms: performance.now() - started, results: results.length });
        span.last = at;
      }
      return value;
    };
  Database.prototype.transaction = function (this: unknown, fn: unknown) {
    const made = transaction.call(this, fn);
    // The store also calls the .immediate (and .deferred, .exclusive) forms.
    return Object.assign(stamped(made), {
      deferred: stamped(made.deferred!),
      immediate: stamped(made.immediate!),
      exclusive: stamped(made.exclusive!),
    });
  } as typeof Database.prototype.transaction;
  // The store's journal appends: one write of JSON lines, each holding a result.
  const writeSync = fs.writeSync as (fd: number, buffer: Uint8Array, ...rest: unknown[]) => number;
  fs.writeSync = function (this: unknown, fd: number, buffer: Uint8Array, ...rest: unknown[]) {
    const written = writeSync.call(this, fd, buffer, ...rest);
    const text = Buffer.isBuffer(buffer) ? buffer.toString('utf8') : '';
    if (text.startsWith('{"result":')) {
      const at = now();
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          committedAt[(JSON.parse(line) as { result: { caseId: string } }).result.caseId] ??= at;
        } catch {}
      }
    }
    return written;
  } as typeof fs.writeSync;
  // Modules importing { writeSync } from 'node:fs' see the wrapper too.
  syncBuiltinESMExports();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gc.push({
        at: performance.timeOrigin + entry.startTime,
        ms: entry.duration,
        kind: (entry as { detail?: { kind?: number } }).detail?.kind ?? 0,
      });
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    // A CPU profile's timestamps are microseconds of the monotonic clock that hrtime reads.
    span.hrtimeMinusEpochMs = Number(process.hrtime.bigint()) / 1e6 - now();
    writeFileSync(out, JSON.stringify({ readAt, committedAt, commits, gc, span }));
  });
}
