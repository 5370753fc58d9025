// YAML text to data for workload and YAML cases files, with every failure a located input error:
// syntax, duplicate keys (checked here in one pass), aliases to no anchor, alias bombs past the
// limit, and nesting deep enough to overflow the stack.
import { type Document, isAlias, isNode, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { duplicateKeys } from '../yaml/source-positions.ts';
import { type InputLimits, limitFlags } from './input-limits.ts';

export interface ParsedYaml {
  document: Document;
  lineCounter: LineCounter;
  data: unknown;
}

/** Parses `text`; `problems` gets one `file:line:col message` line per problem and ends the parse. */
export function parseYamlText(
  text: string,
  shown: string,
  limits: InputLimits,
  fail: (problems: string[]) => Error,
): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `${shown}:${line}:${col}`;
  };
  const tooDeep = () => fail([`${at(0)} YAML nested too deeply to read`]);
  let document: Document;
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep();
    throw error;
  }
  // The parser reports a stack overflow as a syntax error at every level it unwinds.
  const overflow = document.errors.find((error) => /call stack/i.test(error.message));
  if (overflow) throw fail([`${at(overflow.pos[0])} YAML nested too deeply to read`]);
  if (document.errors.length > 0) {
    throw fail(
      document.errors.map((error) => `${at(error.pos[0])} YAML syntax: ${error.message.split('\n')[0]}`),
    );
  }
  const duplicates = duplicateKeys(document, lineCounter);
  if (duplicates.length > 0) {
    throw fail(
      duplicates.map(
        (d) =>
          `${shown}:${d.line}:${d.column} YAML syntax: Map keys must be unique ("${d.key}" appears twice)`,
      ),
    );
  }
  // Aliases in one pass over the document: the yaml library resolves each alias by walking the
  // whole document again.
  const anchors = new Set<string>();
  let aliases = 0;
  let firstAlias: Node | undefined;
  let unresolved: string | undefined;
  try {
    visit(document, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          aliases++;
          firstAlias ??= node;
          if (!anchors.has(node.source)) {
            unresolved = `${at(node.range?.[0])} YAML alias *${node.source} refers to no anchor &${node.source} defined before it`;
            return visit.BREAK;
          }
        } else if (isNode(node) && node.anchor) anchors.add(node.anchor);
        return undefined;
      },
    });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep();
    throw error;
  }
  if (unresolved) throw fail([unresolved]);
  const aliasLimit = () =>
    fail([
      `${at(firstAlias?.range?.[0])} YAML aliases expand past the limit of ${limits.maxAliases} (an alias repeating a large anchor counts its size); ${limitFlags.maxAliases} raises it`,
    ]);
  if (aliases > limits.maxAliases) throw aliasLimit();
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep();
    if (error instanceof ReferenceError) throw aliasLimit();
    throw error;
  }
  return { document, lineCounter, data };
}
