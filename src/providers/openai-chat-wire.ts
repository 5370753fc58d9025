// OpenAI chat completions spoken directly (undici + a small SSE reader) for self-hosted servers:
// vLLM, SGLang, TGI, Ollama, llama.cpp server, LM Studio. These are the high-volume candidates, and
// the AI SDK's generic streaming (web streams, a schema check per chunk) costs several times the
// CPU and memory of the call itself there. Frontier APIs stay on the AI SDK's providers. The
// provider contract suite holds both to the same behaviour.
import { Agent, type Dispatcher, request } from 'undici';
import type { GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import { classifyProviderError } from './ai-sdk-generate.ts';
import { ProviderError } from './provider-error.ts';
import { parseRateLimitHeaders, requestIdFrom } from './rate-limit-headers.ts';

export interface OpenAIChatWireOptions {
  id: string;
  baseURL: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  /** Stream the response (default true). */
  stream?: boolean;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

interface Chunk {
  model?: string;
  choices?: Array<{
    delta?: { content?: string | null };
    message?: { content?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: Usage | null;
  error?: { message?: string } | string;
}

const FINISH: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

function flatHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The error text of a failed response: `error.message` when the body is OpenAI's shape, else the body. */
function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    const error = parsed.error;
    return (typeof error === 'string' ? error : error?.message) ?? parsed.message ?? body;
  } catch {
    return body;
  }
}

/** A provider for any server speaking OpenAI chat completions. */
export function createOpenAIChatWireProvider(
  options: OpenAIChatWireOptions,
): Provider & { close(): Promise<void> } {
  const { id } = options;
  const url = `${options.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const streaming = options.stream ?? true;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...options.headers,
  };

  async function generate(
    generateRequest: GenerateRequest,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<Generation> {
    const { params } = generateRequest;
    const body = JSON.stringify({
      model: options.model,
      messages: generateRequest.messages,
      ...(streaming ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...(params.temperature === undefined ? {} : { temperature: params.temperature }),
      ...(params.max_tokens === undefined ? {} : { max_tokens: params.max_tokens }),
      ...(params.seed === undefined ? {} : { seed: params.seed }),
      ...(params.top_p === undefined ? {} : { top_p: params.top_p }),
      ...(params.stop === undefined ? {} : { stop: params.stop }),
    });
    const started = performance.now();
    let status: number | undefined;
    let responseHeaders: Record<string, string> | undefined;
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      });
      status = response.statusCode;
      responseHeaders = flatHeaders(response.headers);
      const requestId = requestIdFrom(responseHeaders);
      const rateLimit = parseRateLimitHeaders(responseHeaders);
      const details = {
        httpStatus: status,
        ...(requestId ? { requestId } : {}),
        ...(rateLimit ? { rateLimit } : {}),
      };
      if (status >= 300) {
        const text = (await response.body.text()).slice(0, 2000);
        const detail = `${id}: HTTP ${status} ${errorText(text)}`.slice(0, 500);
        if (status === 429)
          throw new ProviderError('PROVIDER_RATE_LIMITED', detail, { ...details, isRetryable: true });
        const retryable = status === 408 || status === 409 || status >= 500;
        throw new ProviderError('PROVIDER_ERROR', detail, { ...details, isRetryable: retryable });
      }
      const malformed = (why: string) =>
        new ProviderError('PROVIDER_ERROR', `${id}: malformed response (${why})`.slice(0, 500), {
          ...details,
          isRetryable: true,
        });

      let text = '';
      let firstToken: number | null = null;
      let finishRaw: string | undefined;
      let usage: Usage | undefined;
      let model: string | undefined;
      const take = (chunk: Chunk) => {
        if (chunk.error) {
          const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'error');
          throw new ProviderError('PROVIDER_ERROR', `${id}: ${message}`.slice(0, 500), {
            ...details,
            isRetryable: true,
          });
        }
        model ??= chunk.model;
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        const content = choice?.delta?.content ?? choice?.message?.content;
        if (content) {
          firstToken ??= performance.now();
          text += content;
        }
        if (choice?.finish_reason) finishRaw = choice.finish_reason;
      };

      if (!streaming) {
        const raw = await response.body.text();
        let parsed: Chunk;
        try {
          parsed = JSON.parse(raw) as Chunk;
        } catch {
          throw malformed('the body is not JSON');
        }
        take(parsed);
        firstToken = null;
      } else {
        const decoder = new TextDecoder();
        let pending = '';
        const line = (raw: string) => {
          if (!raw.startsWith('data:')) return;
          const data = raw.slice(5).trim();
          if (data === '[DONE]' || data === '') return;
          let parsed: Chunk;
          try {
            parsed = JSON.parse(data) as Chunk;
          } catch {
            throw malformed('a stream chunk is not JSON');
          }
          take(parsed);
        };
        for await (const piece of response.body) {
          pending += decoder.decode(piece as Buffer, { stream: true });
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            line(pending.slice(0, newline).replace(/\r$/, ''));
            pending = pending.slice(newline + 1);
            newline = pending.indexOf('\n');
          }
        }
        pending += decoder.decode();
        if (pending.trim() !== '') line(pending.trim());
      }
      const input = usage?.prompt_tokens;
      const output = usage?.completion_tokens;
      // A stream that stops cleanly but early has no usage or no finish reason: a failed call, or a
      // truncated answer would be graded as real.
      if (input === undefined || output === undefined || finishRaw === undefined) {
        throw new ProviderError(
          'PROVIDER_INCOMPLETE',
          `${id}: the response ended before its final event (${output === undefined ? 'no usage' : 'no finish reason'}); treated as a failed call`,
          { ...details, isRetryable: true },
        );
      }
      const cached = usage?.prompt_tokens_details?.cached_tokens;
      const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
      return {
        text,
        usage: {
          inputTokens: input,
          outputTokens: output,
          source: 'server',
          ...(cached === undefined || cached === null ? {} : { cachedInputTokens: cached }),
          ...(reasoning === undefined || reasoning === null ? {} : { reasoningTokens: reasoning }),
        },
        ttftMs: firstToken === null ? null : firstToken - started,
        durationMs: performance.now() - started,
        finishReason: FINISH[finishRaw] ?? 'other',
        ...(model ? { responseModel: model } : {}),
        ...details,
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const classified = classifyProviderError(error, id);
      if (status === undefined || !(classified instanceof ProviderError)) throw classified;
      // A failure while reading a successful response (a dropped connection): keep what is known.
      const requestId = requestIdFrom(responseHeaders);
      throw new ProviderError(classified.code, classified.message, {
        cause: error,
        isRetryable: classified.isRetryable,
        httpStatus: status,
        ...(requestId ? { requestId } : {}),
      });
    }
  }

  return { id, generate, close: () => dispatcher.close() };
}
