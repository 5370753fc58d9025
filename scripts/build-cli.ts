// Bundles the CLI (src/cli/main.ts) into dist/bundle/, which bin/verdict.js runs; `npm run build` runs
// it after tsc, whose dist/ stays the library's entry (dist/index.js and its .d.ts).
//
// Why: Node loads ES modules one file at a time, and a 600-case run loaded 308 before its first call
// (zod 95, yaml 72, verdict's own 103, undici 22, better-sqlite3 15), `validate` 224. Bundled, they
// are 81 and 25 files, and both start ≈90 ms sooner (bench/startup.ts). What a command needs only
// sometimes still loads on demand: `splitting` keeps each dynamic import() (a command, the report
// after a run, the Postgres store, the frontier SDKs, run-on-workers) out of the chunks loaded
// before it. Only our code, zod and yaml are bundled; every other dependency loads from
// node_modules as before: native addons (better-sqlite3, node-llama-cpp), packages a command loads
// lazily (pg, pg-boss, the AI SDK, the dashboard's), and files required at run time through
// createRequire (undici's Agent, genai-prices, cli-progress, ajv). Measured and left out, as they
// changed nothing beyond the noise: minifying, and bundling undici's Agent as well.
//
//   node scripts/build-cli.ts
import { readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The packages inside the bundle: the ones every command loads, in many small modules. */
const BUNDLED = ['zod', 'yaml'];

/** Bundles `root`/src/cli/main.ts into `root`/dist/bundle/ (tsc's output already in `root`/dist/). */
export async function bundleCli(root: string): Promise<void> {
  const src = path.join(root, 'src');
  const outdir = path.join(root, 'dist', 'bundle');
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const external = Object.keys(manifest.dependencies ?? {})
    .filter((name) => !BUNDLED.includes(name))
    .flatMap((name) => [name, `${name}/*`]);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(src, 'cli', 'main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // One folder: main.js, and a chunk-HASH.js for each piece a dynamic import() or shared code needs.
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    external,
    // yaml is CommonJS for Node and requires `buffer` and `process`; esbuild's ESM output calls such
    // requires through a `require` in scope.
    banner: {
      js: "import { createRequire as __verdictCreateRequire } from 'node:module';\nconst require = __verdictCreateRequire(import.meta.url);",
    },
    // Stacks map back to src/ (bin/verdict.js turns source maps on with --debug); the sources are not
    // shipped in the package, so neither are they copied into the maps (tsc's maps do the same).
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [importMetaUrlAsInDist(src)],
    logLevel: 'warning',
  });
}

// A bundled module's import.meta.url would be its chunk's, so a file found relative to the module
// (`new URL('./writes-worker.js', import.meta.url)`, a worker thread's entry) would be looked for
// beside the chunk. Each module's import.meta.url is made that of its own file in tsc's dist/ (built
// before the bundle), as webpack and Parcel point it at the module's source: a relative look-up
// means what it means in dist/. Every file of the bundle sits in dist/bundle/, so `../` is dist/.
function importMetaUrlAsInDist(src: string): Plugin {
  return {
    name: 'import-meta-url-as-in-dist',
    setup(bundle) {
      bundle.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
        if (!file.startsWith(src + path.sep)) return undefined;
        const source = await readFile(file, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const inDist = path.relative(src, file).split(path.sep).join('/').replace(/\.ts$/, '.js');
        const url = `new URL(${JSON.stringify(`../${inDist}`)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleCli(path.join(import.meta.dirname, '..'));
