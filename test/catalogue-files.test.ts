// Catalogues are dated data files (issue 17): one loader checks every row against the catalogue's
// schema and refuses a broken one naming its file and line; the committed JSON Schemas are the ones
// the code generates; a folder of the team's own files (JSON or YAML) replaces the bundled ones it
// holds, and the exported lookups follow the active catalogue.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { activeCatalogue, useCatalogue } from '../src/cost/catalogue/active-catalogue.ts';
import { BUNDLED_CATALOGUE_DIR, readCatalogueDir } from '../src/cost/catalogue/catalogue-files.ts';
import { catalogueJsonSchema } from '../src/cost/catalogue/catalogue-json-schema.ts';
import { CATALOGUE_NAMES } from '../src/cost/catalogue/catalogue-names.ts';
import { findCompliance } from '../src/cost/catalogue/compliance.ts';
import { ENGINEER_HOURLY_USD } from '../src/cost/catalogue/defaults.ts';
import { gpuOffer } from '../src/cost/catalogue/gpu-prices.ts';
import { parseCatalogueFile } from '../src/cost/catalogue/parse-catalogue.ts';
import { catalogueSources } from '../src/decide/catalogue-sources.ts';
import { tempDir } from './helpers/temp-dir.ts';

const bundled = (name: string) => readFileSync(path.join(BUNDLED_CATALOGUE_DIR, `${name}.json`), 'utf8');

/** The 1-based line of the n-th (0-based) occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in the text`);
  return text.slice(0, at).split('\n').length;
}

/** A folder with one bundled file changed by `edit`; the loader's error message, or '' when it loads. */
function refusal(
  name: string,
  edit: (text: string) => string,
  ext = '.json',
): { message: string; file: string; text: string } {
  const dir = tempDir();
  const file = path.join(dir, `${name}${ext}`);
  const text = edit(bundled(name));
  writeFileSync(file, text);
  try {
    readCatalogueDir(dir);
    return { message: '', file, text };
  } catch (error) {
    return { message: (error as Error).message, file, text };
  }
}

test("the committed JSON Schemas are the ones the code generates, and every bundled file validates against its own and the loader's schema", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  for (const name of CATALOGUE_NAMES) {
    const committed = JSON.parse(
      readFileSync(new URL(`../schema/catalogues/${name}.schema.json`, import.meta.url), 'utf8'),
    );
    assert.deepEqual(
      committed,
      catalogueJsonSchema(name),
      `stale: run node scripts/write-catalogue-schemas.ts`,
    );
    const validate = ajv.compile(committed);
    assert.ok(validate(JSON.parse(bundled(name))), `${name}: ${JSON.stringify(validate.errors)}`);
    // The loader reads the bundled files unchecked (start-up): this is their check.
    const checked = parseCatalogueFile(name, bundled(name), `${name}.json`);
    assert.deepEqual(checked.data, JSON.parse(bundled(name)), `${name}: the schema changes nothing`);
  }
});

test('every bundled catalogue file has a version no row is dated after, and is read from the bundle', () => {
  const catalogue = readCatalogueDir();
  assert.deepEqual(
    catalogue.files.map((f) => f.name),
    CATALOGUE_NAMES,
  );
  for (const file of catalogue.files) {
    assert.match(file.version, /^\d{4}-\d{2}-\d{2}$/, file.name);
    assert.equal(file.location, 'bundled');
    assert.ok(file.rows > 0, file.name);
  }
});

test('a row without its source is refused with the file, line and field', () => {
  const { message, file, text } = refusal('gpu-offers', (t) =>
    t.replace('"source": "https://lambda.ai/pricing",\n', ''),
  );
  // The first Lambda row is the 15th offer; its position is the row's opening brace.
  const line = lineOf(text, '"cloud": "lambda"') - 2;
  assert.match(
    message,
    new RegExp(`${literal(file)}:${line}:5 rows\\[14\\]\\.source: missing: every row needs a source`),
  );
});

test('a row without its date is refused with the file, line and field', () => {
  const { message, file, text } = refusal('compliance', (t) =>
    t.replace(/("host": "groq",[\s\S]*?)"date": "2025-06",\n\s*/, '$1'),
  );
  const line = lineOf(text, '"host": "groq"') - 1;
  assert.match(
    message,
    new RegExp(`${literal(file)}:${line}:5 rows\\[11\\]\\.date: missing: every row needs a date`),
  );
});

