// The decision is stored with its run, versioned, and rendered the same everywhere (issue 13, DESIGN
// §5): `verdict run` stores version 1; report, JSON, HTML and the dashboard render the stored version
// and add nothing of their own; after a price changes the memo is the same byte for byte until
// `verdict decide` makes version 2 and says what changed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { createDashboardApp } from '../src/server/dashboard.ts';
import type { Decision } from '../src/spec/decision.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { answer, decisionWorkloadYaml, runDecisionWorkload } from './helpers/decision-workload.ts';
import { verdictInProcess } from './helpers/in-process-cli.ts';
import { tempDir } from './helpers/temp-dir.ts';

const dir = tempDir();
let url: string;
let closeServer: () => Promise<void>;

before(async () => {
  const server = await startStandInServer({
    answer: (messages, model) => answer(model, Number(/\d+/.exec(messages.at(-1)!.content)?.[0])),
  });
  url = server.url;
  closeServer = () => server.close();
});
after(() => closeServer());

/** The CLI in process, as `bin/` runs it, with its output captured. */
const verdict = (args: string[]) => verdictInProcess(args, { cwd: dir });

/** A fresh store with one run made by `verdict run`; its file and run id. */
async function storedRun(name: string): Promise<{ db: string; runId: string }> {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, decisionWorkloadYaml(url));
  const db = path.join(dir, `${name}.db`);
  const run = await verdict(['run', file, '--store', db, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return { db, runId: JSON.parse(run.stdout).runId };
}

/** Changes one candidate's negotiated price in the stored run, as a price list moving would. */
function changePrice(db: string, runId: string, candidateId: string, inputPerMtok: number) {
  const sqlite = new Database(db);
  const { workload_json } = sqlite.prepare('SELECT workload_json FROM runs WHERE id = ?').get(runId) as {
    workload_json: string;
  };
  const workload = JSON.parse(workload_json);
  workload.candidates.find((c: { id: string }) => c.id === candidateId).deployment.price.inputPerMTok =
    inputPerMtok;
  sqlite.prepare('UPDATE runs SET workload_json = ? WHERE id = ?').run(JSON.stringify(workload), runId);
  sqlite.close();
}

/** The pick and runner-up each format names, read from its own text. */
async function picksInEveryFormat(db: string, runId: string) {
  const read = (text: string, pattern: RegExp) => pattern.exec(text)?.[1]?.trim() ?? null;
  const terminal = (await verdict(['report', runId, '--store', db])).stdout;
  const md = (await verdict(['report', runId, '--format', 'md', '--store', db])).stdout;
  const json = JSON.parse((await verdict(['report', runId, '--format', 'json', '--store', db])).stdout);
  const html = (await verdict(['report', runId, '--format', 'html', '--store', db])).stdout;
  const store = openSqliteStore(db);
  const page = await (await createDashboardApp(store).request(`/runs/${runId}`)).text();
  await store.close();
  // Routes are shown after the id (`id via route`, `id (route)`): the id is what is compared.
  const id = /^([^\s(]+)/;
  const first = (text: string | null) => (text === null ? null : (id.exec(text)?.[1] ?? null));
  const fromHtml = (text: string) => ({
    pick: first(read(text, /<div class="winner">Decision: ([^<]+)/)),
    runnerUp: first(read(text, /<div class="runner-up">Runner-up: ([^<]+)/)),
  });
  return {
    texts: { terminal, md, json: JSON.stringify(json), html, dashboard: page },
    picks: {
      terminal: {
        pick: first(read(terminal, /^Decision: (.+)$/m)),
        runnerUp: first(read(terminal, /^Runner-up: (.+)$/m)),
      },
      md: {
        pick: first(read(md, /^\*\*Decision:\*\* (.+)$/m)),
        runnerUp: first(read(md, /^\*\*Runner-up:\*\* (.+)$/m)),
      },
      json: { pick: json.decision.winner ?? 'none', runnerUp: json.decision.runnerUp ?? 'none' },
      html: fromHtml(html),
      dashboard: fromHtml(page),
    },
    decision: json.decision as Decision,
  };
}

test('verdict run stores the first decision: version 1, with verdict and catalogue versions and its inputs', async () => {
  const { db, runId } = await storedRun('first');
  const store = openSqliteStore(db);
  const record = (await store.latestDecision(runId))!;
  await store.close();
  assert.equal(record.version, 1);
  assert.equal(record.schemaVersion, 1);
  assert.equal(record.verdictVersion, '0.1.0');
  assert.ok(record.catalogues.some((c) => c.name.startsWith('token prices: ')));
  assert.deepEqual(record.inputs.loadTestFiles, []);
  assert.ok(record.cost!.options.some((o) => o.optionId === 'mid'));
  const json = JSON.parse((await verdict(['report', runId, '--format', 'json', '--store', db])).stdout);
  assert.deepEqual(json.decision, record.decision);
  assert.deepEqual(json.decisionRecord, {
    version: 1,
    createdAt: record.createdAt,
    verdictVersion: '0.1.0',
  });
});

test('terminal, Markdown, JSON, HTML and the dashboard name the same pick and runner-up', async () => {
  const { db, runId } = await storedRun('formats');
  const { picks, decision, texts } = await picksInEveryFormat(db, runId);
  const expected = { pick: decision.winner ?? 'none', runnerUp: decision.runnerUp ?? 'none' };
  assert.ok(decision.winner, 'this workload names a winner');
  for (const [format, named] of Object.entries(picks)) assert.deepEqual(named, expected, format);
  for (const [format, text] of Object.entries(texts))
    assert.doesNotMatch(text, /it wins|it does not win/, `${format} adds no verdict on the split`);
});

test('a split that is not the pick is never shown as winning, whatever its own flag says', async () => {
  const { db, runId } = await storedRun('split');
  const store = openSqliteStore(db);
  const latest = (await store.latestDecision(runId))!;
  // A record as the old hybrid step wrote it: `wins` set, though the pick is another candidate.
  const { version: _, ...rest } = latest;
  await store.saveDecision({
    ...rest,
    decision: {
      ...latest.decision,
      winner: 'mid',
      winnerOption: 'mid',
      runnerUp: 'frontier',
      runnerUpOption: 'frontier',
      hybrid: { ...latest.decision.hybrid!, id: 'weak→frontier', wins: true },
    },
  });
  await store.close();
  const { picks, texts } = await picksInEveryFormat(db, runId);
  for (const [format, named] of Object.entries(picks))
    assert.deepEqual(named, { pick: 'mid', runnerUp: 'frontier' }, format);
  for (const format of ['md', 'html', 'dashboard'] as const) {
    assert.match(texts[format], /it is not the pick/, format);
    assert.doesNotMatch(texts[format], /it wins|it is the pick/, format);
  }
});

test('after a price changes the memo renders the same, byte for byte; verdict decide then stores version 2 and says what changed', async () => {
  const { db, runId } = await storedRun('reprice');
  const memo = (await verdict(['report', runId, '--format', 'md', '--store', db])).stdout;
  const json = (await verdict(['report', runId, '--format', 'json', '--store', db])).stdout;
  const terminal = (await verdict(['report', runId, '--store', db])).stdout;
  const store = openSqliteStore(db);
  const dashboard = createDashboardApp(store);
  const pageBefore = await (await dashboard.request(`/runs/${runId}`)).text();
  assert.match(pageBefore, /Decision version 1,/);

  // mid's input price falls from $1.50 to $0.50 per million tokens.
  changePrice(db, runId, 'mid', 0.5);
  assert.equal((await verdict(['report', runId, '--format', 'md', '--store', db])).stdout, memo);
  assert.equal((await verdict(['report', runId, '--format', 'json', '--store', db])).stdout, json);
  assert.equal((await verdict(['report', runId, '--store', db])).stdout, terminal);

  const decided = await verdict(['decide', runId, '--store', db, '--json']);
  assert.equal(decided.code, 0, decided.stderr);
  const out = JSON.parse(decided.stdout);
  assert.equal(out.version, 2);
  assert.equal(out.stored, true);
  const mid = out.changes.costs.find((c: { optionId: string }) => c.optionId === 'mid');
  assert.ok(mid, JSON.stringify(out.changes));
  // Input tokens are the only part that moved: the monthly cost falls by a third of its input share.
  assert.ok(mid.after < mid.before, `${mid.before} → ${mid.after}`);
  assert.ok(out.changes.reasonsAdded.length > 0 || out.changes.pick, 'the reasons say why');
  assert.equal(out.changes.fromVersion, 1);
  assert.equal(out.changes.toVersion, 2);

  // The report, JSON and the dashboard now render version 2.
  const memo2 = (await verdict(['report', runId, '--format', 'md', '--store', db])).stdout;
  assert.notEqual(memo2, memo);
  assert.match(memo2, /\*Decision version 2, made /);
  const pageAfter = await (await dashboard.request(`/runs/${runId}`)).text();
  assert.match(pageAfter, /Decision version 2,/, 'the dashboard cache sees the new version');
  await store.close();

  // Nothing moved since: deciding again stores nothing.
  const again = await verdict(['decide', runId, '--store', db]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /unchanged: the same as version 2 of /);
  assert.doesNotMatch(again.stdout, /Changed from version/);
});

test('verdict decide prints what changed on the terminal: pick, runner-up, costs and reasons', async () => {
  const { db, runId } = await storedRun('terminal');
  // frontier at a tenth of a cent per million input tokens undercuts every other option.
  changePrice(db, runId, 'frontier', 0.001);
  const { code, stdout, stderr } = await verdict(['decide', runId, '--store', db]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /decision stored as version 2/);
  assert.match(stdout, /^Changed from version 1 to version 2$/m);
  assert.match(stdout, /^• frontier: \$[\d,.]+ → \$[\d,.]+ a month$/m);
  assert.match(stdout, /^\+ /m, 'a reason added');
  assert.match(stdout, /^- /m, 'a reason removed');
});

test('a run stored before decisions were kept gets version 1 from its first report', async () => {
  const db = path.join(dir, 'old.db');
  const store = openSqliteStore(db);
  const runId = await runDecisionWorkload(store, dir, url);
  assert.equal(await store.latestDecisionVersion(runId), 0);
  await store.close();
  const report = await verdict(['report', runId, '--format', 'md', '--store', db]);
  assert.equal(report.code, 0, report.stderr);
  assert.match(report.stdout, /\*Decision version 1, made /);
  const reopened = openSqliteStore(db);
  assert.equal(await reopened.latestDecisionVersion(runId), 1);
  await reopened.close();
  // The second report renders the stored version and stores nothing more.
  await verdict(['report', runId, '--store', db]);
  const last = openSqliteStore(db);
  assert.equal(await last.latestDecisionVersion(runId), 1);
  await last.close();
});
