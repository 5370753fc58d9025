import { z } from 'zod';
import { graderFamilies } from '../grade/registry.ts';
import { workloadFileSchema } from './schema.ts';

function optionsSchema(options: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(options, { io: 'input', unrepresentable: 'any' });
  return schema;
}

/** A grader entry is one key naming its family; zod's transform hides that, so it is spelled out here. */
function graderEntrySchema(): Record<string, unknown> {
  const families = [...graderFamilies.values()];
  return {
    anyOf: [
      { type: 'string', enum: families.map((family) => family.name) },
      ...families.map((family) => ({
        type: 'object',
        properties: {
          [family.name]: { anyOf: [optionsSchema(family.options), ...(family.shorthands ?? [])] },
        },
        required: [family.name],
        additionalProperties: false,
      })),
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
  properties.graders = { ...properties.graders, items: graderEntrySchema() };
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: 'https://verdict.dev/schema/workload.schema.json',
    title: 'verdict workload (version 1)',
    ...rest,
  };
}
