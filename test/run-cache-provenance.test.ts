// Cached answers are marked as such (issue 16): a re-run answered from the response cache says how
// many answers it replayed and which run measured their latency; after Ctrl-C, the printed resume
// command keeps the run's flags (--no-cache), and a resume without them still honours them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { buildReport } from '../src/report/build-report.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireServerOptions } from './servers/wire-server.ts';

async function setup(count: number, serverOptions: WireServerOptions = {}) {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}`, ...serverOptions });
  after(() => server.close());
  const dir = tempDir();
  const cases = Array.from(
    { length: count },
    (_, i) => `  - { id: c${i}, vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  const file = path.join(dir, 'workload.yaml');
  writeFileSync(
    file,
    `version: 1
name: replay
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
  - { id: self, model: "openai-compatible:m", base_url: "${server.urls.openai}", max_tokens: 8 }
`,
  );
  return { server, dir, file, db: path.join(dir, 'v.db') };
}

function captureIo(dir: string, signal?: AbortSignal) {
  const io = {
    out: '',
    err: '',
    stdout: { write: (text: string) => (io.out += text) },
    stderr: { write: (text: string) => (io.err += text) },
    env: { NO_COLOR: '1' },
    cwd: dir,
    ...(signal ? { signal } : {}),
  };
  return io;
}

test('a re-run from the cache names the replayed answers and the run that measured them', async () => {
  const { dir, file, db } = await setup(4);
  const store = openSqliteStore(db);
  after(() => store.close());
  const workload = await loadWorkload(file);
  const first = await runWorkload(workload, { store });
  const again = await runWorkload(workload, { store });
  assert.equal(again.cached, 4);
  for await (const result of store.results(again.runId)) assert.equal(result.cachedFromRun, first.runId);

  const replayed = await buildReport(store, again.runId, { redecide: true });
  assert.deepEqual(replayed.candidates[0]!.cachedAnswers, {
    replayed: 4,
    measuredIn: [first.runId],
    unknownOrigin: 0,
  });
  assert.ok(
    replayed.decision.caveats.includes(
      `Answers replayed from the response cache: self 4 of 4. Their latency (TTFT, end to end) and token counts were measured in run ${first.runId}, not in this run; \`verdict run --no-cache\` measures them again.`,
    ),
    replayed.decision.caveats.join('\n'),
  );
  const measured = await buildReport(store, first.runId, { redecide: true });
  assert.equal(measured.candidates[0]!.cachedAnswers, undefined);
  assert.ok(!measured.decision.caveats.some((caveat) => caveat.includes('response cache')));
  // The terminal report says it too.
  const io = captureIo(dir);
  assert.equal(await main(['report', again.runId, '--store', db], io), 0, io.err);
  assert.match(io.out.replace(/\s+/g, ' '), /Answers replayed from the response cache: self 4 of 4/);
});

test('Ctrl-C of a --no-cache run prints a resume command with --no-cache, and the resume honours it', async () => {
  const { server, dir, file, db } = await setup(8, { delayMs: 60 });
  // A first run fills the cache, so a resume that used it would call nothing.
  const warm = captureIo(dir);
  assert.equal(await main(['run', file, '--store', db], warm), 0, warm.err);
  const callsBefore = server.calls.length;

  const interrupt = new AbortController();
  const watch = setInterval(() => {
    if (server.calls.length >= callsBefore + 2) interrupt.abort();
  }, 5);
  const stopped = captureIo(dir, interrupt.signal);
  const code = await main(['run', file, '--store', db, '--no-cache', '--concurrency', '1'], stopped);
  clearInterval(watch);
  assert.equal(code, 130, stopped.err);
  const resume = /resume with: (.+)\n/.exec(stopped.err)?.[1];
  assert.ok(resume, stopped.err);
  const runId = resume.split(' ').at(-1)!;
  assert.equal(
    resume,
    `verdict run --store ${JSON.stringify(db)} --no-cache --concurrency 1 --resume ${runId}`,
  );

  // Resumed without the flags: the run's own settings apply, so every missing case is called.
  const resumed = captureIo(dir);
  assert.equal(await main(['run', '--resume', runId, '--store', db], resumed), 0, resumed.err);
  const stored = /stored as run \S+ in .* \((\d+) calls, (\d+) answered from the cache/.exec(resumed.err);
  assert.ok(stored, resumed.err);
  assert.ok(Number(stored[1]) > 0);
  assert.equal(Number(stored[2]), 0);
  assert.equal(server.calls.length, callsBefore + 8);
});
