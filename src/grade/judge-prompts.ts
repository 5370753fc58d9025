// Judge prompts are versioned files under prompts/ (`rubric.v1.md`): a front matter naming the id,
// version and reply shape, then the text with {{placeholders}}. A changed prompt is a new file, so
// a report's prompt version and hash say exactly what the judge was asked.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../package-root.ts';
import type { JudgePromptRef } from '../spec/quality.ts';

/** The prompts/ directory of this package. */
export const promptsDir = packageFile('prompts');

export interface JudgePrompt extends JudgePromptRef {
  reply: 'score' | 'preference';
  /** The prompt text after the front matter. */
  template: string;
}

const loaded = new Map<string, JudgePrompt>();

/** Reads (once) a prompt file from prompts/. */
export function loadJudgePrompt(file: string): JudgePrompt {
  let prompt = loaded.get(file);
  if (prompt) return prompt;
  const text = readFileSync(path.join(promptsDir, file), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`prompts/${file} has no front matter`);
  const meta = Object.fromEntries(
    match[1]!.split('\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
  prompt = {
    file: `prompts/${file}`,
    id: meta.id ?? file,
    version: Number(meta.version ?? 0),
    reply: meta.reply === 'preference' ? 'preference' : 'score',
    sha256: createHash('sha256').update(text).digest('hex').slice(0, 16),
    template: match[2]!.trim(),
  };
  loaded.set(file, prompt);
  return prompt;
}

// Text from outputs and cases goes inside tags; a closing tag in it would end the data early, so
// every `</` in data is broken with a zero-width space the judge reads past.
function asData(text: string): string {
  return text.replace(/<\//g, '<\u200b/');
}

/** Fills a prompt's placeholders in one pass; values are never re-expanded. */
export function fillJudgePrompt(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? asData(values[name]!) : whole,
  );
}
