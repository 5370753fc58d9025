// constraints.on_prem is enforced before any byte leaves: a candidate or judge whose endpoint is
// outside the premises is never sent a case. "Outside" comes from the endpoint, not the provider
// prefix. The test cannot reach api.openai.com, so a local server stands in for a public API host
// through the two ways a workload says an endpoint is public: a frontier provider (`openai:`) with
// its base_url on that server, and `serving: api` on an openai-compatible candidate or judge. The
// host table itself is checked on api.openai.com, which this test never has to resolve: a candidate
// pointed there would have produced a failed-call result, and it produces none.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { outsidePremises, publicApiHost } from '../src/providers/endpoint-location.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
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

async function verdict(argv: string[], dir: string) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1', PUBLIC_KEY: 'sk-x' }, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

test('where an endpoint is: frontier providers, serving: api and public API hosts are outside; private addresses inside', () => {
  const model = (id: string, baseUrl?: string, serving?: 'api' | 'self-hosted') => {
    const provider = id.slice(0, id.indexOf(':'));
    return {
      id: 'c',
      model: id,
      provider,
      ...(baseUrl ? { baseUrl } : {}),
      ...(serving ? { deployment: { serving } } : {}),
    };
  };
  assert.equal(publicApiHost('https://api.openai.com/v1'), 'openai');
  assert.equal(publicApiHost('https://api.together.xyz/v1'), 'together');
  assert.equal(publicApiHost('https://api.groq.com/openai/v1'), 'groq');
  assert.equal(publicApiHost('https://my-resource.openai.azure.com/openai'), 'azure');
  assert.equal(publicApiHost('http://10.0.0.5:8000/v1'), undefined);
  assert.equal(publicApiHost('https://notopenai.com/v1'), undefined);
  assert.match(
    outsidePremises(model('openai-compatible:gpt-4o', 'https://api.openai.com/v1'))!,
    /base_url is api\.openai\.com, openai's public API/,
  );
  assert.match(outsidePremises(model('anthropic:claude', 'http://127.0.0.1:9/v1'))!, /anthropic's API/);
  assert.match(
    outsidePremises(model('openai-compatible:x', 'http://127.0.0.1:9/v1', 'api'))!,
    /serving: api/,
  );
  assert.equal(outsidePremises(model('openai-compatible:x', 'http://127.0.0.1:9/v1')), undefined);
  assert.equal(outsidePremises(model('openai-compatible:x', 'http://gpu-box.internal:8000/v1')), undefined);
  assert.equal(outsidePremises(model('llama-cpp:./m.gguf')), undefined);
});

function workloadText(urls: { inside: string; judge: string; public: string }, extra = '') {
  return `version: 1
name: on-prem
prompt: "Answer {{q}}"
cases: [{ id: a, vars: { q: one } }, { id: b, vars: { q: two } }]
graders: [{ rubric: Be right. }]
judge: { model: "openai-compatible:judge", base_url: "${urls.judge}" }
candidates:
  - { id: local, model: "openai-compatible:Meta-Llama-3.1-8B-Instruct", base_url: "${urls.inside}" }
  - { id: gpt, model: "openai:gpt-4o-mini", base_url: "${urls.public}", api_key_env: PUBLIC_KEY }
  - id: together
    model: "openai-compatible:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
    base_url: "${urls.public}"
    serving: api
    route: together
  - { id: oa, model: "openai-compatible:gpt-4o-mini", base_url: "https://api.openai.com/v1" }
traffic: { requests_per_month: 100000 }
${extra}`;
}

async function servers() {
  const inside = await startStandInServer({ answer: (m) => `ok ${m.at(-1)!.content}` });
  const judge = await startStandInServer({ answer: () => '{"reason": "fine", "score": 0.9}' });
  const outside = await startStandInServer({ answer: () => 'this case left the premises' });
  after(() => Promise.all([inside.close(), judge.close(), outside.close()]));
  return { inside, judge, outside };
}

test('under on_prem no case reaches an API candidate; the report shows each removed, with its reason and price', async () => {
  const { inside, judge, outside } = await servers();
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(
    file,
    workloadText(
      { inside: inside.url, judge: judge.url, public: outside.url },
      'constraints: { on_prem: true }\n',
    ),
  );
  const store = path.join(dir, 'v.db');
  const dry = await verdict(['run', file, '--dry-run', '--store', store], dir);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /gpt \(openai:gpt-4o-mini\): not called: constraints\.on_prem/);
  assert.match(dry.stdout, /oa \(openai-compatible:gpt-4o-mini\): not called: .*api\.openai\.com/);

  const run = await verdict(['run', file, '--json', '--store', store], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(outside.requests.chatCompletions, 0, 'no request reached the public API host');
  assert.equal(inside.requests.chatCompletions, 2);
  assert.equal(judge.requests.chatCompletions, 2);
  // Progress says so, once per candidate, before the calls.
  for (const id of ['gpt', 'together', 'oa'])
    assert.match(run.stderr, new RegExp(`^${id}: not called: constraints\\.on_prem keeps the cases`, 'm'));
  assert.match(run.stderr, /together: not called: .*stated as a managed API \(serving: api\)/);

  const report = JSON.parse(run.stdout);
  const db = openSqliteStore(store);
  after(() => db.close());
  const ran = new Set<string>();
  for await (const result of db.results(report.runId)) ran.add(result.candidateId);
  assert.deepEqual([...ran], ['local'], 'only the candidate on the premises has results');

  const removed = report.decision.removed as string[];
  for (const id of ['gpt', 'together', 'oa'])
    assert.ok(
      removed.some((s) =>
        s.startsWith(`${id} is removed: the workload requires data to stay on the premises`),
      ),
      id,
    );
  const options = new Map(
    (
      report.cost.options as Array<{
        optionId: string;
        monthlyUsd: number;
        status?: string;
        lines: Array<{ source: string }>;
      }>
    ).map((o) => [o.optionId, o]),
  );
  for (const id of ['gpt', 'together', 'oa']) {
    const option = options.get(id);
    assert.ok(option, `${id} is priced`);
    assert.ok(option.monthlyUsd > 0);
    assert.equal(option.status, 'removed by the hard constraints (see the reasons)');
    assert.match(
      option.lines[0]!.source,
      new RegExp(
        `${id} has no results in run .*; tokens per request are the mean of 2 calls to local on the same cases`,
      ),
    );
  }
  // gpt-4o-mini at its catalogue price on the tokens measured on local for the same two cases (the
  // prompts sent are the same): the same as oa, the same model.
  assert.equal(options.get('gpt')!.monthlyUsd, options.get('oa')!.monthlyUsd);
  assert.ok(
    report.decision.caveats.some((c: string) =>
      /^gpt, together and oa were not called: constraints\.on_prem keeps the cases on the premises/.test(c),
    ),
  );
  assert.equal(report.decision.winner, 'local');
});

test('under on_prem a judge outside the premises is a validate error (exit 2), and nothing is sent', async () => {
  const { inside, outside } = await servers();
  const dir = tempDir();
  for (const [judge, pattern] of [
    [
      `{ model: "openai-compatible:gpt-4o", base_url: "https://api.openai.com/v1" }`,
      /api\.openai\.com, openai's public API/,
    ],
    [`{ model: "openai-compatible:judge", base_url: "${outside.url}", serving: api }`, /serving: api/],
  ] as const) {
    const file = path.join(dir, 'w.yaml');
    writeFileSync(
      file,
      `version: 1
name: judged
prompt: "{{q}}"
cases: [{ vars: { q: hi } }]
graders: [{ rubric: Be right. }]
judge: ${judge}
candidates: [{ id: local, model: "openai-compatible:m", base_url: "${inside.url}" }]
constraints: { on_prem: true }
`,
    );
    for (const command of ['validate', 'run']) {
      const store = command === 'run' ? ['--store', path.join(dir, 'v.db')] : [];
      const { code, stderr } = await verdict([command, file, ...store], dir);
      assert.equal(code, 2, `${command}: ${stderr}`);
      assert.match(stderr, /w\.yaml:6:\d+ judge: constraints\.on_prem is set/);
      assert.match(stderr, pattern);
    }
  }
  assert.equal(outside.requests.chatCompletions, 0);
  assert.equal(inside.requests.chatCompletions, 0, 'the run stops before the candidates are called');
});

test('constraints.synthetic_data lets API candidates and judges run on synthetic cases, and the report says so', async () => {
  const { inside, judge, outside } = await servers();
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(
    file,
    workloadText(
      { inside: inside.url, judge: judge.url, public: outside.url },
      'constraints: { on_prem: true, synthetic_data: true }\n',
    ).replace(/\n {2}- \{ id: oa,.*\n/, '\n'),
  );
  const run = await verdict(['run', file, '--json', '--store', path.join(dir, 'v.db')], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(outside.requests.chatCompletions, 4, 'gpt and together were called on both cases');
  const report = JSON.parse(run.stdout);
  assert.ok(
    report.decision.caveats.some((c: string) =>
      /^The cases are synthetic \(constraints\.synthetic_data\)/.test(c),
    ),
  );
  assert.ok(report.decision.removed.some((s: string) => s.startsWith('gpt is removed')));
});
