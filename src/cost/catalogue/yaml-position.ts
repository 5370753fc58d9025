import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

// Where a field path of a parsed catalogue file sits (line and column), so a refused row names its
// line. The same walk as src/workload/source-positions.ts; cost sits below workload, so it keeps its own.

/** The line and column of the deepest node along `path` (a scalar's value, or with `atKey` its key). */
export function linePosition(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): { line: number; column: number } {
  let node: unknown = document.contents;
  let offset = (document.contents as Node | null)?.range?.[0] ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      if (atKey && index === path.length - 1) break;
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
