// The CLI's bundle (scripts/build-cli.ts) built from a small package: a module reading a file beside
// itself reads the one beside its tsc output in dist/, and a dynamic import() stays a file of its own.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bundleCli } from '../scripts/build-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

test('a bundled module finds a file beside it as in dist/, and a dynamic import loads apart', async () => {
  const root = tempDir();
  write(root, 'package.json', JSON.stringify({ name: 'fixture', type: 'module', dependencies: {} }));
  write(
    root,
    'src/cli/main.ts',
    `import { readBeside } from '../store/reader.ts';
export const text = readBeside();
export const later = () => import('../report/late.ts');
`,
  );
  write(
    root,
    'src/store/reader.ts',
    `import { readFileSync } from 'node:fs';
export const readBeside = () => readFileSync(new URL('./beside.txt', import.meta.url), 'utf8');
`,
  );
  write(root, 'src/report/late.ts', "export const late = 'loaded later';\n");
  write(root, 'dist/store/beside.txt', 'beside reader.js in dist/');

  await bundleCli(root);
  const bundle = path.join(root, 'dist', 'bundle');
  const main = await import(pathToFileURL(path.join(bundle, 'main.js')).href);
  assert.equal(main.text, 'beside reader.js in dist/');
  assert.equal((await main.later()).late, 'loaded later');

  const sourcesOf = (file: string): string[] =>
    JSON.parse(readFileSync(path.join(bundle, `${file}.map`), 'utf8')).sources;
  assert.ok(!sourcesOf('main.js').some((source) => source.includes('report/late.ts')));
  const chunks = readdirSync(bundle).filter((file) => file.endsWith('.js') && file !== 'main.js');
  assert.deepEqual(
    chunks.flatMap(sourcesOf).filter((source) => source.includes('report/')),
    ['../../src/report/late.ts'],
  );
});
