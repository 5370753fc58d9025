// verdict finds the files it ships (catalogues/, prompts/, examples/, its version) from its package
// root, wherever the module asking sits: src/, dist/ or the CLI's bundle.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageFile, packageRoot, packageVersion } from '../src/package-root.ts';
import { tempDir } from './helpers/temp-dir.ts';

const repo = path.join(import.meta.dirname, '..');

test('from src/, the package root is the checkout and the version is package.json’s', () => {
  assert.equal(packageRoot(), repo);
  assert.equal(packageVersion(), JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version);
  assert.equal(packageFile('prompts', 'rubric.v1.md'), path.join(repo, 'prompts', 'rubric.v1.md'));
});

test('deeper in a build, past a package.json of another name, it is still the folder named verdict', async () => {
  const root = tempDir();
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'verdict', version: '9.8.7' }));
  const deep = path.join(root, 'dist', 'bundle', 'x');
  mkdirSync(deep, { recursive: true });
  writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
  copyFileSync(path.join(repo, 'src', 'package-root.ts'), path.join(deep, 'package-root.ts'));
  const moved = (await import(
    pathToFileURL(path.join(deep, 'package-root.ts')).href
  )) as typeof import('../src/package-root.ts');
  assert.equal(moved.packageRoot(), root);
  assert.equal(moved.packageVersion(), '9.8.7');
});
