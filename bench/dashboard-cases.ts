// The case explorer over 100,000 results (50,000 cases × 2 candidates): how long `verdict view`
// takes to answer each kind of page over HTTP (issue 7 asks < 200 ms). The peer, measured in the
// same run: the naive explorer — stream every result of the run from the store (store.results)
// and filter in memory, as a dashboard without paged SQL queries would; its cost is the same for
// every filter, so it is measured three times and shown beside each page. (Dropping the explorer's
// indexes instead is no usable peer: the correlated filters then take minutes per page.)
// Run on demand, not in the tests:
//
//   node bench/dashboard-cases.ts [--cases 50000] [--repeats 9]
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDashboard } from '../src/server/dashboard.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { seedSyntheticRun } from '../test/report-fixture-run.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '50000' }, repeats: { type: 'string', default: '9' } },
});
const cases = Number(values.cases);
const repeats = Number(values.repeats);
const dir = mkdtempSync(path.join(tmpdir(), 'verdict-bench-dashboard-'));
const file = path.join(dir, 'v.db');
const store = openSqliteStore(file);
const started = performance.now();
await seedSyntheticRun(store, { runId: 'big', cases, tags: ['billing-team', 'eu', 'vip', 'mobile'] });
console.log(
  `seeded ${cases.toLocaleString('en-US')} cases × 2 candidates = ${(await store.countResults('big')).toLocaleString('en-US')} results in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
// The peer: every result streamed from the store and filtered in memory (here: failed on any candidate).
async function naiveScan(): Promise<number> {
  const t = performance.now();
  const failed = new Set<string>();
  for await (const result of store.results('big')) if (!result.pass) failed.add(result.caseId);
  if (failed.size === 0) throw new Error('no failed case');
  return performance.now() - t;
}
const ours = await startDashboard(store);

const pages: Array<[string, string]> = [
  ['first page', '/runs/big/cases'],
  ['page 500 of 1,000', '/runs/big/cases?page=500'],
  ['last page', `/runs/big/cases?page=${Math.ceil(cases / 50)}`],
  ['failed, any candidate', '/runs/big/cases?status=fail'],
  ['failed, one candidate, page 20', '/runs/big/cases?status=fail&candidate=open-8b&page=20'],
  ['candidates disagree', '/runs/big/cases?disagree=1'],
  ['tag', '/runs/big/cases?tag=vip&page=3'],
  ['grader failed', '/runs/big/cases?grader=equals'],
  ['text search', '/runs/big/cases?q=dark%20mode%20(4242'],
  ['text search, no match', '/runs/big/cases?q=zzzz-nothing'],
];
async function time(base: string, url: string): Promise<number> {
  const t = performance.now();
  const response = await fetch(new URL(url, base));
  const body = await response.text();
  if (response.status !== 200 || !body.includes('cases-info')) throw new Error(`${url}: ${response.status}`);
  return performance.now() - t;
}
const max = (xs: number[]) => Math.max(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const peer: number[] = [];
for (let i = 0; i < 3; i++) peer.push(await naiveScan());
const peerMs = median(peer);
console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  `peer, naive explorer (stream all ${cases * 2} results, filter in memory): median ${peerMs.toFixed(0)} ms`,
);
console.log('page                              verdict median / max    ratio to peer');
let worst = 0;
for (const [name, url] of pages) {
  await time(ours.url, url);
  const a: number[] = [];
  for (let i = 0; i < repeats; i++) a.push(await time(ours.url, url));
  worst = Math.max(worst, median(a));
  console.log(
    `${name.padEnd(33)} ${median(a).toFixed(1).padStart(7)} ms / ${max(a).toFixed(0).padStart(4)} ms   ${(median(a) / peerMs).toFixed(3).padStart(8)}`,
  );
}
console.log(`slowest median ${worst.toFixed(1)} ms · target < 200 ms: ${worst < 200 ? 'met' : 'missed'}`);
await ours.close();
await store.close();
