// OpenAI chat completions spoken directly (undici + the shared SSE reader) for self-hosted servers:
// vLLM, SGLang, TGI, Ollama, llama.cpp server, LM Studio. These are the high-volume candidates, and
// the AI SDK's generic streaming (web streams, a schema check per chunk) costs several times the
// CPU and memory of the call itself there. Frontier APIs stay on the AI SDK's providers. The
// provider contract suite holds both to the same behaviour.
//
// The call is one undici dispatch with a handler: the body arrives in callbacks, without the
// Readable stream and async iterator of undici.request, which took a third of the client's CPU per
// call against a fast local server.
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import type { Agent as AgentClass, Dispatcher } from 'undici';
import type { GenerateRequest, Generation, Provider, RateLimitInfo } from '../spec/provider.ts';
import { classifyProviderError } from './classify-error.ts';
import { ProviderError } from './provider-error.ts';
import { parseRateLimitHeaders, requestIdFrom } from './rate-limit-headers.ts';
import { createSseDataReader } from './sse-data-reader.ts';

// undici's Agent from its own file: the package's index loads fetch, WebSocket, the cache and more
// (110 modules against 22; 77–99 ms to import against 38–47 ms on a 2-core machine), all before a
// run's first call (bench/startup.ts). The package has no exports map; the contract suite calls
// through this Agent.
const Agent = createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof AgentClass;

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

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
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
  const endpoint = new URL(`${options.baseURL.replace(/\/+$/, '')}/chat/completions`);
  const origin = endpoint.origin;
  const path = `${endpoint.pathname}${endpoint.search}`;
  const streaming = options.stream ?? true;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...options.headers,
  };

  function generate(
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
    const { signal } = callOptions;
    return new Promise<Generation>((resolve, reject) => {
      const started = performance.now();
      let status: number | undefined;
      let details: { httpStatus: number; requestId?: string; rateLimit?: RateLimitInfo } | undefined;
      let requestId: string | undefined;
      let controller: Dispatcher.DispatchController | undefined;
      let settled = false;
      let errorBody = '';
      let raw = '';
      const decoder = new StringDecoder('utf8');

      let text = '';
      let firstToken: number | null = null;
      let finishRaw: string | undefined;
      let usage: Usage | undefined;
      let model: string | undefined;

      const onAbort = () => fail(signal!.reason ?? new DOMException('aborted', 'AbortError'));
      const finish = () => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      function fail(error: unknown) {
        if (settled) return;
        finish();
        if (controller && !controller.aborted) controller.abort(error as Error);
        if (error instanceof ProviderError) return reject(error);
        const classified = classifyProviderError(error, id);
        if (status === undefined || !(classified instanceof ProviderError)) return reject(classified);
        // A failure while reading a successful response (a dropped connection): keep what is known.
        reject(
          new ProviderError(classified.code, classified.message, {
            cause: error,
            isRetryable: classified.isRetryable,
            httpStatus: status,
            ...(requestId ? { requestId } : {}),
          }),
        );
      }
      const malformed = (why: string) =>
        new ProviderError('PROVIDER_ERROR', `${id}: malformed response (${why})`.slice(0, 500), {
          ...details,
          isRetryable: true,
        });
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
      /** Takes one JSON body or stream event; text that is not JSON is a malformed response. */
      const takeJson = (json: string, what: string) => {
        let parsed: Chunk;
        try {
          parsed = JSON.parse(json) as Chunk;
        } catch {
          throw malformed(`${what} is not JSON`);
        }
        take(parsed);
      };
      const events = createSseDataReader((event) => {
        const data = event.trim();
        if (data !== '[DONE]' && data !== '') takeJson(data, 'a stream chunk');
      });
      const complete = () => {
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
        finish();
        resolve({
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
        });
      };

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new DOMException('aborted', 'AbortError'));
        },
        onResponseStart(_c, statusCode, responseHeaders) {
          status = statusCode;
          const flat = flatHeaders(responseHeaders);
          requestId = requestIdFrom(flat);
          const rateLimit = parseRateLimitHeaders(flat);
          details = {
            httpStatus: status,
            ...(requestId ? { requestId } : {}),
            ...(rateLimit ? { rateLimit } : {}),
          };
        },
        onResponseData(_c, chunk) {
          if (settled) return;
          if (status! >= 300) {
            if (errorBody.length < 2000) errorBody += chunk.toString('utf8');
            return;
          }
          try {
            if (!streaming) raw += decoder.write(chunk);
            else events.push(chunk);
          } catch (error) {
            fail(error);
          }
        },
        onResponseEnd() {
          if (settled) return;
          try {
            if (status! >= 300) {
              const detail = `${id}: HTTP ${status} ${errorText(errorBody.slice(0, 2000))}`.slice(0, 500);
              if (status === 429)
                throw new ProviderError('PROVIDER_RATE_LIMITED', detail, { ...details, isRetryable: true });
              const retryable = status === 408 || status === 409 || status! >= 500;
              throw new ProviderError('PROVIDER_ERROR', detail, { ...details, isRetryable: retryable });
            }
            if (!streaming) {
              takeJson(raw + decoder.end(), 'the body');
              firstToken = null;
            } else events.end();
            complete();
          } catch (error) {
            fail(error);
          }
        },
        onResponseError(_c, error) {
          fail(error);
        },
      };

      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // A caller's signal bounds the call (the runner's per-attempt timeout): undici's own header
        // and body timers, re-armed on every chunk, would then only repeat it (~5 µs of ~95 µs per
        // call against a fast local server). Without a signal they stay on.
        const timers = signal ? { headersTimeout: 0, bodyTimeout: 0 } : {};
        dispatcher.dispatch({ origin, path, method: 'POST', headers, body, ...timers }, handler);
      } catch (error) {
        fail(error);
      }
    });
  }

  return { id, generate, close: () => dispatcher.close() };
}
