// What the CLI loads before it works (bench/startup.ts times it): a dependency only some workloads
// need loads when one needs it. Each check runs the real CLI with a module hook that lists every
// module it loaded, and also checks the other side, so a list the hook failed to write cannot pass.
//
// The CLI runs as a bundle (dist/bundle/, scripts/build-cli.ts): a file it loads is a chunk of many
// modules, named by a hash. So each loaded file with a source map beside it stands for the modules
// its map lists (src/report/…, node_modules/zod/…): a report module pulled by a static import into
// a chunk a run loads early shows up as itself, whatever the chunk is called.
//
// What a loaded module runs matters too: building zod schemas a command never uses costs start-up.
// V8's coverage of the CLI (NODE_V8_COVERAGE) counts the calls of each function of the bundle, which
// the same source maps place in a src/ file.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot, verdictChild } from './helpers/cli-child.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const hook = path.join(dir, 'list-modules.mjs');
writeFileSync(
  hook,
  `import module from 'node:module';
import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
const loaded = [];
let beforeFirstCall = -1;
module.registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
diagnostics.subscribe('undici:request:create', () => { if (beforeFirstCall < 0) beforeFirstCall = loaded.length; });
process.on('exit', () => {
  writeFileSync(process.env.MODULES_OUT, loaded.join('\\n'));
  writeFileSync(process.env.MODULES_OUT + '.before-call', loaded.slice(0, beforeFirstCall).join('\\n'));
});
`,
);

let server: WireServer;
before(async () => {
  server = await startWireServer({ answer: (request) => `ok ${request.prompt}` });
});
after(async () => {
  await server.close();
});

