// A fake API key in the environment, and a server that echoes it back in its error messages: the key
// must appear nowhere — not in the store file, the reports, the logs or any error message.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { verdictChild } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer } from './servers/wire-server.ts';

const KEY = 'sk-proj-FAKE-secret-key-for-redaction-0123456789abcdef';

async function verdict(args: string[], env: Record<string, string>) {
  const { code, stdout, stderr } = await verdictChild(args, { env });
  return { code, out: stdout + stderr };
}

test('an API key never reaches the store, the reports, the logs or error messages', async () => {
  const server = await startWireServer({
    answer: (request) => `ok ${request.prompt}`,
    // Half the cases fail with a message quoting the Authorization header, as some proxies do.
    fault: (request) => (request.prompt.endsWith('odd') ? { kind: 'status', status: 401 } : undefined),
    errorMessage: (request) => `invalid credentials: ${String(request.headers.authorization)}`,
    // And every response's request id quotes it too (issue 20: results.request_id kept it).
    requestId: (request, sequence) => `req-${sequence}-${String(request.headers.authorization)}`,
  });
  after(() => server.close());
  const dir = tempDir();
  const store = path.join(dir, 'verdict.db');
  const workload = path.join(dir, 'secret.yaml');
  writeFileSync(
    workload,
    `version: 1
name: secrets
prompt: "{{q}}"
cases:
  - { vars: { q: "one even" }, expected: "ok one even" }
  - { vars: { q: "two odd" }, expected: "ok two odd" }
  - { vars: { q: "three even" }, expected: "ok three even" }
  - { vars: { q: "four odd" }, expected: "ok four odd" }
graders: [equals]
candidates:
  - { id: frontier, model: "openai:gpt-4o-mini", base_url: "${server.urls.openai}" }
  - { id: own-key, model: "openai-compatible:m", base_url: "${server.urls.openai}", api_key_env: MY_GATEWAY_KEY }
`,
  );
  const env = { OPENAI_API_KEY: KEY, MY_GATEWAY_KEY: `${KEY}-gateway` };
  const json = await verdict(['run', workload, '--store', store, '--json', '--debug'], env);
  const text = await verdict(['run', workload, '--store', store, '--no-cache', '--debug'], env);
  const dry = await verdict(['run', workload, '--store', store, '--dry-run'], env);
  for (const run of [json, text, dry]) assert.equal(run.code, 0, run.out);
  // The server did receive the key, and echoed it: the test would catch a leak.
  assert.ok(server.calls.length >= 16);
  const db = new Database(store, { readonly: true });
  const messages = db
    .prepare('SELECT error_message FROM results WHERE error_message IS NOT NULL')
    .all() as Array<{
    error_message: string;
  }>;
  db.close();
  assert.ok(messages.length >= 4);
  for (const { error_message } of messages) assert.match(error_message, /invalid credentials: Bearer sk-…/);
  const ids = new Database(store, { readonly: true })
    .prepare('SELECT request_id FROM results WHERE request_id IS NOT NULL')
    .all() as Array<{ request_id: string }>;
  assert.ok(ids.length >= 8);
  for (const { request_id } of ids) assert.match(request_id, /^req-\d+-Bearer sk-…/);
  for (const [name, output] of [
    ['--json output', json.out],
    ['terminal output', text.out],
    ['dry run', dry.out],
  ] as const) {
    assert.ok(!output.includes(KEY), `${name} contains the key`);
    assert.ok(!output.includes(KEY.slice(8, 40)), `${name} contains part of the key`);
  }
  for (const file of readdirSync(dir).filter((name) => name.startsWith('verdict.db'))) {
    const bytes = readFileSync(path.join(dir, file));
    assert.ok(!bytes.includes(KEY.slice(8, 40)), `${file} contains the key`);
  }
});
