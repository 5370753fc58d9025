// Maps a field path of a parsed YAML document back to `line:column`, so an error names where to look:
// in a workload (workload/) and in a catalogue file (cost/), so it sits below both.
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';

export interface Position {
  line: number;
  column: number;
}

// Each map's pairs indexed by key once: a file with 40,000 unknown keys asks for 40,000 positions,
// and a search of the map per key took 38 s (issue 20).
const pairIndexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();

/** The pair of `map` whose scalar key is `key` (the first, as YAML readers keep it). */
function pairOf(map: YAMLMap, key: unknown): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !index.has(item.key.value)) index.set(item.key.value, item);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/** Finds the deepest node along `path` and returns its position (the key's, for a map entry). */
export function positionOf(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): Position {
  let node: unknown = document.contents;
  let offset = (document.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = pairOf(node, segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      if (pair.value && !isMap(pair.value) && !isSeq(pair.value))
        offset = (pair.value as Node).range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      offset = (item as Node).range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The node at `path`, following map keys and list indexes (undefined when the path leaves the document). */
function nodeAt(document: Document, path: readonly PropertyKey[]): unknown {
  let node: unknown = document.contents;
  for (const segment of path) {
    if (isMap(node)) node = pairOf(node, segment)?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node;
}

/** The position of a key inside the map at `path` (for "unknown key" errors). */
export function positionOfKey(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  key: string,
): Position {
  const map = nodeAt(document, path);
  if (isMap(map)) {
    const offset = (pairOf(map, key)?.key as Node | undefined)?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return positionOf(document, lineCounter, path);
}

/**
 * The second occurrence of a key in each map, with its position. The YAML parser's own check
 * (`uniqueKeys`) compares every key with every earlier one: 10,000 keys took 1.3 s, 40,000 over 20 s.
 */
export function duplicateKeys(
  document: Document,
  lineCounter: LineCounter,
): Array<Position & { key: string }> {
  const found: Array<Position & { key: string }> = [];
  const seen = new Set<unknown>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      seen.clear();
      for (const item of node.items) {
        if (isScalar(item.key)) {
          if (seen.has(item.key.value)) {
            const { line, col } = lineCounter.linePos(item.key.range?.[0] ?? 0);
            found.push({ line, column: col, key: String(item.key.value) });
          }
          seen.add(item.key.value);
        } else if (item.key) stack.push(item.key);
        stack.push(item.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

export { LineCounter };