/** Runs `verdict ARGS` and returns the URLs of the modules it loaded (`beforeCall`: before its first model call). */
async function modulesOf(
  name: string,
  args: string[],
  when: 'all' | 'beforeCall' = 'all',
): Promise<string[]> {
  const out = path.join(dir, `${name}.txt`);
  const { code, stderr } = await verdictChild(args, {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`, MODULES_OUT: out },
  });
  assert.equal(code, 0, stderr);
  return readFileSync(when === 'all' ? out : `${out}.before-call`, 'utf8')
    .split('\n')
    .flatMap(sourcesOf);
}

/** The modules a loaded file holds: for a file of the bundle, the sources its map lists; else the file. */
function sourcesOf(url: string): string[] {
  if (!url.startsWith('file:') || !url.includes('/dist/bundle/')) return [url];
  const map = `${fileURLToPath(url)}.map`;
  assert.ok(existsSync(map), `${url} has its source map`);
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return sources.map((source) => pathToFileURL(path.resolve(path.dirname(map), source)).href);
}

interface FunctionCalls {
  /** The src/ file (or node_modules file) the function is written in. */
  source: string;
  /** Its line there. */
  line: number;
  name: string;
  count: number;
}

/** Runs `verdict ARGS` under V8's coverage: how often it called each function of the bundle it loaded. */
async function functionCalls(name: string, args: string[], env: Record<string, string> = {}) {
  const coverage = mkdtempSync(path.join(dir, `${name}-coverage-`));
  const { code, stderr } = await verdictChild(args, { env: { ...env, NODE_V8_COVERAGE: coverage } });
  assert.equal(code, 0, stderr);
  const calls: FunctionCalls[] = [];
  for (const report of readdirSync(coverage)) {
    const { result } = JSON.parse(readFileSync(path.join(coverage, report), 'utf8')) as {
      result: Array<{ url: string; functions: Array<{ functionName: string; ranges: V8Range[] }> }>;
    };
    for (const script of result.filter(({ url }) => url.includes('/dist/bundle/'))) {
      const file = fileURLToPath(script.url);
      const map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      const position = positionsIn(readFileSync(file, 'utf8'));
      for (const { functionName, ranges } of script.functions) {
        const [line, column] = position(ranges[0]!.startOffset);
        const entry = map.findEntry(line, column);
        if (!('originalSource' in entry)) continue;
        const source = path.resolve(path.dirname(file), entry.originalSource);
        calls.push({ source, line: entry.originalLine + 1, name: functionName, count: ranges[0]!.count });
      }
    }
  }
  return calls;
}

interface V8Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

/** Line and column (from 0) of a character offset in `text`. */
function positionsIn(text: string): (offset: number) => [number, number] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return [low, offset - starts[low]!];
  };
}

const called = (calls: FunctionCalls[], source: string) =>
  calls
    .filter((call) => call.source.endsWith(source) && call.count > 0)
    .map((call) => `${call.name || '(anonymous)'} at line ${call.line}, ${call.count}×`);

const loads = (modules: string[], pattern: RegExp) => modules.some((url) => pattern.test(url));
const AJV = /\/node_modules\/ajv\//;
const CSV = /\/node_modules\/csv-parse\//;
const UNDICI_INDEX = /\/node_modules\/undici\/index\.js$/;
const UNDICI_AGENT = /\/node_modules\/undici\/lib\/dispatcher\/agent\.js$/;
const PG = /\/node_modules\/(pg|pg-boss)\//;
const REPORT = /\/src\/report\//;
const GENAI_PRICES = /\/node_modules\/@pydantic\/genai-prices\//;

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

test('validate loads neither ajv, csv-parse, undici nor pg for a JSONL workload graded by equals', async () => {
  const modules = await modulesOf('validate', [
    'validate',
    path.join(repoRoot, 'examples/demo/workload.yaml'),
  ]);
  assert.ok(loads(modules, /\/node_modules\/zod\//), 'the hook lists what loads');
  assert.ok(!loads(modules, AJV), 'ajv');
  assert.ok(!loads(modules, CSV), 'csv-parse');
  assert.ok(!loads(modules, /\/node_modules\/undici\//), 'undici');
  assert.ok(!loads(modules, PG), 'pg');
  assert.ok(!loads(modules, GENAI_PRICES), 'genai-prices, for a self-hosted candidate');
});

test("a run loads undici's Agent, not its index, and no ajv, csv-parse or pg when nothing needs them", async () => {
  writeFileSync(path.join(dir, 'cases.jsonl'), '{"q":"a","expected":"ok a"}\n{"q":"b","expected":"ok b"}\n');
  const file = workload('jsonl', '{ file: cases.jsonl, vars: { q: q }, expected: expected }', '[equals]');
  const modules = await modulesOf('run', ['run', file, '--store', path.join(dir, 'run.db'), '--json']);
  assert.ok(loads(modules, UNDICI_AGENT), "undici's Agent");
  assert.ok(!loads(modules, UNDICI_INDEX), "undici's index");
  assert.ok(!loads(modules, AJV), 'ajv');
  assert.ok(!loads(modules, CSV), 'csv-parse');
  assert.ok(!loads(modules, PG), 'pg, for a SQLite store');
  assert.ok(!loads(modules, /\/node_modules\/cli-progress\//), 'cli-progress, with no terminal to draw on');
  assert.ok(loads(modules, REPORT), 'the report');
});

test('a run loads the report only after its first call', async () => {
  const file = workload('report', '{ file: cases.jsonl, vars: { q: q }, expected: expected }', '[equals]');
  const args = ['run', file, '--store', path.join(dir, 'report.db'), '--json', '--no-cache'];
  const modules = await modulesOf('report', args, 'beforeCall');
  assert.ok(loads(modules, /\/src\/run\//), 'the hook lists what loads before the first call');
  assert.ok(!loads(modules, REPORT), 'the report');
  assert.ok(!loads(modules, GENAI_PRICES), 'genai-prices, for a self-hosted candidate');
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

test("a run on the bundled catalogue builds none of the catalogue's schemas; one on a folder of its own checks it", async () => {
  writeFileSync(path.join(dir, 'cases.jsonl'), '{"q":"a","expected":"ok a"}\n{"q":"b","expected":"ok b"}\n');
  const file = workload('schemas', '{ file: cases.jsonl, vars: { q: q }, expected: expected }', '[equals]');
  const args = ['run', file, '--store', path.join(dir, 'schemas.db'), '--json'];
  // No dated catalogue from `verdict prices update` in the data directory: the bundled one is used.
  const env = { XDG_DATA_HOME: path.join(dir, 'data'), VERDICT_CATALOGUE: '' };
  const bundled = await functionCalls('bundled', args, env);
  assert.notDeepEqual(called(bundled, 'src/cost/catalogue/catalogue-files.ts'), [], 'the catalogue is read');
  assert.deepEqual(called(bundled, 'src/cost/catalogue/catalogue-schema.ts'), []);

  const own = path.join(dir, 'own-catalogue');
  cpSync(path.join(repoRoot, 'catalogues'), own, { recursive: true });
  const checked = await functionCalls('own', [...args, '--catalogue', own], env);
  assert.notDeepEqual(called(checked, 'src/cost/catalogue/catalogue-schema.ts'), [], 'the schemas check it');
});
