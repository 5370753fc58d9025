// One grader entry of a workload (`- equals: {...}`, `- contains: text`, `- is-json`, with an
// optional `weight:`), parsed into a GraderSpec by the family's own options schema.
import { z } from 'zod';
import { closestKey } from '../spec/closest-key.ts';
import type { GraderSpec } from '../spec/workload.ts';
import { graderFamilies } from './registry.ts';

const ENTRY_KEYS = new Set(['weight']);

/** Parses a grader entry, reporting problems on `context` with paths under the entry. */
export function parseGraderEntry(entry: unknown, context: z.RefinementCtx): GraderSpec | typeof z.NEVER {
  const known = [...graderFamilies.keys()];
  if (typeof entry !== 'string' && (entry === null || typeof entry !== 'object' || Array.isArray(entry))) {
    context.addIssue({ code: 'custom', message: `a grader is a family name or one key naming its family` });
    return z.NEVER;
  }
  const pairs = typeof entry === 'string' ? [[entry, null] as const] : Object.entries(entry);
  const familyKeys = pairs.filter(([key]) => !ENTRY_KEYS.has(key));
  if (familyKeys.length !== 1) {
    context.addIssue({
      code: 'custom',
      message: `a grader is one key naming its family (${known.join(', ')}), plus an optional weight`,
    });
    return z.NEVER;
  }
  const [type, raw] = familyKeys[0]!;
  const family = graderFamilies.get(type);
  if (!family) {
    const suggestion = closestKey(type, known);
    context.addIssue({
      code: 'custom',
      path: typeof entry === 'string' ? [] : [type],
      message: `unknown grader "${type}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; known: ${known.join(', ')}`,
    });
    return z.NEVER;
  }
  let weight: number | undefined;
  if (typeof entry === 'object' && 'weight' in entry) {
    const value = (entry as Record<string, unknown>).weight;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      context.addIssue({
        code: 'custom',
        path: ['weight'],
        message: 'weight is a number ≥ 0 (0 reports without counting)',
      });
      return z.NEVER;
    }
    weight = value;
  }
  const parsed = family.options.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      context.addIssue({ ...issue, path: [type, ...issue.path] } as z.core.$ZodRawIssue);
    }
    return z.NEVER;
  }
  return { type, options: parsed.data, ...(weight === undefined ? {} : { weight }) };
}

/** The zod schema of one grader entry. */
export const graderEntrySchema = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .transform((entry, context) => parseGraderEntry(entry, context));
