// Untrusted text on a terminal: an escape sequence in a workload name, a model id or a reason could
// clear the screen, rewrite the title or hide text, and bidirectional overrides can reorder what
// the reader sees (Trojan Source). Before rendering, every string of the report shows such
// characters as visible escapes; line breaks become spaces.
import type { Report } from '../spec/decision.ts';

const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One string made safe to print on a terminal. */
export function terminalText(text: string): string {
  return text.replace(unsafe, (char) =>
    char === '\n' || char === '\r' || char === '\t'
      ? ' '
      : `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

function deepSafe(value: unknown): unknown {
  if (typeof value === 'string') return terminalText(value);
  if (Array.isArray(value)) return value.map(deepSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deepSafe(inner)]));
  }
  return value;
}

/** The report with every string safe for a terminal (keys kept: they are ours). */
export function terminalSafeReport(report: Report): Report {
  return deepSafe(report) as Report;
}
