// The prompts of a promptfoo suite: inline text, chat message lists, and file:// references (text,
// JSON chats, YAML documents), each with where it came from; what cannot be used is listed.
import path from 'node:path';
import type { UnreadTests } from './promptfoo-tests.ts';
import { readDocument, readText, referencedFile, type SuiteFiles } from './read-promptfoo.ts';

export interface PromptChoice {
  prompt: string | Array<{ role: string; content: string }>;
  label: string;
  at: string;
}

function chatOf(value: unknown): Array<{ role: string; content: string }> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const ok = value.every(
    (m) =>
      m &&
      typeof m === 'object' &&
      ['system', 'user', 'assistant'].includes(m.role) &&
      typeof m.content === 'string',
  );
  return ok ? (value as Array<{ role: string; content: string }>) : undefined;
}

/** The prompts of the config, each text or chat, with where it came from. */
export function suitePrompts(
  prompts: unknown,
  at: (p: Array<string | number>) => string,
  suite: SuiteFiles,
  unconverted: UnreadTests[],
): PromptChoice[] {
  const list = prompts === undefined ? [] : Array.isArray(prompts) ? prompts : [prompts];
  return list.flatMap((item, index): PromptChoice[] => {
    const where = at(['prompts', index]);
    const spec =
      typeof item === 'string' ? { raw: item } : (item as { id?: unknown; raw?: unknown; label?: unknown });
    const label = typeof spec.label === 'string' ? spec.label : `prompts[${index}]`;
    const reference =
      typeof spec.id === 'string' ? spec.id : typeof spec.raw === 'string' ? spec.raw : undefined;
    if (reference === undefined) {
      unconverted.push({ at: where, what: label, reason: 'a prompt without raw text or a file:// id' });
      return [];
    }
    if (!reference.startsWith('file://')) {
      const chat = reference.trim().startsWith('[') ? safeJson(reference) : undefined;
      return [{ prompt: chatOf(chat) ?? reference, label, at: where }];
    }
    const [fileRef] = reference.split(':').length > 2 ? [reference.replace(/:(\w+)$/, '')] : [reference];
    if (/[*?[]/.test(fileRef!)) {
      unconverted.push({
        at: where,
        what: reference,
        reason: 'a glob of prompt files is not expanded: list the files',
      });
      return [];
    }
    const file = referencedFile(fileRef!, suite);
    const ext = path.extname(file).toLowerCase();
    if (['.js', '.mjs', '.cjs', '.ts', '.py'].includes(ext)) {
      unconverted.push({
        at: where,
        what: reference,
        reason: 'a prompt function is code, not a template: render its output into a template by hand',
      });
      return [];
    }
    const text = readText(file, where, suite);
    if (['.json', '.yaml', '.yml'].includes(ext)) {
      const doc = readDocument(file, suite, where);
      const chat = chatOf(doc.value);
      if (chat)
        return [
          { prompt: chat, label: typeof spec.label === 'string' ? label : suite.shown(file), at: where },
        ];
      if (typeof doc.value === 'string') return [{ prompt: doc.value, label, at: where }];
      unconverted.push({
        at: where,
        what: reference,
        reason: 'neither a chat (role, content) list nor a text',
      });
      return [];
    }
    // A text file may hold several prompts separated by a line of three dashes.
    return text
      .split(/^---$/m)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part, n, parts) => ({
        prompt: part,
        label:
          typeof spec.label === 'string'
            ? label
            : `${suite.shown(file)}${parts.length > 1 ? `#${n + 1}` : ''}`,
        at: where,
      }));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
