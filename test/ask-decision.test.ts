// `verdict ask` on a real stored run, with a local server acting as the model that answers: cited
// answers are shown with their facts, uncited or wrongly cited ones refused, what-ifs decided again.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkCitations, parseWhatIf } from '../src/ask/ask-decision.ts';
import { main } from '../src/cli/main.ts';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { runWorkload } from '../src/run/run-workload.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { answer, runDecisionWorkload } from './helpers/decision-workload.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

let db = '';
let runId = '';
let asker: WireServer;
/** What the answering model says next, by the question in its prompt. */
let reply: (prompt: string) => string = () => '';

// The store's directory lives for the whole file (tempDir's cleanup would run when the hook ends).
const dir = tempDir('verdict-ask-');
before(async () => {
  db = path.join(dir, 'v.db');
  const server = await startStandInServer({
    answer: (messages, model) => answer(model, Number(/\d+/.exec(messages.at(-1)!.content)?.[0])),
  });
  const store = openSqliteStore(db);
  runId = await runDecisionWorkload(store, dir, server.url);
  await store.close();
  await server.close();
  asker = await startWireServer({ answer: (request) => reply(request.prompt) });
});
after(() => asker.close());

async function ask(args: string[]) {
  const io = {
    out: '',
    err: '',
    stdout: { write: (text: string): unknown => (io.out += text) },
    stderr: { write: (text: string): unknown => (io.err += text) },
    env: { NO_COLOR: '1' },
    cwd: path.dirname(db),
  };
  const code = await main(
    [
      'ask',
      runId,
      ...args,
      '--store',
      db,
      '--model',
      'openai-compatible:asker',
      '--base-url',
      `${asker.origin}/v1`,
    ],
    io,
  );
  return { code, ...io };
}

/** The id of the retrieved fact that says `text`, read from the prompt the model was given. */
const factId = (prompt: string, text: RegExp) =>
  prompt
    .split('\n')
    .find((line) => text.test(line))
    ?.match(/^\[(F\d+)\]/)?.[1];

test('an answer citing retrieved facts is shown with those facts', async () => {
  reply = (prompt) =>
    `acme is left out: it keeps data [${factId(prompt, /acme is removed/)}]; the pick is the split [${factId(prompt, /The pick is/)}].`;
  const { code, out, err } = await ask(['why not acme?', '--json']);
  assert.equal(code, 0, err);
  const result = JSON.parse(out);
  assert.equal(result.kind, 'answer');
  assert.deepEqual(
    result.cited.map((f: { text: string }) => f.text.slice(0, 26)),
    ['acme is removed: the workl', 'The pick is weak→frontier.'],
  );
  assert.ok(result.facts.length <= 8);
  const text = await ask(['why not acme?']);
  assert.match(
    text.out,
    /^acme is left out: it keeps data \[F\d+\]; the pick is the split \[F1\]\.\n\nCited facts \(answered by openai-compatible:asker\):\n {2}\[F\d+\] acme is removed: .*zero_retention.*\n {2}\[F1\] The pick is weak→frontier\./,
  );
});

test('an uncited answer is refused and the retrieved facts are shown instead', async () => {
  reply = () => 'acme, because it is the best.';
  const { code, out } = await ask(['why not acme?']);
  assert.equal(code, 0);
  assert.match(
    out,
    /^Refused: the answer cites no fact\. openai-compatible:asker answered:\n {2}> acme, because it is the best\./,
  );
  assert.match(
    out,
    /The facts retrieved for the question:\n {2}\[F1\] The pick is weak→frontier\.\n {2}\[F\d+\] acme is removed/,
  );
});

test('an answer citing a fact it was not given is refused', async () => {
  reply = () => 'weak is cheaper [F1] and better [F999].';
  const { out } = await ask(['why not weak?', '--json']);
  const result = JSON.parse(out);
  assert.equal(result.kind, 'refused');
  assert.equal(result.reason, 'the answer cites F999, which was not among the facts given');
  assert.ok(result.facts.length > 0);
});

test('a what-if on volume decides again and returns the re-computed pick, without calling the model', async () => {
  const calls = asker.calls.length;
  const now = JSON.parse((await ask(['what if we double the volume?', '--json'])).out);
  assert.equal(now.kind, 'what-if');
  assert.deepEqual(now.change, { kind: 'volume', requestsPerMonth: 2_000_000 });
  assert.equal(now.before.winner, 'weak→frontier');
  assert.deepEqual([now.after.winner, now.after.runnerUp], ['weak→frontier', 'mid']);
  // acme at $0.05/$0.10 per MTok: the monthly cost scales with the volume.
  const tenfold = JSON.parse((await ask(['what if we had 10M requests a month?', '--json'])).out);
  assert.equal(tenfold.change.requestsPerMonth, 10_000_000);
  assert.ok(
    Math.abs(tenfold.after.monthlyUsd / now.after.monthlyUsd - 5) < 1e-9,
    `${tenfold.after.monthlyUsd}`,
  );
  assert.equal(asker.calls.length, calls, 'no model was asked');
  const text = await ask(['what if we double the volume?']);
  assert.match(
    text.out,
    /^What if: 2,000,000 requests a month \(now 1,000,000\) — decided again on run .+, not answered by a model\.\n {2}pick: {6}weak→frontier \(unchanged\), \$95\.52 a month\n {2}runner-up: mid\n/,
  );
});

