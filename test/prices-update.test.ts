// `verdict prices update` and `prices diff` (issue 17) against a stand-in npm registry on 127.0.0.1
// serving a newer @pydantic/genai-prices whose gpt-4o-mini costs four times as much: the update
// checks the tarball's hash, reads its prices, writes a dated catalogue into the data directory and
// prints what moved; from then on verdict prices from it, and `verdict recheck` reports the stored
// decision the new price flips, naming the catalogue version that moved.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { waitForUpdate } from '@pydantic/genai-prices';
import { main } from '../src/cli/main.ts';
import { startDriftServer } from './helpers/drift-server.ts';
import { npmTarball, type StandInRegistry, startStandInRegistry } from './helpers/npm-registry.ts';
import { tempDir } from './helpers/temp-dir.ts';
import type { WireServer } from './servers/wire-server.ts';

const dir = tempDir();
const dataHome = path.join(dir, 'data');
const db = path.join(dir, 'prices.db');
const today = new Date().toISOString().slice(0, 10);
const dated = path.join(dataHome, 'verdict', 'catalogues', today);
let registry: StandInRegistry;
let server: WireServer;

async function verdict(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), columns: 100 },
    stderr: { write: (text: string) => (stderr += text) },
    env: { NO_COLOR: '1', XDG_DATA_HOME: dataHome },
    cwd: dir,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The installed package's data with gpt-4o-mini at $0.60 in, $2.40 out (was $0.15, $0.60). */
async function newerData() {
  const data = structuredClone(await waitForUpdate()) as Array<{
    id: string;
    models: Array<{ id: string; prices: Record<string, number> }>;
  }>;
  const mini = data.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o-mini')!;
  mini.prices = { ...mini.prices, input_mtok: 0.6, output_mtok: 2.4 };
  return data;
}

const packageFiles = async () => ({
  'package.json': JSON.stringify({ name: '@pydantic/genai-prices', version: '0.1.9', type: 'module' }),
  'dist/index.js': `const E = ${JSON.stringify(await newerData())};\nexport function waitForUpdate() { return Promise.resolve(E); }\n`,
});

function writeWorkload(): string {
  const file = path.join(dir, 'mini.yaml');
  const candidate = (id: string) => ({
    id,
    model: `openai-compatible:${id}`,
    base_url: server.urls.openai,
    serving: 'api',
    route: 'openai',
    temperature: 0,
  });
  const workload = {
    version: 1,
    name: 'mini-watch',
    prompt: 'Case {{n}}: reply with the answer for the case',
    cases: Array.from({ length: 40 }, (_, n) => ({
      id: `c${n}`,
      vars: { n: String(n) },
      expected: `{"answer": "${n}"}`,
    })),
    graders: ['equals'],
    candidates: [candidate('gpt-4o-mini'), candidate('gpt-4.1-mini')],
    traffic: { requests_per_month: 1000000 },
    quality: { floor: 0.8, non_inferiority_margin: 0.1 },
  };
  writeFileSync(file, `${JSON.stringify(workload, null, 1)}\n`);
  return file;
}

before(async () => {
  server = await startDriftServer({ worse: false, slower: false });
  registry = await startStandInRegistry({
    name: '@pydantic/genai-prices',
    version: '0.1.9',
    publishedAt: '2026-12-01T10:00:00.000Z',
    tarball: npmTarball(await packageFiles()),
  });
});
after(async () => {
  await registry.close();
  await server.close();
});

