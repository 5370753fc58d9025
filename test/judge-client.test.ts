// The judge retries through the runner's callWithRetries, with the SDK's own retries off: a 500
// then an answer is two requests on the wire, for a structured (openai) judge and a text one alike;
// a 400 is not retried; an endpoint always down sees 1 + maxRetries requests, not that times the SDK's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultRetryPolicy } from '../src/run/call-with-retries.ts';
import { createJudgeClient } from '../src/run/judge-client.ts';
import type { Candidate } from '../src/spec/workload.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

let server: WireServer;
const policy = { ...defaultRetryPolicy, baseDelayMs: 5, maxDelayMs: 10 };

before(async () => {
  server = await startWireServer({
    answer: () => '{"reason":"fine","score":0.75}',
    fault: (request) =>
      request.prompt.startsWith('bad')
        ? { kind: 'status', status: 400 }
        : request.prompt.startsWith('down')
          ? { kind: 'status', status: 503 }
          : request.attempt === 1
            ? { kind: 'status', status: 500 }
            : undefined,
  });
});
after(() => server.close());

const judge = (model: string): Candidate =>
  ({
    id: 'judge',
    model,
    provider: model.split(':')[0]!,
    modelName: model.split(':')[1]!,
    baseUrl: server.urls.openai,
    params: {},
  }) as Candidate;

for (const model of ['openai:gpt-judge', 'openai-compatible:local-judge']) {
  test(`${model}: a 500 is retried once by callWithRetries, a 400 not at all`, async () => {
    const client = await createJudgeClient(
      judge(model),
      { env: { OPENAI_API_KEY: 'sk-judge-test-key-0000' }, baseDir: '.' },
      policy,
    );
    const prompt = `grade this (${model})`;
    const answer = await client.ask([{ role: 'user', content: prompt }], 'score');
    assert.deepEqual(JSON.parse(answer.text), { reason: 'fine', score: 0.75 });
    assert.equal(server.byPrompt.get(prompt), 2);
    const bad = `bad (${model})`;
    await assert.rejects(client.ask([{ role: 'user', content: bad }], 'score'), /400/);
    assert.equal(server.byPrompt.get(bad), 1);
    // Always down: the first attempt and policy.maxRetries more, no SDK retries inside each.
    const down = `down (${model})`;
    await assert.rejects(client.ask([{ role: 'user', content: down }], 'score'), /503/);
    assert.equal(server.byPrompt.get(down), 1 + policy.maxRetries);
    await client.close();
  });
}