test('a what-if on a price decides again on that candidate price times the factor, without calling the model', async () => {
  const calls = asker.calls.length;
  // mid at 1% of its $1.50/$4.50 per MTok is far below every other option: it becomes the pick.
  const cheap = JSON.parse((await ask(["what if mid's price fell 99%?", '--json'])).out);
  assert.deepEqual(cheap.change, { kind: 'price', candidateId: 'mid', factor: 0.010000000000000009 });
  assert.equal(cheap.before.winner, 'weak→frontier');
  assert.equal(cheap.after.winner, 'mid');
  // frontier 10% dearer leaves the split ahead of mid: the pick stands.
  const dearer = JSON.parse((await ask(['what if frontier prices rise 10%?', '--json'])).out);
  assert.deepEqual(dearer.change, { kind: 'price', candidateId: 'frontier', factor: 1.1 });
  assert.equal(dearer.after.winner, 'weak→frontier');
  assert.equal(asker.calls.length, calls, 'no model was asked');
  const text = await ask(["what if mid's price fell 99%?"]);
  assert.match(
    text.out,
    /^What if: mid's price × 0\.01 \(−99%\) — decided again on run .+, not answered by a model\.\n {2}pick: {6}mid \(was weak→frontier\)/,
  );
});

test('what-if questions are read for volume and margin; other questions are not what-ifs', () => {
  assert.deepEqual(parseWhatIf('what if weak were twice as expensive?', { candidates: ['weak', 'mid'] }), {
    kind: 'price',
    candidateId: 'weak',
    factor: 2,
  });
  assert.equal(parseWhatIf('what if the price of nobody halved?', { candidates: ['weak'] }), undefined);
  assert.deepEqual(parseWhatIf('What if traffic triples?', { requestsPerMonth: 1000 }), undefined);
  assert.deepEqual(parseWhatIf('what if the traffic tripled?', { requestsPerMonth: 1000 }), {
    kind: 'volume',
    requestsPerMonth: 3000,
  });
  assert.deepEqual(parseWhatIf('what if we get 2,500,000 requests?', {}), {
    kind: 'volume',
    requestsPerMonth: 2_500_000,
  });
  assert.deepEqual(parseWhatIf('what if the margin were 2 points?', {}), { kind: 'margin', margin: 0.02 });
  assert.equal(parseWhatIf('why not weak?', { requestsPerMonth: 1000 }), undefined);
  assert.deepEqual(checkCitations('yes [F2]', [{ id: 'F2', source: 'x', text: 'y' }]), {
    cited: [{ id: 'F2', source: 'x', text: 'y' }],
  });
});

test('under on_prem a model outside the premises is refused before any call', async () => {
  const dir = tempDir('verdict-ask-');
  const server = await startStandInServer({ answer: () => 'yes' });
  after(() => server.close());
  const workload = await parseWorkload(
    `version: 1
name: on-prem
prompt: "Say yes to {{n}}"
cases: [{ vars: { n: 1 }, expected: "yes" }, { vars: { n: 2 }, expected: "yes" }]
graders: [equals]
candidates:
  - { id: local, model: "openai-compatible:local", base_url: "${server.url}", serving: self-hosted, hosting: owned, gpu: { type: l4 } }
traffic: { requests_per_month: 1000 }
constraints: { on_prem: true }
operations: { owned_hardware: { capex_usd_per_gpu: 3000 } }
`,
    path.join(dir, 'on-prem.yaml'),
  );
  const store = openSqliteStore(path.join(dir, 'v.db'));
  const { runId: onPremRun } = await runWorkload(workload, { store });
  await store.close();
  const calls = asker.calls.length;
  const io = {
    out: '',
    err: '',
    stdout: { write: (text: string): unknown => (io.out += text) },
    stderr: { write: (text: string): unknown => (io.err += text) },
    env: { NO_COLOR: '1', OPENAI_API_KEY: 'sk-test' },
    cwd: dir,
  };
  const args = ['ask', onPremRun, 'why local?', '--store', path.join(dir, 'v.db')];
  assert.equal(await main([...args, '--model', 'openai:gpt-4o'], io), 2);
  assert.match(
    io.err,
    /constraints\.on_prem: openai:gpt-4o is called through openai's API, outside the premises, so it is not asked/,
  );
  assert.equal(asker.calls.length, calls, 'the outside model was never called');
  // An endpoint on the premises (loopback) is asked.
  reply = (prompt) => `local [${factId(prompt, /The pick is/)}]`;
  assert.equal(
    await main([...args, '--model', 'openai-compatible:asker', '--base-url', `${asker.origin}/v1`], io),
    0,
    io.err,
  );
  assert.match(io.out, /^local \[F1\]/);
  assert.equal(asker.calls.length, calls + 1);
});
