// verdict as npm installs it: the files package.json "files" ships (no src/, no test/), the CLI's
// bundle in dist/bundle/, its dependencies in a node_modules above it. The CLI finds its version,
// the demo workload, the catalogues and the judge prompts there (src/package-root.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { repoRoot, verdictChild } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dir = tempDir();
const installed = path.join(dir, 'node_modules', 'verdict');
const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

before(() => {
  // --ignore-scripts: pretest has built dist/; `prepare` would build it again.
  const npm = path.join(path.dirname(process.execPath), 'npm');
  const packed = spawnSync(
    existsSync(npm) ? npm : 'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  assert.equal(packed.status, 0, packed.stderr);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', path.join(dir, filename), '-C', installed, '--strip-components=1']);
  assert.equal(untar.status, 0, String(untar.stderr));
  // Its dependencies, where npm would have put them: in a node_modules above the package.
  for (const name of readdirSync(path.join(repoRoot, 'node_modules')))
    symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(dir, 'node_modules', name));
});

/** `verdict ARGS` run from the installed package, in an unrelated folder. */
function verdict(args: string[], env: Record<string, string> = {}) {
  return verdictChild(args, {
    bin: path.join(installed, 'bin', 'verdict.js'),
    cwd: dir,
    env: { XDG_CACHE_HOME: dir, ...env },
  });
}

test('the package ships the bundle and no sources', () => {
  assert.ok(existsSync(path.join(installed, 'dist', 'bundle', 'main.js')));
  assert.ok(existsSync(path.join(installed, 'dist', 'index.d.ts')), "the library's types");
  assert.ok(!existsSync(path.join(installed, 'src')));
});

test('verdict --version is the installed package.json’s', async () => {
  const { code, stdout, stderr } = await verdict(['--version']);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, `${version}\n`);
});

test('verdict demo finds its workload and the catalogues in the installed package', async () => {
  const { code, stdout, stderr } = await verdict([
    'demo',
    '--json',
    '--threads',
    '1',
    '--store',
    path.join(dir, 'demo.db'),
  ]);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.workload, 'support-ticket-triage');
  assert.equal(report.cases, 30);
  assert.ok(report.cost.options.length > 0, 'priced from the shipped catalogues');
});

let candidate: Awaited<ReturnType<typeof startStandInServer>>;
let judge: Awaited<ReturnType<typeof startStandInServer>>;
before(async () => {
  candidate = await startStandInServer({ answer: () => '4' });
  judge = await startStandInServer({ answer: () => '{"reason": "right", "score": 1}' });
});
after(() => Promise.all([candidate.close(), judge.close()]));

test('a judged run reads its prompt from the installed prompts/', async () => {
  const file = path.join(dir, 'judged.yaml');
  writeFileSync(
    file,
    `version: 1
name: judged
prompt: "What is {{q}}?"
cases: [{ vars: { q: "2+2" } }]
graders:
  - rubric: The arithmetic is right.
judge: { model: "openai-compatible:judge", base_url: "${judge.url}" }
candidates: [{ id: calc, model: "openai-compatible:calc", base_url: "${candidate.url}" }]
`,
  );
  const { code, stdout, stderr } = await verdict(['run', file, '--store', path.join(dir, 'judged.db')]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /prompt rubric v1 \(prompts\/rubric\.v1\.md, sha256 [0-9a-f]{16}\)/);
});
