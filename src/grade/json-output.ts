// Reads JSON out of a model's answer. Models often wrap JSON in a Markdown fence; the fence is
// accepted (`strip_fences`) but nothing else is guessed, so a grader never passes prose as JSON.

/** The outcome of reading an output as JSON. */
export type JsonOutput = { ok: true; value: unknown } | { ok: false; reason: string };

const FENCE = /^```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** Parses the output as JSON, optionally from inside one Markdown code fence. Never throws. */
export function parseJsonOutput(output: string, stripFences = true): JsonOutput {
  let text = output.trim();
  if (stripFences) {
    const fenced = FENCE.exec(text);
    if (fenced) text = fenced[1]!.trim();
  }
  if (text === '') return { ok: false, reason: 'not JSON: the output is empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not JSON: ${String((error as Error)?.message ?? error).slice(0, 120)}` };
  }
}

/** Depth of nested arrays and objects, counted without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Reads `a.b[0].c` (or `$.a.b[0].c`, `["odd key"]`) from a parsed value.
 * Returns `{ found: false }` when a step is missing.
 */
export function valueAtPath(
  value: unknown,
  path: readonly (string | number)[],
): { found: boolean; value?: unknown } {
  let node = value;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return { found: false };
    if (!Object.hasOwn(node, step)) return { found: false };
    node = (node as Record<string | number, unknown>)[step];
  }
  return { found: true, value: node };
}

/** Splits a field path into steps; returns an error message for a malformed one. */
export function parseFieldPath(text: string): (string | number)[] | string {
  const steps: (string | number)[] = [];
  let rest = text.startsWith('$') ? text.slice(1) : text;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  const step = /^(?:\.([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;
  while (rest.length > 0) {
    const match = step.exec(rest);
    if (!match) return `cannot read the path "${text}" at "${rest}"; write it like a.b[0].c`;
    steps.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : JSON.parse(`"${match[3]}"`)));
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Structural equality of JSON values, iterative so deep inputs cannot overflow the stack. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keysX = Object.keys(x);
    const keysY = Object.keys(y);
    if (keysX.length !== keysY.length) return false;
    for (const key of keysX) {
      if (!Object.hasOwn(y, key)) return false;
      stack.push([(x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]]);
    }
  }
  return true;
}
