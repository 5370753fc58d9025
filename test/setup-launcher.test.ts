// Set-up as a new user meets it: `verdict` on the PATH from any folder, the shell's options left
// alone, and a clear refusal (exit 2) from a Node older than 22 instead of a silent segfault.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.join(import.meta.dirname, '..');
const nodeDir = path.dirname(process.execPath);

function bash(script: string, env: Record<string, string>, cwd = root) {
  const result = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the launcher lands in ~/.local/bin when it is on PATH and runs verdict from another folder', () => {
  const home = tempDir();
  const bin = path.join(home, '.local', 'bin');
  const env = { HOME: home, PATH: `${bin}:/usr/bin:/bin` };
  const installed = bash(`bash scripts/install-launcher.sh ${JSON.stringify(process.execPath)}`, env);
  assert.equal(installed.code, 0, installed.stderr);
  assert.equal(installed.stdout.trim(), path.join(bin, 'verdict'));
  assert.match(installed.stderr, /`verdict` is on your PATH/);
  const elsewhere = tempDir();
  const ran = bash('verdict --version', env, elsewhere);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /^\d+\.\d+\.\d+/);
});

test('off the PATH, set-up prints the line that adds the launcher, and never overwrites a foreign verdict', () => {
  const home = tempDir();
  const env = { HOME: home, PATH: '/usr/bin:/bin' };
  const installed = bash(`bash scripts/install-launcher.sh ${JSON.stringify(process.execPath)}`, env);
  assert.equal(installed.code, 0, installed.stderr);
  const bin = path.join(home, '.local', 'bin');
  assert.match(installed.stderr, new RegExp(`export PATH="${bin}:\\$PATH"`));
  // Someone else's `verdict` in the chosen folder stays as it was.
  const other = path.join(home, 'other-bin');
  mkdirSync(other);
  writeFileSync(path.join(other, 'verdict'), '#!/bin/sh\necho theirs\n');
  const refused = bash(`bash scripts/install-launcher.sh ${JSON.stringify(process.execPath)}`, {
    ...env,
    VERDICT_BIN_DIR: other,
  });
  assert.equal(refused.code, 0);
  assert.match(refused.stderr, /cannot write a launcher/);
  assert.equal(readFileSync(path.join(other, 'verdict'), 'utf8'), '#!/bin/sh\necho theirs\n');
});

test('sourcing setup.sh by mistake leaves the shell options as they were', () => {
  const home = tempDir();
  const env = { HOME: home, PATH: `${nodeDir}:/usr/bin:/bin` };
  const sourced = bash(
    '. scripts/setup.sh --no-build >/dev/null 2>&1; echo "status=$?"; false; echo "after false"; set -o | grep -E "^(errexit|nounset|pipefail)"',
    env,
  );
  assert.match(sourced.stdout, /status=0/);
  assert.match(sourced.stdout, /after false/);
  assert.match(sourced.stdout, /errexit\s+off/);
  assert.match(sourced.stdout, /nounset\s+off/);
  assert.match(sourced.stdout, /pipefail\s+off/);
});

const systemNode = '/usr/bin/node';
const systemMajor = Number(
  spawnSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout ?? 0,
);
test('bin/verdict.js on a Node older than 22 says so and exits 2 before loading anything native', {
  skip: systemMajor > 0 && systemMajor < 22 ? false : `no Node older than 22 at ${systemNode}`,
}, () => {
  const result = spawnSync(systemNode, [path.join(root, 'bin', 'verdict.js'), 'run', 'x.yaml'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /verdict needs Node >= 22; this is Node v\d+/);
  assert.match(result.stderr, /bash scripts\/setup\.sh/);
});
