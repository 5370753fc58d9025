// A judge's reply: the shapes it may take and how one is read from text. The calls themselves are
// made by run/judge-client.ts. A bad reply is a value, never a throw.
import { z } from 'zod';

export const scoreReply = z.object({ reason: z.string().max(4000), score: z.number().min(0).max(1) });
export const preferenceReply = z.object({
  reason: z.string().max(4000),
  winner: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
    z.enum(['A', 'B', 'TIE']),
  ),
});

export type ReplyShape = 'score' | 'preference';
export type JudgeVerdict = { reason: string; score: number } | { reason: string; winner: 'A' | 'B' | 'TIE' };

/** Every `{` that could start a JSON object, tried in order; the first that parses and fits wins. */
function* jsonObjectsIn(text: string): Generator<unknown> {
  // Bounded: a judge reply is short; a huge one is not worth scanning past its first 20,000 characters.
  const bounded = text.length > 20_000 ? text.slice(0, 20_000) : text;
  let start = bounded.indexOf('{');
  for (let tries = 0; start >= 0 && tries < 50; tries++) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < bounded.length; i++) {
      const char = bounded[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        try {
          yield JSON.parse(bounded.slice(start, i + 1));
        } catch {
          // not JSON: try the next opening brace
        }
        break;
      }
    }
    start = bounded.indexOf('{', start + 1);
  }
}

/** Reads a judge's verdict from its reply text; a string saying what is wrong when there is none. */
export function parseJudgeReply(text: string, reply: ReplyShape): JudgeVerdict | string {
  const schema = reply === 'score' ? scoreReply : preferenceReply;
  let firstProblem: string | undefined;
  for (const candidate of jsonObjectsIn(text)) {
    const parsed = schema.safeParse(candidate);
    if (parsed.success) return parsed.data as JudgeVerdict;
    firstProblem ??= parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'reply'}: ${issue.message}`)
      .join('; ');
  }
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  return firstProblem
    ? `the judge's JSON does not fit (${firstProblem})`
    : `the judge replied without a JSON object: ${shown}`;
}
