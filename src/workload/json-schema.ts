import { z } from 'zod';
import { graderFamilies } from '../grade/registry.ts';
import { workloadFileSchema } from './schema.ts';

function optionsSchema(options: z.ZodType): Record<string, unknown> {
  try {
    const { $schema: _, ...schema } = z.toJSONSchema(options, { io: 'input', unrepresentable: 'any' });
    return schema;
  } catch {
    // Options built from another entry (`not`) are not representable; the shorthands describe them.
    return {};
  }
}

/** A grader entry is one key naming its family (plus an optional weight); zod's transform hides that. */
function graderEntrySchema(): Record<string, unknown> {
  const families = [...graderFamilies.values()];
  return {
    anyOf: [
      { type: 'string', enum: families.map((family) => family.name) },
      ...families.map((family) => {
        const options = optionsSchema(family.options);
        const shapes = [...(Object.keys(options).length > 0 ? [options] : []), ...(family.shorthands ?? [])];
        return {
          type: 'object',
          properties: {
            [family.name]: shapes.length > 0 ? { anyOf: shapes } : {},
            weight: {
              type: 'number',
              minimum: 0,
              description: 'weight in the case score (0: reported, not counted)',
            },
          },
          required: [family.name],
          additionalProperties: false,
        };
      }),
    ],
  };
}

/** The workload file's JSON Schema, for editors (`# yaml-language-server: $schema=...`). */
export function workloadJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workloadFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  const entry = graderEntrySchema();
  properties.graders = { ...properties.graders, items: entry };
  // Inline cases may add graders of their own.
  const cases = properties.cases as { anyOf?: Array<Record<string, unknown>> };
  for (const branch of cases.anyOf ?? []) {
    const items = branch.items as { properties?: Record<string, Record<string, unknown>> } | undefined;
    if (items?.properties?.graders) items.properties.graders = { ...items.properties.graders, items: entry };
  }
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: 'https://verdict.dev/schema/workload.schema.json',
    title: 'verdict workload (version 1)',
    ...rest,
  };
}
