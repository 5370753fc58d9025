import { z } from 'zod';
import type { CatalogueName } from './catalogue-names.ts';
import { catalogueSchemas } from './catalogue-schema.ts';

/** A catalogue file's JSON Schema, for editors; committed as schema/catalogues/<name>.schema.json. */
export function catalogueJsonSchema(name: CatalogueName): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(catalogueSchemas().files[name], { io: 'input' }) as Record<
    string,
    unknown
  >;
  return { $schema, $id: `https://verdict.dev/schema/catalogues/${name}.schema.json`, ...rest };
}
