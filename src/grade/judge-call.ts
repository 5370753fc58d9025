// One call to a judge. API judges whose table entry says `judge: 'structured'` answer through the AI SDK's structured
// output, so the reply is a schema-checked object; self-hosted and embedded judges answer text, from
// which one JSON object is read defensively. Either way a bad reply is a value, never a throw.
import { generateText, type LanguageModel, Output } from 'ai';
import { z } from 'zod';
import { buildFor, createProvider } from '../providers/registry.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { Candidate, ChatMessage } from '../spec/workload.ts';

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

/** What a judge said: its raw text (cached as is), and the tokens it used. */
export interface JudgeAnswer {
  text: string;
  inputTokens: number | null;
  outputTokens: number | null;
}

/** A judge model ready to answer prompts. */
export interface JudgeClient {
  /** `provider:model`. */
  id: string;
  ask(messages: ChatMessage[], reply: ReplyShape, signal?: AbortSignal): Promise<JudgeAnswer>;
  close(): Promise<void>;
}

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

/** The AI SDK model of a judge whose provider answers with structured output; undefined for text judges. */
async function languageModelFor(
  judge: Candidate,
  context: { env: NodeJS.ProcessEnv; baseDir: string },
): Promise<LanguageModel | undefined> {
  const { entry, build } = buildFor(judge, context, `the judge ${judge.model}`);
  return entry.judge === 'structured' ? entry.languageModel?.(build) : undefined;
}

/**
 * Retries a judge call that failed for a reason that may pass (429, 5xx, a dropped stream): three
 * attempts with a doubling pause, honouring Retry-After up to 10 s. Providers leave retries to their
 * caller so the runner can count them; the judge pass is that caller here.
 */
export async function withRetries<T>(call: () => Promise<T>, signal?: AbortSignal, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable =
        VerdictError.isInstance(error) && error.isRetryable && error.code !== 'PROVIDER_TIMEOUT';
      if (!retryable || attempt >= attempts || signal?.aborted) throw error;
      const cause = (error as { cause?: { responseHeaders?: Record<string, string> } }).cause;
      const retryAfter = Number(cause?.responseHeaders?.['retry-after']);
      const pause =
        Number.isFinite(retryAfter) && retryAfter > 0
          ? Math.min(retryAfter * 1000, 10_000)
          : 250 * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Builds a judge client: structured output for the API judges, text for every other provider. */
export async function createJudgeClient(
  judge: Candidate,
  context: { env: NodeJS.ProcessEnv; baseDir: string },
): Promise<JudgeClient> {
  const model = await languageModelFor(judge, context);
  const temperature = judge.params.temperature ?? 0;
  if (model) {
    return {
      id: judge.model,
      async ask(messages, reply, signal) {
        const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
        const result = await generateText({
          model,
          messages: messages.filter((m) => m.role !== 'system') as Array<{
            role: 'user' | 'assistant';
            content: string;
          }>,
          ...(system.length > 0 ? { instructions: system.join('\n\n') } : {}),
          output: Output.object({
            schema: reply === 'score' ? scoreReply : preferenceReply,
            name: `judge_${reply}`,
          }),
          temperature,
          maxRetries: 2,
          ...(judge.params.max_tokens ? { maxOutputTokens: judge.params.max_tokens } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        });
        return {
          text: JSON.stringify(result.output),
          inputTokens: result.usage.inputTokens ?? null,
          outputTokens: result.usage.outputTokens ?? null,
        };
      },
      async close() {},
    };
  }
  const provider: Provider = await createProvider(judge, context);
  return {
    id: judge.model,
    async ask(messages, _reply, signal) {
      const generation = await withRetries(
        () =>
          provider.generate({ messages, params: { ...judge.params, temperature } }, signal ? { signal } : {}),
        signal,
      );
      return {
        text: generation.text,
        inputTokens: generation.usage.inputTokens,
        outputTokens: generation.usage.outputTokens,
      };
    },
    async close() {
      await provider.close?.();
    },
  };
}
