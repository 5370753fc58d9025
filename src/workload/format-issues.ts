// Turns zod issues into messages a person can act on: file:line:column, the field path, what was
// expected, what was found, and the closest known key for a typo.
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { closestKey as closestKnownKey } from '../spec/closest-key.ts';
import { positionOf, positionOfKey } from '../yaml/source-positions.ts';

type Issue = z.core.$ZodIssue;

/** `cases[3].expected`, `candidates[0].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(top level)';
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

type SchemaDef = Record<string, unknown> & { type?: string };

function defOf(node: z.core.$ZodType | undefined): SchemaDef | undefined {
  return node?._zod.def as unknown as SchemaDef | undefined;
}

/** Sees through optional, default, preprocess and pipe wrappers to the schema that holds the shape. */
function unwrap(node: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let inner = node;
  for (let depth = 0; inner && depth < 10; depth++) {
    const def = defOf(inner)!;
    if (def.innerType) inner = def.innerType as z.core.$ZodType;
    else if (def.type === 'pipe') inner = def.in as z.core.$ZodType;
    else break;
  }
  return inner;
}

/** One step down a schema: a key of an object, an item of a list, or the matching branch of a union. */
function child(node: z.core.$ZodType | undefined, segment: PropertyKey): z.core.$ZodType | undefined {
  const def = defOf(unwrap(node));
  if (def?.type === 'object') return (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
  if (def?.type === 'array') return def.element as z.core.$ZodType;
  if (def?.type === 'union') {
    const wanted = typeof segment === 'number' ? 'array' : 'object';
    const branch = (def.options as z.core.$ZodType[]).find(
      (option) => defOf(unwrap(option))?.type === wanted,
    );
    return branch && child(branch, segment);
  }
  return undefined;
}

/** The keys a strict object schema allows at `path`, found by walking the schema. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of path) current = child(current, segment);
  const def = defOf(unwrap(current));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

/** Among a union's failed branches, the one that got furthest is the one the user meant. */
function flattenUnion(issue: Issue): Issue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const depth = (issues: Issue[]) => Math.max(...issues.map((inner) => inner.path.length));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
  if (depth(best) === 0 && best.every((inner) => inner.code === 'invalid_type')) return [issue];
  return best.flatMap((inner) => flattenUnion({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
}

const typeNames: Record<string, string> = {
  record: 'a mapping',
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

/** Keys that are refused with their own explanation rather than a spelling suggestion. */
const refusedKeys: Record<string, string> = {
  api_key:
    'API keys are never read from a workload file (it gets committed and shared); put the key in an environment variable and name it with api_key_env',
};

/** One line per problem: `file:line:col path: message`. */
export function formatIssues(
  error: z.ZodError,
  options: { file: string; document: Document; lineCounter: LineCounter; schema: z.ZodType; input: unknown },
): string[] {
  const lines: string[] = [];
  const issues = error.issues.flatMap(flattenUnion);
  const suggestions = new Map<string, string | undefined>();
  const closestKey = (key: string, allowed: string[]) => {
    const id = `${key}\u0000${allowed.join(',')}`;
    if (!suggestions.has(id)) suggestions.set(id, closestKnownKey(key, allowed));
    return suggestions.get(id);
  };
  // A typo'd key also makes the key it meant "missing"; one message about the typo says it all.
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const allowed = allowedKeysAt(options.schema, issue.path);
    for (const key of issue.keys) {
      const suggestion = closestKey(key, allowed);
      if (suggestion) meant.add(formatPath([...issue.path, suggestion]));
    }
  }
  for (const issue of issues) {
    if (
      issue.code === 'invalid_type' &&
      valueAt(options.input, issue.path) === undefined &&
      meant.has(formatPath(issue.path))
    ) {
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(options.schema, issue.path);
      for (const key of issue.keys) {
        const at = positionOfKey(options.document, options.lineCounter, issue.path, key);
        const suggestion = closestKey(key, allowed);
        const refused = Object.hasOwn(refusedKeys, key) ? refusedKeys[key] : undefined;
        const hint = refused
          ? `: ${refused}`
          : suggestion
            ? ` (did you mean "${suggestion}"?)`
            : allowed.length
              ? `; allowed: ${allowed.join(', ')}`
              : '';
        lines.push(
          `${options.file}:${at.line}:${at.column} ${formatPath([...issue.path, key])}: unknown key "${key}"${hint}`,
        );
      }
      continue;
    }
    const at = positionOf(options.document, options.lineCounter, issue.path);
    const found = valueAt(options.input, issue.path);
    let message: string;
    const expectedName =
      issue.code === 'invalid_type'
        ? ((Object.hasOwn(typeNames, issue.expected) ? typeNames[issue.expected] : undefined) ??
          issue.expected)
        : '';
    if (issue.code === 'invalid_type') message = `expected ${expectedName}, got ${describeValue(found)}`;
    else if (issue.code === 'invalid_value')
      message = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(found)}`;
    else if (issue.code === 'invalid_union')
      message = `got ${describeValue(found)}, which matches none of the allowed forms`;
    else
      message = `${issue.message}${found !== undefined && issue.code !== 'custom' ? `, got ${describeValue(found)}` : ''}`;
    if (found === undefined && issue.code === 'invalid_type')
      message = `required field is missing (expected ${expectedName})`;
    lines.push(`${options.file}:${at.line}:${at.column} ${formatPath(issue.path)}: ${message}`);
  }
  return lines;
}
