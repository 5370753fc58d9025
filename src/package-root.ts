// Where verdict's own files are: the folder of its package.json, found once by walking up from this
// module. The files shipped beside the code (catalogues/, prompts/, examples/, the version in
// package.json) are read from there, not from a fixed number of `../` above the reading module: that
// depth is one thing in src/ (the tests run the sources), another in dist/ (tsc's output, a file per
// module) and another in the CLI's bundle (dist/bundle/, where a module's import.meta.url is its chunk's).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface VerdictPackage {
  root: string;
  version: string;
}

let found: VerdictPackage | undefined;

function verdictPackage(): VerdictPackage {
  if (found) return found;
  const start = path.dirname(fileURLToPath(import.meta.url));
  // By name, not the first package.json up: a build folder may hold its own (`{"type": "module"}`).
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === 'verdict') {
      found = { root: dir, version: String(manifest.version) };
      return found;
    }
    if (path.dirname(dir) === dir) throw new Error(`verdict's package.json is in no folder above ${start}`);
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The folder of verdict's package.json: its checkout, or where npm installed it. */
export const packageRoot = (): string => verdictPackage().root;

/** verdict's version, from its package.json. */
export const packageVersion = (): string => verdictPackage().version;

/** A file or folder shipped in the package (package.json "files"): `packageFile('prompts', 'x.md')`. */
export const packageFile = (...parts: string[]): string => path.join(packageRoot(), ...parts);
