// The files gate, canary and import write (issue 20), checked before the work as `verdict report -o`
// is: a folder, a path under a file or a full device is exit 2 naming the flag and the reason, before
// the store is read or a model called — never an internal error. Missing folders are made, as gate's
// `--junit reports/verdict.xml` in a fresh CI checkout needs.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { refusedInProcess, verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { seedSyntheticRun } from './report-fixture-run.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

const dir = tempDir('verdict-outputs-');
const store = path.join(dir, 'v.db');
let server: WireServer;

before(async () => {
  server = await startWireServer({ answer: () => 'a' });
  const opened = openSqliteStore(store);
  await seedSyntheticRun(opened, { runId: 'r1', cases: 4, workloadName: 'outputs' });
  await opened.close();
  writeFileSync(path.join(dir, 'cases.jsonl'), '{"id":"c1","q":"a"}\n{"id":"c2","q":"b"}\n');
  writeFileSync(
    path.join(dir, 'w.yaml'),
    `version: 1\nname: outputs\nprompt: "{{q}}"\ncases: { file: cases.jsonl, id: id }\ngraders: [{ equals: a }]\ncandidates:\n  - { id: a, model: "openai-compatible:m", base_url: "${server.urls.openai}" }\n`,
  );
  mkdirSync(path.join(dir, 'a-folder'));
  writeFileSync(path.join(dir, 'a-file'), 'x');
});
after(() => server.close());

const verdict = (...argv: string[]) => verdictInProcess(argv, { cwd: dir });

const refused = (argv: string[], message: RegExp) => refusedInProcess(argv, message, { cwd: dir });

test('verdict gate: --junit and --write-baseline checked before the store is opened', async () => {
  // A store in a folder that does not exist cannot be opened: the output's error came first.
  const noStore = ['--store', path.join(dir, 'no-such-folder', 'v.db')];
  for (const flag of ['--junit', '--write-baseline']) {
    const gate = (output: string) => ['gate', 'r1', '--baseline', 'r1', flag, output, ...noStore];
    await refused(gate('a-folder'), new RegExp(`${flag} .*a-folder: is a folder; name a file in it`));
    await refused(gate('a-file/out.xml'), new RegExp(`${flag} .*a-file/out\\.xml: .*a-file is not a folder`));
  }
  // A full device takes the open and fails the write: said as such, exit 2.
  await refused(
    ['gate', 'r1', '--baseline', 'r1', '--store', store, '--junit', '/dev/full'],
    /--junit \/dev\/full: cannot write: no space left on the device \(ENOSPC\)/,
  );
  await refused(
    ['gate', 'r1', '--write-baseline', '/dev/full', '--store', store],
    /--write-baseline \/dev\/full: cannot write: no space left on the device \(ENOSPC\)/,
  );
  // Missing folders are made.
  const made = await verdict(
    'gate',
    'r1',
    '--baseline',
    'r1',
    '--store',
    store,
    '--junit',
    'reports/ci/gate.xml',
  );
  assert.equal(made.code, 0, made.stderr);
  assert.ok(existsSync(path.join(dir, 'reports', 'ci', 'gate.xml')));
});

test('verdict canary: the subset and the canary store checked before any call', async () => {
  const canary = ['canary', 'w.yaml', '--store', store];
  // Kept subsets that are not files are refused as inputs; with --reselect, as outputs.
  await refused([...canary, '--subset', 'a-folder'], /a-folder: is a folder, not a file/);
  await refused([...canary, '--subset', '/dev/full'], /\/dev\/full: is a device, not a regular file/);
  await refused(
    [...canary, '--subset', 'a-folder', '--reselect'],
    /--subset .*a-folder: is a folder; name a file in it/,
  );
  await refused(
    [...canary, '--subset', 'a-file/subset.json'],
    /--subset .*a-file\/subset\.json: .*a-file is not a folder/,
  );
  await refused(
    [...canary, '--subset', '/dev/full', '--reselect'],
    /--subset \/dev\/full: cannot write: no space left on the device \(ENOSPC\)/,
  );
  // The canary's own store goes in canaries/ beside the store: a file there is refused.
  const beside = path.join(dir, 'beside');
  mkdirSync(beside);
  writeFileSync(path.join(beside, 'canaries'), 'x');
  const besideStore = path.join(beside, 'v.db');
  const opened = openSqliteStore(besideStore);
  await seedSyntheticRun(opened, { runId: 'r2', cases: 4, workloadName: 'outputs' });
  await opened.close();
  await refused(
    ['canary', 'w.yaml', '--store', besideStore, '--subset', 'kept.json'],
    /--store .*beside\/canaries\/outputs\.db: .*beside\/canaries is not a folder/,
  );
  assert.equal(server.calls.length, 0, 'no model was called');
  // A good path runs: the subset is written, the cases called.
  const ran = await verdict(...canary, '--subset', 'new/kept.json');
  assert.ok(ran.code === 0 || ran.code === 6, ran.stderr);
  assert.ok(existsSync(path.join(dir, 'new', 'kept.json')));
  assert.equal(server.calls.length, 2);
});

test('verdict import: --out checked before anything is written', async () => {
  mkdirSync(path.join(dir, 'suite'), { recursive: true });
  writeFileSync(
    path.join(dir, 'suite', 'promptfooconfig.yaml'),
    'prompts: ["{{q}}"]\nproviders: [openai:gpt-4o-mini]\ntests: [{ vars: { q: a } }]\n',
  );
  const imported = (out: string) => ['import', 'promptfoo', 'suite/promptfooconfig.yaml', '--out', out];
  await refused(imported('a-file'), /--out .*a-file\/workload\.yaml: .*a-file is not a folder/);
  await refused(imported('/dev/full'), /--out \/dev\/full\/workload\.yaml: \/dev\/full is not a folder/);
  mkdirSync(path.join(dir, 'out', 'workload.yaml'), { recursive: true });
  await refused(
    [...imported('out'), '--force'],
    /--out .*out\/workload\.yaml: is a folder; name a file in it/,
  );
  assert.ok(!existsSync(path.join(dir, 'out', 'cases.jsonl')), 'nothing was written');
  const made = await verdict(...imported('fresh/suite'));
  assert.equal(made.code, 0, made.stderr);
  assert.ok(existsSync(path.join(dir, 'fresh', 'suite', 'workload.yaml')));
});
