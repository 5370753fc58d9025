// A small OpenAI chat-completions server on 127.0.0.1, streaming and not, with usage in the final
// chunk. The demo uses it as a clearly labelled stand-in for a self-hosted endpoint; tests use it
// as a real HTTP peer. It answers with a function of the messages, never with a model.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage } from '../spec/workload.ts';

export interface StandInServerOptions {
  /** The answer to a request; may be async. */
  answer: (messages: ChatMessage[], model: string) => string | Promise<string>;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Split answers into chunks of this many characters when streaming (default 4). */
  chunkSize?: number;
}

export interface StandInServer {
  /** Base URL for OpenAI clients, ending in /v1. */
  url: string;
  /** Requests answered so far, by path. */
  requests: { chatCompletions: number };
  close(): Promise<void>;
}

/** A rough token count (words and punctuation) standing in for a tokenizer the stand-in does not have. */
function roughTokens(text: string): number {
  return (text.match(/\w+|[^\s\w]/g) ?? []).length;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 10 * 1024 * 1024) throw new Error('request body over 10 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Starts the stand-in server; resolves once it listens. */
export async function startStandInServer(options: StandInServerOptions): Promise<StandInServer> {
  const requests = { chatCompletions: 0 };
  const chunkSize = options.chunkSize ?? 4;
  let sequence = 0;

  const server: Server = createServer(async (request, response) => {
    try {
      if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
        sendJson(response, 404, {
          error: { message: `no route ${request.method} ${request.url}`, type: 'not_found' },
        });
        return;
      }
      let body: {
        model?: string;
        messages?: ChatMessage[];
        stream?: boolean;
        stream_options?: { include_usage?: boolean };
      };
      try {
        body = JSON.parse(await readBody(request));
      } catch {
        sendJson(response, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
        return;
      }
      if (!Array.isArray(body.messages) || typeof body.model !== 'string') {
        sendJson(response, 400, {
          error: { message: 'model and messages are required', type: 'invalid_request_error' },
        });
        return;
      }
      requests.chatCompletions++;
      const text = await options.answer(body.messages, body.model);
      const id = `chatcmpl-standin-${++sequence}`;
      const created = Math.floor(Date.now() / 1000);
      const usage = {
        prompt_tokens: roughTokens(body.messages.map((message) => message.content).join('\n')),
        completion_tokens: roughTokens(text),
        total_tokens: 0,
      };
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      if (!body.stream) {
        sendJson(response, 200, {
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        });
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      send(chunk({ role: 'assistant', content: '' }, null));
      for (let offset = 0; offset < text.length; offset += chunkSize) {
        send(chunk({ content: text.slice(offset, offset + chunkSize) }, null));
      }
      send(chunk({}, 'stop'));
      if (body.stream_options?.include_usage)
        send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage });
      response.end('data: [DONE]\n\n');
    } catch (error) {
      if (!response.headersSent)
        sendJson(response, 500, { error: { message: (error as Error).message, type: 'server_error' } });
      else response.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
