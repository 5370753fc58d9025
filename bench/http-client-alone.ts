// The HTTP client alone, with no runner around it: N streamed chat completions at a fixed
// concurrency, in a fresh process like a verdict run, timed from the first call to the last answer.
// It is the ceiling any runner built on that client can reach, so bench/runner-vs-promptfoo.ts can
// split verdict's gap to autocannon into the client's share and the runner's own.
//
//   node bench/http-client-alone.ts --url URL [--client wire|node-http] [--cases 2000] [--concurrency 32]
//
// `wire` is verdict's own OpenAI wire client (undici) from dist/, called with a signal as the runner
// calls it; `node-http` is node:http with a keep-alive agent and the same SSE reading. Prints one
// JSON line: { client, calls, seconds, rate, cpuMicrosPerCall }; the CPU is the whole process's (GC and
// compiler threads included) over the calls, start-up excluded.
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    client: { type: 'string', default: 'wire' },
    cases: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
  },
});
if (!values.url) throw new Error('--url is required');
const baseUrl = values.url;
const cases = Number(values.cases);
const concurrency = Number(values.concurrency);
const messagesOf = (i: number) => [{ role: 'user' as const, content: `case ${i}` }];

type Call = (i: number) => Promise<string>;

async function wireClient(): Promise<{ call: Call; close(): Promise<void> }> {
  const modulePath = new URL('../dist/providers/openai-compatible.js', import.meta.url).href;
  const { createOpenAICompatibleProvider } = (await import(
    modulePath
  )) as typeof import('../src/providers/openai-compatible.ts');
  const provider = createOpenAICompatibleProvider({ baseURL: baseUrl, model: 'bench-model' });
  const signal = new AbortController().signal;
  return {
    call: async (i) => (await provider.generate({ messages: messagesOf(i), params: {} }, { signal })).text,
    close: async () => provider.close?.(),
  };
}

function nodeHttpClient(): { call: Call; close(): Promise<void> } {
  const endpoint = new URL(`${baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const call: Call = (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        model: 'bench-model',
        messages: messagesOf(i),
        stream: true,
        stream_options: { include_usage: true },
      });
      const request = http.request(
        {
          host: endpoint.hostname,
          port: endpoint.port,
          path: endpoint.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.setEncoding('utf8');
          let pending = '';
          let text = '';
          response.on('data', (chunk: string) => {
            pending += chunk;
            for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
              const line = pending.slice(0, newline).trim();
              pending = pending.slice(newline + 1);
              if (!line.startsWith('data:') || line === 'data: [DONE]') continue;
              const event = JSON.parse(line.slice(5)) as {
                choices?: Array<{ delta?: { content?: string } }>;
              };
              text += event.choices?.[0]?.delta?.content ?? '';
            }
          });
          response.on('end', () => resolve(text));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { call, close: async () => agent.destroy() };
}

const client = values.client === 'node-http' ? nodeHttpClient() : await wireClient();
let next = 0;
let answered = 0;
const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < cases) {
      const i = next++;
      // Read the answer, so a client that returned early or empty could not pass for a fast one.
      if ((await client.call(i)) !== `ok case ${i}`) throw new Error(`case ${i}: unexpected answer`);
      answered++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await client.close();
const cpuMicrosPerCall = (cpu.user + cpu.system) / answered;
process.stdout.write(
  `${JSON.stringify({ client: values.client, calls: answered, seconds, rate: answered / seconds, cpuMicrosPerCall })}\n`,
);
