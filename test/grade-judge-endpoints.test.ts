// Each judge endpoint gets its own client: two judges with one model id on two servers each get
// their own calls; a judge without an endpoint is a located error at load time; a judge that cannot
// start stops the pass as bad input or a provider error, never as an internal error.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { judgeRun } from '../src/run/judge-pass.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import type { Result } from '../src/spec/result.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';

function capture() {
  let text = '';
  return {
    write: (chunk: string) => (text += chunk),
    get text() {
      return text;
    },
  };
}

test('two judges with one model id on two servers: each server gets its own calls', async () => {
  const candidate = await startStandInServer({ answer: (m) => `answer to ${m.at(-1)!.content}` });
  const seen = { a: [] as string[], b: [] as string[] };
  const judgeA = await startStandInServer({
    answer: (m) => {
      seen.a.push(m.at(-1)!.content);
      return '{"reason": "server A", "score": 1}';
    },
  });
  // The second judge is also a candidate (graders name a judge by candidate id): it answers the cases
  // as a candidate, and the judge prompts as a judge.
  const judgeB = await startStandInServer({
    answer: (m) => {
      const prompt = m.at(-1)!.content;
      if (!prompt.includes('<answer>')) return 'twin answer';
      seen.b.push(prompt);
      return '{"reason": "server B", "score": 0}';
    },
  });
  after(() => Promise.all([candidate.close(), judgeA.close(), judgeB.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: two-judges
prompt: "Q {{q}}"
cases: [{ id: one, vars: { q: one } }, { id: two, vars: { q: two } }]
graders:
  - rubric: Is it right?
  - closed-qa: { criteria: "Is it polite?", judge: twin }
judge: { model: "openai-compatible:judge", base_url: "${judgeA.url}" }
candidates:
  - { id: echo, model: "openai-compatible:echo", base_url: "${candidate.url}" }
  - { id: twin, model: "openai-compatible:judge", base_url: "${judgeB.url}" }
`,
    path.join(dir, 'w.yaml'),
  );
  const { runId } = await runWorkload(workload, { store });
  const summary = await judgeRun(store, runId);
  // 2 candidates × 2 cases × 2 graders = 8 judge calls: the rubric's on A, the closed-qa's on B.
  assert.equal(summary.calls, 8);
  assert.equal(seen.a.length, 4);
  assert.equal(seen.b.length, 4);
  assert.ok(seen.a.every((p) => p.includes('Is it right?')));
  assert.ok(seen.b.every((p) => p.includes('Is it polite?')));
  const results: Result[] = [];
  for await (const result of store.results(runId)) results.push(result);
  for (const result of results) {
    assert.match(result.grades[0]!.reason, /server A/);
    assert.match(result.grades[1]!.reason, /server B/);
  }
});

test('a self-hosted judge without an endpoint is a located error at validate (exit 2)', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  const cases = `version: 1
name: no-endpoint
prompt: "{{q}}"
cases: [{ vars: { q: hi } }]
`;
  for (const [text, where] of [
    [
      `${cases}graders:
  - rubric: { rubric: "Be right.", judge: "openai-compatible:qwen" }
judge: { model: "openai-compatible:qwen", base_url: "http://127.0.0.1:9/v1" }
candidates: [{ id: one, model: "openai-compatible:one", base_url: "http://127.0.0.1:9/v1" }]
`,
      /w\.yaml:6:\d+ graders\[0\]\.rubric\.judge: the judge openai-compatible:qwen has no endpoint: an openai-compatible judge needs base_url/,
    ],
    [
      `${cases}graders: [{ rubric: Be right. }]
judge: "openai-compatible:qwen"
candidates: [{ id: one, model: "openai-compatible:one", base_url: "http://127.0.0.1:9/v1" }]
`,
      /w\.yaml:6:\d+ judge: the judge openai-compatible:qwen has no endpoint/,
    ],
  ] as const) {
    writeFileSync(file, text);
    const stdout = capture();
    const stderr = capture();
    const code = await main(['validate', file], { stdout, stderr, env: { NO_COLOR: '1' }, cwd: dir });
    assert.equal(code, 2, stderr.text);
    assert.match(stderr.text, where);
    assert.equal(stderr.text.match(/no endpoint/g)?.length, 1, 'said once');
  }
});

test('a stored run whose judge lost its endpoint is refused before any judge call, as bad input, not an internal error', async () => {
  const candidate = await startStandInServer({ answer: () => 'an answer' });
  const judge = await startStandInServer({ answer: () => '{"reason": "ok", "score": 1}' });
  after(() => Promise.all([candidate.close(), judge.close()]));
  const dir = tempDir();
  const store = openSqliteStore(path.join(dir, 'v.db'));
  after(() => store.close());
  const workload = await parseWorkload(
    `version: 1
name: edited
prompt: "{{q}}"
cases: [{ vars: { q: hi } }]
graders: [{ rubric: Be right. }]
judge: { model: "openai-compatible:j", base_url: "${judge.url}" }
candidates: [{ id: one, model: "openai-compatible:one", base_url: "${candidate.url}" }]
`,
    path.join(dir, 'w.yaml'),
  );
  // The workload edited behind verdict's back: the judge's base_url is gone (it used to be "Invalid URL").
  const { baseUrl: _, ...withoutUrl } = workload.judge!;
  const { runId } = await runWorkload({ ...workload, judge: withoutUrl }, { store });
  await assert.rejects(judgeRun(store, runId), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'WORKLOAD_INVALID');
    assert.match(error.message, /the judge openai-compatible:j has no endpoint/);
    return true;
  });
  assert.equal(judge.requests.chatCompletions, 0);
});
