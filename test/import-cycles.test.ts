import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { describeCycle, folderCycles, folderImports, importSpecifiers } from './helpers/import-graph.ts';
import { tempDir } from './helpers/temp-dir.ts';

const src = path.join(import.meta.dirname, '..', 'src');

// CONVENTIONS: no import cycles between src/ folders; a helper two folders share goes below both.
test('no folder of src/ imports, through any chain, a folder that imports it', () => {
  const imports = folderImports(src);
  const cycles = folderCycles(imports);
  assert.deepEqual(
    cycles.map((group) => describeCycle(group, imports)),
    [],
    'move the shared helper below both folders, or the caller above',
  );
});

test('spec/ imports nothing from the rest of src/', () => {
  const outward = folderImports(src).filter(({ from }) => from === 'spec');
  assert.deepEqual(
    outward.map(({ where }) => where),
    [],
  );
});

test('every import form is read: static, type-only, multi-line, re-export, bare and dynamic', () => {
  const source = [
    "import { a } from './a.ts';",
    "import type { B } from '../b/b.ts';",
    'import {',
    '  c,',
    '  d,',
    "} from './c.ts';",
    "export { e } from './e.ts';",
    "export * from './f.ts';",
    "import './g.ts';",
    "const h = await import('./h.ts');",
    "import { z } from 'zod';",
    "// a comment mentioning from './not-an-import.ts' is not read as an import",
  ].join('\n');
  assert.deepEqual(importSpecifiers(source), [
    './a.ts',
    '../b/b.ts',
    './c.ts',
    './e.ts',
    './f.ts',
    './g.ts',
    './h.ts',
  ]);
});

test('a cycle planted across three folders is found and named by its imports', () => {
  const root = path.join(tempDir(), 'src');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('spec/types.ts', 'export type A = 1;\n');
  write(
    'run/lane.ts',
    "import { grade } from '../grade/grade.ts';\nimport type { A } from '../spec/types.ts';\n",
  );
  write('grade/grade.ts', "import { template } from '../workload/template.ts';\n");
  write('workload/template.ts', "export { lane } from '../run/lane.ts';\n");
  write('cli/main.ts', "const run = await import('../run/lane.ts');\n");
  const imports = folderImports(root);
  assert.deepEqual(folderCycles(imports), [['grade', 'run', 'workload']]);
  assert.match(
    describeCycle(['grade', 'run', 'workload'], imports),
    /src\/workload\/template\.ts imports \.\.\/run\/lane\.ts/,
  );
});
