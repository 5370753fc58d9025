// Maps a field path of a parsed YAML document back to `line:column`, so an error names where to look.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
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
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
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

/** The position of a key inside the map at `path` (for "unknown key" errors). */
export function positionOfKey(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  key: string,
): Position {
  const map = path.length === 0 ? document.contents : document.getIn(path as unknown[], true);
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
    const offset = (pair?.key as Node | undefined)?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return positionOf(document, lineCounter, path);
}

export { LineCounter };
