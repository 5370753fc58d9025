// What the CLI loads before it works (bench/startup.ts times it): a dependency only some workloads
// need loads when one needs it. Each check runs the real CLI with a module hook that lists every
// module it loaded, and also checks the other side, so a list the hook failed to write cannot pass.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot, verdictChild } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const hook = path.join(dir, 'list-modules.mjs');
writeFileSync(
  hook,
  `import module from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = [];
module.registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
process.on('exit', () => writeFileSync(process.env.MODULES_OUT, loaded.join('\\n')));
`,
);

let server: WireServer;
before(async () => {
  server = await startWireServer({ answer: (request) => `ok ${request.prompt}` });
});
after(async () => {
  await server.close();
});

/** Runs `verdict ARGS` and returns the URLs of the modules it loaded. */
async function modulesOf(name: string, args: string[]): Promise<string[]> {
  const out = path.join(dir, `${name}.txt`);
  const { code, stderr } = await verdictChild(args, {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, MODULES_OUT: out },
  });
  assert.equal(code, 0, stderr);
  return readFileSync(out, 'utf8').split('\n');
}

const loads = (modules: string[], pattern: RegExp) => modules.some((url) => pattern.test(url));
const AJV = /\/node_modules\/ajv\//;
const CSV = /\/node_modules\/csv-parse\//;
const UNDICI_INDEX = /\/node_modules\/undici\/index\.js$/;
const UNDICI_AGENT = /\/node_modules\/undici\/lib\/dispatcher\/agent\.js$/;

function workload(name: string, cases: string, graders: string): string {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `version: 1
name: ${name}
prompt: "{{q}}"
cases: ${cases}
graders: ${graders}
candidates:
  - { id: local, model: "openai-compatible:m", base_url: "${server.urls.openai}" }
`,
  );
  return file;
}

test('validate loads neither ajv, csv-parse nor undici for a JSONL workload graded by equals', async () => {
  const modules = await modulesOf('validate', [
    'validate',
    path.join(repoRoot, 'examples/demo/workload.yaml'),
  ]);
  assert.ok(loads(modules, /\/node_modules\/zod\//), 'the hook lists what loads');
  assert.ok(!loads(modules, AJV), 'ajv');
  assert.ok(!loads(modules, CSV), 'csv-parse');
  assert.ok(!loads(modules, /\/node_modules\/undici\//), 'undici');
});

test("a run loads undici's Agent, not its index, and no ajv or csv-parse when nothing needs them", async () => {
  writeFileSync(path.join(dir, 'cases.jsonl'), '{"q":"a","expected":"ok a"}\n{"q":"b","expected":"ok b"}\n');
  const file = workload('jsonl', '{ file: cases.jsonl, vars: { q: q }, expected: expected }', '[equals]');
  const modules = await modulesOf('run', ['run', file, '--store', path.join(dir, 'run.db'), '--json']);
  assert.ok(loads(modules, UNDICI_AGENT), "undici's Agent");
  assert.ok(!loads(modules, UNDICI_INDEX), "undici's index");
  assert.ok(!loads(modules, AJV), 'ajv');
  assert.ok(!loads(modules, CSV), 'csv-parse');
});

test('a CSV case file loads csv-parse, and a JSON Schema grader loads ajv', async () => {
  writeFileSync(path.join(dir, 'cases.csv'), 'q,expected\na,ok a\n');
  const file = workload(
    'csv',
    '{ file: cases.csv, vars: { q: q }, expected: expected }',
    '[{ json-schema: { schema: { type: object } } }]',
  );
  const modules = await modulesOf('csv', ['validate', file]);
  assert.ok(loads(modules, CSV), 'csv-parse');
  assert.ok(loads(modules, AJV), 'ajv');
});
