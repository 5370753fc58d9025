// A judge model ready to answer prompts. API judges whose table entry says `judge: 'structured'`
// answer through the AI SDK's structured output, so the reply is a schema-checked object; the others
// answer text, from which the judge pass reads one JSON object. Either way the call goes through the
// runner's callWithRetries (the SDK's own retries off), so judges and candidates retry alike: backoff
// with jitter, Retry-After honoured, a per-attempt timeout, 429s paced by the endpoint's gate.
import { generateText, type LanguageModel, Output } from 'ai';
import { preferenceReply, type ReplyShape, scoreReply } from '../grade/judge-call.ts';
import { buildFor, type ProviderContext } from '../providers/registry.ts';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import type { Candidate, ChatMessage } from '../spec/workload.ts';
import { callWithRetries, defaultRetryPolicy, type RetryPolicy } from './call-with-retries.ts';
import { RateGate } from './rate-gate.ts';

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

/** A judge answering with the SDK's structured output, as a Provider so callWithRetries can call it. */
function structuredJudge(id: string, model: LanguageModel, reply: ReplyShape): Provider {
  return {
    id,
    async generate(request: GenerateRequest, options = {}): Promise<Generation> {
      const started = performance.now();
      const { messages, params } = request;
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
        ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
        // callWithRetries retries; the SDK's own retries would hide attempts from it.
        maxRetries: 0,
        ...(params.max_tokens ? { maxOutputTokens: params.max_tokens } : {}),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      });
      return {
        text: JSON.stringify(result.output),
        usage: {
          inputTokens: result.usage.inputTokens ?? 0,
          outputTokens: result.usage.outputTokens ?? 0,
          source: 'server',
        },
        ttftMs: null,
        durationMs: performance.now() - started,
        finishReason: result.finishReason,
      };
    },
  };
}

/** Builds a judge client: structured output for the judges whose entry says so, text for every other. */
export async function createJudgeClient(
  judge: Candidate,
  context: ProviderContext,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<JudgeClient> {
  const { entry, build } = buildFor(judge, context, `the judge ${judge.model}`);
  const model = entry.judge === 'structured' ? await entry.languageModel?.(build) : undefined;
  const text = model ? undefined : await entry.create(build);
  const providers: Record<ReplyShape, Provider> = model
    ? {
        score: structuredJudge(judge.model, model, 'score'),
        preference: structuredJudge(judge.model, model, 'preference'),
      }
    : { score: text!, preference: text! };
  // Concurrency is the judge pass's to bound; the gate paces 429s and learns the endpoint's limits.
  const gate = new RateGate({ concurrency: 1_000 });
  const params = { ...judge.params, temperature: judge.params.temperature ?? 0 };
  return {
    id: judge.model,
    async ask(messages, reply, signal) {
      const outcome = await callWithRetries(providers[reply], { messages, params }, gate, {
        policy,
        estimatedTokens: 0,
        signal: signal ?? new AbortController().signal,
      });
      if (outcome.kind === 'failed') throw outcome.error;
      if (outcome.kind === 'interrupted')
        throw signal?.reason ?? new DOMException('the judge call was stopped', 'AbortError');
      const { usage } = outcome.generation;
      return {
        text: outcome.generation.text,
        inputTokens: model && usage.inputTokens === 0 ? null : usage.inputTokens,
        outputTokens: model && usage.outputTokens === 0 ? null : usage.outputTokens,
      };
    },
    async close() {
      await text?.close?.();
    },
  };
}