test('a price of the wrong type is refused at its own line', () => {
  const { message, file, text } = refusal('gpu-offers', (t) =>
    t.replace('"on_demand_per_gpu_hour": 2.99,', '"on_demand_per_gpu_hour": "2.99",'),
  );
  const line = lineOf(text, '"on_demand_per_gpu_hour": "2.99"');
  assert.match(
    message,
    new RegExp(
      `${literal(file)}:${line}:33 rows\\[14\\]\\.on_demand_per_gpu_hour: expected a number, got a string \\("2\\.99"\\)`,
    ),
  );
});

test('a YAML file in a team folder is refused at its line too: a wrong type, an unknown field, a row dated after the version', () => {
  const yaml = [
    'catalogue: token-price-overrides',
    'version: 2026-12-01',
    'rows:',
    '  - provider: deepinfra',
    '    model: some/model',
    '    input_per_mtok: cheap',
    '    output_per_mtok: 0.1',
    '    source: https://deepinfra.com/pricing',
    '    date: 2026-11',
    '  - provider: deepinfra',
    '    model: other/model',
    '    input_per_mtok: 0.1',
    '    output_per_mtok: 0.1',
    '    output_per_mtk: 0.1',
    '    source: https://deepinfra.com/pricing',
    '    date: 2026-11',
    '',
  ].join('\n');
  const { message, file } = refusal('token-price-overrides', () => yaml, '.yaml');
  assert.match(
    message,
    new RegExp(
      `${literal(file)}:6:21 rows\\[0\\]\\.input_per_mtok: expected a number, got a string \\("cheap"\\)`,
    ),
  );
  assert.match(message, new RegExp(`${literal(file)}:14:5 rows\\[1\\]\\.output_per_mtk: unknown field`));
  const late = refusal(
    'token-price-overrides',
    () =>
      yaml
        .replace('cheap', '0.1')
        .replace('    output_per_mtk: 0.1\n', '')
        .replace('date: 2026-11\n', 'date: 2026-12-24\n'),
    '.yaml',
  );
  assert.match(
    late.message,
    new RegExp(
      `${literal(late.file)}:9:11 rows\\[0\\]\\.date: 2026-12-24 is after the file's version 2026-12-01`,
    ),
  );
});

test('a model naming a licence the licence catalogue lacks is refused at its line', () => {
  const { message, file, text } = refusal('open-weight-models', (t) =>
    t.replace('"licence": "gemma"', '"licence": "gemma-2"'),
  );
  const line = lineOf(text, '"licence": "gemma-2"');
  assert.match(
    message,
    new RegExp(
      `${literal(file)}:${line}:\\d+ rows\\[\\d+\\]\\.licence: "gemma-2" is not in catalogues/licences\\.json`,
    ),
  );
});

test("a team folder's file replaces the bundled one; the lookups and catalogue sources follow the active catalogue", () => {
  const dir = tempDir();
  copyFileSync(path.join(BUNDLED_CATALOGUE_DIR, 'compliance.json'), path.join(dir, 'compliance.json'));
  const offers = JSON.parse(bundled('gpu-offers'));
  offers.version = '2026-12-05';
  const lambda = offers.rows.find((r: { cloud: string; instance: string }) => r.instance === '8x H100 SXM');
  lambda.on_demand_per_gpu_hour = 2.49;
  lambda.date = '2026-12-05';
  writeFileSync(path.join(dir, 'gpu-offers.json'), JSON.stringify(offers, null, 2));
  const before = activeCatalogue();
  assert.equal(gpuOffer('h100-sxm', 'lambda')?.onDemandPerGpuHour, 2.99);
  try {
    useCatalogue(readCatalogueDir(dir));
    assert.equal(gpuOffer('h100-sxm', 'lambda')?.onDemandPerGpuHour, 2.49);
    assert.equal(findCompliance('vertex')?.baa, true);
    assert.equal(ENGINEER_HOURLY_USD.value, 90);
    const rental = catalogueSources().find((c) => c.name === 'GPU rental prices')!;
    assert.equal(rental.version, '2026-12-05');
    assert.equal(rental.location, path.join(dir, 'gpu-offers.json'));
    assert.equal(rental.to, '2026-12-05');
    assert.equal(catalogueSources().find((c) => c.name === 'GPU datasheets')?.location, 'bundled');
  } finally {
    useCatalogue(before);
  }
  assert.equal(gpuOffer('h100-sxm', 'lambda')?.onDemandPerGpuHour, 2.99);
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
