// The imports between src/ folders, read from the source text: a line-anchored regex over static
// import/export-from statements and dynamic import() calls. TypeScript 7 ships no JS compiler API,
// and the project's import style (one statement per import, relative `.ts` specifiers) is regular
// enough that a regex misses nothing a test would care about.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One import of a file in one folder from a file in another. */
export interface FolderImport {
  from: string;
  to: string;
  /** `src/grade/judge-pass.ts imports ../run/build-messages.ts` */
  where: string;
}

const STATIC = /^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative specifiers a TypeScript file imports or re-exports. */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const pattern of [STATIC, BARE, DYNAMIC])
    for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found.filter((specifier) => specifier.startsWith('.'));
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The folder a file belongs to: its first path segment under `root` (`index.ts` for top-level files). */
function folderOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep)[0]!;
}

/** Every import that crosses from one top-level folder of `root` to another. */
export function folderImports(root: string): FolderImport[] {
  const imports: FolderImport[] = [];
  for (const file of typeScriptFiles(root)) {
    const from = folderOf(root, file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), specifier);
      if (path.relative(root, target).startsWith('..')) continue;
      const to = folderOf(root, target);
      if (to !== from)
        imports.push({ from, to, where: `${path.relative(path.dirname(root), file)} imports ${specifier}` });
    }
  }
  return imports;
}

/** Strongly connected groups of two or more folders (Tarjan), each a cycle of imports. */
export function folderCycles(imports: readonly FolderImport[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from)!.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node)!) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** The imports that hold a cycle together: those between two folders of the same group. */
export function describeCycle(group: readonly string[], imports: readonly FolderImport[]): string {
  const members = new Set(group);
  const inside = imports.filter(({ from, to }) => members.has(from) && members.has(to));
  return `${group.join(' ↔ ')}:\n${inside.map(({ where }) => `  ${where}`).join('\n')}`;
}
