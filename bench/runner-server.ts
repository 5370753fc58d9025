// The local OpenAI wire server the runner benchmarks call, in a process of its own so its CPU and
// memory are not the client's. Prints `{"url": …}` once listening; on a line "stats" on stdin prints
// how many calls it answered and when it answered 429 (and, with --keep-times, when it answered).
//
//   node bench/runner-server.ts [--requests N --window-ms MS [--no-headers]] [--delay-ms MS] [--keep-times]
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startWireServer } from '../test/servers/wire-server.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    'window-ms': { type: 'string', default: '60000' },
    'delay-ms': { type: 'string', default: '0' },
    'keep-times': { type: 'boolean', default: false },
    'no-headers': { type: 'boolean', default: false },
  },
});
const started = Date.now();
const limited: number[] = [];
const answeredAt: number[] = [];
const count = { answered: 0 };
const delay = Number(values['delay-ms']);
const server = await startWireServer({
  answer: (request) => `ok ${request.prompt}`,
  ...(delay > 0 ? { delayMs: delay } : {}),
  ...(values.requests
    ? {
        rateLimit: {
          requests: Number(values.requests),
          windowMs: Number(values['window-ms']),
          headers: !values['no-headers'],
        },
      }
    : {}),
});

/** Moves the server's call log into counts, so a long run keeps the log small. */
function sweep(): void {
  for (const call of server.calls) {
    if (call.status === 429) limited.push(call.at - started);
    else {
      count.answered++;
      if (values['keep-times']) answeredAt.push(call.at - started);
    }
  }
  server.calls.length = 0;
  server.byPrompt.clear();
}
setInterval(sweep, 200).unref();

process.stdout.write(`${JSON.stringify({ url: server.urls.openai })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'stats') {
    sweep();
    process.stdout.write(
      `${JSON.stringify({ answered: count.answered, limitedAtMs: limited, answeredAtMs: answeredAt })}\n`,
    );
  }
}
await server.close();