test('a tarball whose hash does not match the registry is refused and nothing is written', async () => {
  const bad = await startStandInRegistry({
    name: '@pydantic/genai-prices',
    version: '0.1.9',
    publishedAt: '2026-12-01T10:00:00.000Z',
    tarball: npmTarball(await packageFiles()),
    integrity: 'sha512-AAAA',
  });
  try {
    const { code, stderr } = await verdict(['prices', 'update', '--registry', bad.url]);
    assert.equal(code, 3, stderr);
    assert.match(stderr, /does not match the registry's integrity hash/);
    assert.equal(existsSync(dated), false);
  } finally {
    await bad.close();
  }
});

test('prices update writes a dated catalogue, prints the moves, and recheck reports the decision the new price flips', async () => {
  const file = writeWorkload();
  const run = await verdict(['run', file, '--store', db, '--json', '--no-cache', '--concurrency', '4']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await verdict(['recheck', '--store', db])).code, 0, 'nothing moved yet');

  const { code, stdout, stderr } = await verdict(['prices', 'update', '--registry', registry.url]);
  assert.equal(code, 0, stderr);
  assert.match(
    stdout,
    /^verdict prices update: @pydantic\/genai-prices 0\.1\.8 \(2026-09-23\) → 0\.1\.9 \(published 2026-12-01\)\n/,
  );
  assert.match(
    stdout,
    new RegExp(`Wrote ${dated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: every row checked`),
  );
  assert.match(
    stdout,
    /Token prices \(@pydantic\/genai-prices 0\.1\.8 → 0\.1\.9\): 1 model moved, 0 added, 0 removed/,
  );
  assert.match(
    stdout,
    /\n {2}openai gpt-4o-mini: input \$0\.15 → \$0\.6, output \$0\.6 → \$2\.4 per million tokens\n/,
  );
  assert.deepEqual(readdirSync(dated).sort(), [
    'batch-discounts.json',
    'compliance.json',
    'defaults.json',
    'genai-prices.json',
    'gpu-offers.json',
    'gpus.json',
    'licences.json',
    'open-weight-models.json',
    'token-price-overrides.json',
  ]);
  const snapshot = JSON.parse(readFileSync(path.join(dated, 'genai-prices.json'), 'utf8'));
  assert.equal(snapshot.version, '0.1.9');
  assert.equal(snapshot.date, '2026-12-01');
  assert.ok(snapshot.source.startsWith(registry.url));

  const shown = await verdict(['prices', 'show']);
  assert.match(
    shown.stdout,
    new RegExp(
      `genai-prices\\s+version 0\\.1\\.9\\s+\\d+ rows\\s+${path.join(dated, 'genai-prices.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    ),
  );
  const again = await verdict(['prices', 'update', '--registry', registry.url]);
  assert.match(again.stdout, /already current — @pydantic\/genai-prices 0\.1\.9 \(published 2026-12-01\)/);

  const recheck = await verdict(['recheck', '--store', db]);
  assert.equal(recheck.code, 6, recheck.stdout + recheck.stderr);
  assert.match(recheck.stdout, /Pick changed: gpt-4o-mini → gpt-4\.1-mini/);
  assert.match(
    recheck.stdout,
    /The price of gpt-4o-mini moved: \$0\.0000069 → \$0\.000028 a request \(\+300%\)/,
  );
  assert.match(
    recheck.stdout,
    /Catalogue token prices: @pydantic\/genai-prices changed: .*version 0\.1\.8 of\s+2026-09-23 → .*version 0\.1\.9 of\s+2026-12-01\./s,
  );
  // Pinned to the shipped catalogue, nothing moved.
  assert.equal((await verdict(['recheck', '--store', db, '--catalogue', 'bundled'])).code, 0);
});

test('prices diff between the shipped catalogue and the dated one lists the same move; a changed GPU offer shows by row', async () => {
  const { code, stdout } = await verdict(['prices', 'diff', 'bundled', today]);
  assert.equal(code, 0);
  assert.match(stdout, /^verdict prices diff: bundled → \d{4}-\d{2}-\d{2}\n/);
  assert.match(
    stdout,
    /openai gpt-4o-mini: input \$0\.15 → \$0\.6, output \$0\.6 → \$2\.4 per million tokens/,
  );
  const json = JSON.parse((await verdict(['prices', 'diff', 'bundled', '--json'])).stdout);
  assert.equal(json.tokenPrices.moved.length, 1);
  assert.deepEqual(json.files, []);

  const team = path.join(dir, 'team');
  mkdirSync(team);
  const offers = JSON.parse(readFileSync(path.join(dated, 'gpu-offers.json'), 'utf8'));
  offers.version = '2026-12-05';
  const lambda = offers.rows.find((r: { instance: string }) => r.instance === '8x H100 SXM');
  lambda.on_demand_per_gpu_hour = 2.49;
  lambda.date = '2026-12-05';
  writeFileSync(path.join(team, 'gpu-offers.json'), JSON.stringify(offers));
  const rows = await verdict(['prices', 'diff', today, team]);
  assert.match(rows.stdout, /Token prices \(@pydantic\/genai-prices 0\.1\.9 → 0\.1\.8\): 1 model moved/);
  assert.match(
    rows.stdout,
    /\ngpu-offers \(version 2026-12-06 → 2026-12-05\): 1 row changed\n {2}h100-sxm on lambda 8x H100 SXM: on_demand_per_gpu_hour 2\.99 → 2\.49, date 2025-06 → 2026-12-05\n/,
  );
  assert.equal((await verdict(['prices', 'diff', path.join(dir, 'nowhere')])).code, 2);
});

test('--catalogue pins a folder for any command; a broken file in it stops the command with its file and line (exit 2)', async () => {
  const broken = path.join(dir, 'broken');
  mkdirSync(broken);
  writeFileSync(
    path.join(broken, 'batch-discounts.yaml'),
    'catalogue: batch-discounts\nversion: 2026-12-01\nrows:\n  - provider: openai\n    fraction: 0.5\n    date: 2026-11\n',
  );
  const { code, stderr } = await verdict(['cost', path.join(dir, 'mini.yaml'), '--catalogue', broken]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    new RegExp(
      `${path.join(broken, 'batch-discounts.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5 rows\\[0\\]\\.source: missing: every row needs a source`,
    ),
  );
  assert.match(stderr, /chosen by --catalogue; pin another with --catalogue DIR or --catalogue bundled/);
});
