import { Agent } from 'undici';
import { type StreamHandle, streamChatCompletion } from './stream-request.ts';
import type { LoadTarget, LoadTransport, TransportRequest } from './types.ts';

/**
 * Streaming chat completions over HTTP to an OpenAI-compatible endpoint: `POST
 * {baseUrl}/chat/completions` with `stream: true` and usage asked for in the last chunk.
 */
export function createHttpTransport(
  target: LoadTarget,
  extraBody: Record<string, unknown> = {},
): LoadTransport {
  const base = new URL(target.baseUrl);
  const origin = base.origin;
  const path = `${base.pathname.replace(/\/+$/, '')}/chat/completions${base.search}`;
  // One pool per transport, no cap on connections: a closed loop of N needs N sockets at once,
  // and an open loop must never wait for a socket (that wait would count as the client's lag).
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;

  return {
    send(request: TransportRequest): StreamHandle {
      // Extra fields cannot turn streaming off or change the model and prompt; they may replace
      // stream_options, or drop it with null for servers that reject it.
      const body: Record<string, unknown> = {
        stream_options: { include_usage: true },
        ...extraBody,
        model: target.model,
        messages: request.messages,
        stream: true,
      };
      if (body.stream_options === null) delete body.stream_options;
      if (request.maxTokens !== null) body.max_tokens = request.maxTokens;
      if (request.ignoreEos) body.ignore_eos = true;
      return streamChatCompletion(agent, {
        origin,
        path,
        headers: { ...headers, 'x-request-id': request.requestId },
        body: JSON.stringify(body),
        timeoutMs: request.timeoutMs,
      });
    },
    close: () => agent.destroy().catch(() => {}),
  };
}
