// Writes schema/catalogues/<name>.schema.json from the zod schemas (test/catalogue-files.test.ts
// checks the committed files are current): node scripts/write-catalogue-schemas.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { catalogueJsonSchema } from '../src/cost/catalogue/catalogue-json-schema.ts';
import { CATALOGUE_NAMES } from '../src/cost/catalogue/catalogue-names.ts';

const dir = new URL('../schema/catalogues/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const name of CATALOGUE_NAMES)
  writeFileSync(
    new URL(`${name}.schema.json`, dir),
    `${JSON.stringify(catalogueJsonSchema(name), null, 2)}\n`,
  );
