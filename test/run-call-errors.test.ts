// Failures in sight (issue 16): the terminal report of a run names each candidate's distinct call
// errors with counts and an example, a run where no candidate answered exits 3 with them, and no
// message blames undeclared tokens that are declared. Real servers: one answering 404 for a wrong
// model id, and an address where nothing listens.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function workloadFile(dir: string, candidates: string): string {
  const cases = Array.from(
    { length: 4 },
    (_, i) => `  - { id: c${i}, vars: { q: "case ${i}" }, expected: "ok case ${i}" }`,
  );
  const file = path.join(dir, 'workload.yaml');
  writeFileSync(
    file,
    `version: 1
name: call-errors
prompt: "{{q}}"
cases:
${cases.join('\n')}
graders: [equals]
candidates:
${candidates}
traffic: { requests_per_month: 100000, input_tokens_per_request: 200, output_tokens_per_request: 20 }
`,
  );
  return file;
}

async function verdict(dir: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { NO_COLOR: '1' },
    cwd: dir,
  };
  const code = await main([...args, '--store', path.join(dir, 'v.db')], io);
  return { code, stdout, stderr, runId: /stored as run (\S+)/.exec(stderr)?.[1] };
}

const verdictRun = (dir: string, file: string) => verdict(dir, ['run', file, '--max-retries', '0']);

test('a wrong model id: the terminal names the 404 with its count and an example case', async () => {
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    fault: (request) => (request.model === 'open-8B' ? { kind: 'status', status: 404 } : undefined),
    errorMessage: (request) => `The model '${request.model}' does not exist`,
  });
  after(() => server.close());
  const dir = tempDir();
  const file = workloadFile(
    dir,
    `  - { id: good, model: "openai-compatible:open-70B", base_url: "${server.urls.openai}", max_tokens: 8 }
  - { id: open-8b, model: "openai-compatible:open-8B", base_url: "${server.urls.openai}", max_tokens: 8 }`,
  );
  const { code, stdout, stderr } = await verdictRun(dir, file);
  assert.equal(code, 3, stderr);
  assert.match(stdout, /Call errors/);
  assert.match(stdout, /open-8b: 4 of 4 calls failed/);
  assert.match(stdout, /4 × .*HTTP 404.*The model 'open-8B' does not exist.*\(e\.g\. case c0\)/);
  assert.doesNotMatch(stdout, /good: \d+ of/);
  assert.doesNotMatch(stdout + stderr, /are not declared/);
  // The memo of every other format names it too, escaped for its medium.
  const md = await verdict(dir, ['report', '--format', 'md']);
  assert.match(md.stdout, /\*\*Call errors\*\*\n\n- open-8b: 4 of 4 calls failed\n {2}- 4 × .*HTTP 404/);
  const html = await verdict(dir, ['report', '--format', 'html']);
  assert.match(
    html.stdout,
    /<h3>Call errors<\/h3><ul class="call-errors"><li>open-8b: 4 of 4 calls failed<ul><li>4 × <code>.*HTTP 404.*The model &#39;open-8B&#39; does not exist/,
  );
});

test('a server that is down: exit 3 and the terminal names ECONNREFUSED', async () => {
  const port = await closedPort();
  const dir = tempDir();
  const file = workloadFile(
    dir,
    `  - { id: down, model: "openai-compatible:open-8B", base_url: "http://127.0.0.1:${port}/v1", max_tokens: 8 }`,
  );
  const { code, stdout, stderr } = await verdictRun(dir, file);
  assert.equal(code, 3, stderr);
  assert.match(stdout, /down: 4 of 4 calls failed/);
  assert.match(stdout, new RegExp(`4 × .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  assert.doesNotMatch(stdout + stderr, /are not declared/);
});

test('report and decide default to the newest completed run in which some candidate answered', async () => {
  const server = await startWireServer({ answer: (request) => `ok ${request.prompt}` });
  after(() => server.close());
  const dir = tempDir();
  const answered = await verdictRun(
    dir,
    workloadFile(
      dir,
      `  - { id: good, model: "openai-compatible:m", base_url: "${server.urls.openai}", max_tokens: 8 }`,
    ),
  );
  assert.equal(answered.code, 0, answered.stderr);
  const port = await closedPort();
  const dead = await verdictRun(
    dir,
    workloadFile(
      dir,
      `  - { id: down, model: "openai-compatible:m", base_url: "http://127.0.0.1:${port}/v1", max_tokens: 8 }`,
    ),
  );
  assert.equal(dead.code, 3);
  for (const command of ['report', 'decide']) {
    const shown = await verdict(dir, [command]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout + shown.stderr, new RegExp(answered.runId!));
    assert.match(
      shown.stderr,
      new RegExp(
        `verdict ${command}: using run ${answered.runId}, the newest completed one; newer: ${dead.runId} \\(no candidate answered\\)`,
      ),
    );
  }
  // Named, the dead run is reported, with its errors.
  const named = await verdict(dir, ['report', dead.runId!]);
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /down: 4 of 4 calls failed\n {2}4 × cannot connect \(ECONNREFUSED/);
});
