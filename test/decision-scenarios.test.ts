// Decision scenarios, end to end (issue 13): each workload's right pick, runner-up, monthly cost and
// break-even are worked out by hand below, then `verdict run WORKLOAD --json` runs it against the
// scenario server (test/helpers/scenario-server.ts: every model's correctness is written in its
// name) and `verdict report RUN --format json|md|html|terminal` must name the same pick.
// The rules are DESIGN §5 / issue 13's: constraints → floor → paired non-inferiority to the best
// remaining candidate → latency → cost → near tie (10%: API, then rented, then owned); a split is an
// option only if it escalates something, meets the floor and the paired test, and is cheaper.
// This file: volume, break-even, near ties, quality gates, latency, splits, undecided. Constraints
// and managed routes: decision-scenarios-constraints.test.ts.
//
// Arithmetic shared by every scenario (scenario-server.ts, scenario-workload.ts):
// - every request measures 10 input and 9 output tokens; an API priced (p, 10p) $/MTok costs
//   (10p + 90p) ÷ 10⁶ = p × 10⁻⁴ $ a request: p = 10 → $0.001, p = 5 → $0.0005, p = 1 → $0.0001;
// - a self-hosted replica (1 × L40S, 1 req/s, utilisation 1, peak factor 1) serves
//   Q = 730 h × 3,600 s = 2,628,000 requests a month; rented at $h/h it costs 730 × h a month;
//   operations 10 h × $100 = $1,000; storage, egress, load balancer and monitoring are set to 0;
//   so rented(V) = 1,000 + 730 × h × max(1, ⌈V ÷ Q⌉).
// - paired 95% intervals for p_A − p_B are Newcombe's method 10, computed independently (SciPy's
//   normal quantile, Wilson bounds; scratch script, not in the repository) for the tables below:
//     40/40 vs 40/40 (all shared):      0, (−0.0876, +0.0876)  → non-inferior at a 0.10 margin
//     36/40 vs 40/40 (A misses 4):  −0.10, (−0.2305, +0.0064)  → not shown either way
//     20/40 vs 40/40:               −0.50, (−0.6480, −0.3280)  → inferior (wholly below −0.10)
//     99/100 vs 100/100:            −0.01, (−0.0545, +0.0279)  → non-inferior at 0.10
//     20/20 vs 20/20:                   0, (−0.1611, +0.1611)  → not shown at a 0.05 margin
import type { ScenarioRun } from './helpers/scenario-cli.ts';
import { scenarioSuite } from './helpers/scenario-suite.ts';
import { api, operations, self } from './helpers/scenario-workload.ts';

const scenario = await scenarioSuite();

/** The split is shown (or absent) but neither an option nor the pick. */
const noSplitOption = (run: ScenarioRun) => {
  const h = run.report.decision.hybrid;
  return h && (h.wins || h.option) ? [`decision.hybrid: option ${h.option}, wins ${h.wins}`] : [];
};

// 1. Low volume, API wins. V = 1M.
//    frontier: 1M × $0.001 = $1,000. selfhost ($1/h): 1M ≤ Q → 1 replica → 730 + 1,000 = $1,730.
//    Both 40/40: non-inferior. Cheapest: frontier $1,000; runner-up selfhost.
//    Break-even: within one replica 0.001 V = 1,730 → V = 1,730,000 (≤ Q). Past each step k·Q the API
//    pays 2,628k against 1,730 + 730k: self-hosting stays cheaper from 1.73M.
scenario(
  'low volume: the API wins',
  { candidates: [api('frontier', '', 10), self('selfhost', '')], traffic: { requests_per_month: 1e6 } },
  {
    winner: 'frontier',
    runnerUp: 'selfhost',
    monthlyUsd: 1_000,
    breakEven: { api: 'frontier', self: 'selfhost', volume: 1_730_000 },
  },
);

// 2. High volume, self-hosting wins. V = 10M.
//    frontier: $10,000. selfhost: ⌈10M ÷ 2.628M⌉ = ⌈3.805⌉ = 4 replicas → 4 × 730 + 1,000 = $3,920.
//    Break-even as in 1: 1,730,000.
scenario(
  'high volume: self-hosting wins',
  { candidates: [api('frontier', '', 10), self('selfhost', '')], traffic: { requests_per_month: 1e7 } },
  {
    winner: 'selfhost',
    runnerUp: 'frontier',
    monthlyUsd: 3_920,
    breakEven: { api: 'frontier', self: 'selfhost', volume: 1_730_000 },
  },
);

// 3. Break-even across replica steps. V = 10M, mid at $0.0005 a request → $5,000; selfhost $3,920.
//    3,920 × 1.1 = 4,312 < 5,000: no near tie → selfhost, runner-up mid.
//    Break-even, interval by interval (self = 1,000 + 730k on ((k−1)Q, kQ]):
//      k = 1: API ≤ 0.0005 × 2.628M = $1,314 < $1,730 → API cheaper throughout;
//      k = 2: self $2,460, API crosses it at 4.92M → self cheaper on (4.92M, 5.256M];
//      k = 3: at 5.256M⁺ self $3,190 > API $2,628 → the API is cheaper again; crosses at 6.38M;
//      k ≥ 4: at (k−1)Q⁺ API 1,314(k−1) > 1,000 + 730k ⇔ 584k > 2,314 ⇔ k ≥ 4 → stays.
//    Self-hosting stays cheaper from 3,190 ÷ 0.0005 = 6,380,000 (first cheaper at 4.92M).
scenario(
  'break-even across replica steps',
  { candidates: [api('mid', '', 5), self('selfhost', '')], traffic: { requests_per_month: 1e7 } },
  {
    winner: 'selfhost',
    runnerUp: 'mid',
    monthlyUsd: 3_920,
    breakEven: { api: 'mid', self: 'selfhost', volume: 6_380_000 },
  },
);

// 4. Near tie in cost. V = 7M: mid 7M × 0.0005 = $3,500; selfhost ⌈7 ÷ 2.628⌉ = ⌈2.664⌉ = 3 replicas
//    → 2,190 + 1,000 = $3,190. 3,500 ÷ 3,190 = 1.097: within 10% of the cheapest, so the simpler
//    operation (an API) wins at $3,500; runner-up selfhost. Break-even as in 3: 6.38M.
scenario(
  'near tie in cost: the API within 10% wins',
  { candidates: [api('mid', '', 5), self('selfhost', '')], traffic: { requests_per_month: 7e6 } },
  {
    winner: 'mid',
    runnerUp: 'selfhost',
    monthlyUsd: 3_500,
    breakEven: { api: 'mid', self: 'selfhost', volume: 6_380_000 },
  },
);

// 5. Near tie, rented against owned. V = 1M, no on_prem. rented ($1/h): $1,730. owned: capex
//    $19,800 ÷ 36 months = $550 + $100 hosting + 0 power (usd_per_kwh 0) + $1,000 = $1,650.
//    frontier: $3,000 (p = 30). 1,730 ÷ 1,650 = 1.048: within 10% → rented GPUs, the simpler
//    operation, win at $1,730; runner-up owned ($1,650, the next cheapest of another candidate).
scenario(
  'near tie in cost: rented GPUs within 10% of owned ones win',
  {
    candidates: [api('frontier', '', 30), self('rented', ''), self('owned', '', { hosting: 'owned' })],
    traffic: { requests_per_month: 1e6 },
    operations: operations({
      owned_hardware: {
        capex_usd_per_gpu: 19_800,
        amortisation_months: 36,
        pue: 1,
        usd_per_kwh: 0,
        hosting_usd_per_gpu_month: 100,
      },
    }),
  },
  { winner: 'rented', runnerUp: 'owned', monthlyUsd: 1_730 },
);

// 6. Quality floor 0.95. V = 1M. cheap (w10: wrong on n = 0, 10, 20, 30 → 36/40 = 90%) is below the
//    floor before cost is looked at, though it would cost $100. mid and frontier: 40/40, non-inferior
//    to each other. mid $500 < frontier $1,000 (not within 10%) → mid; runner-up frontier.
scenario(
  'quality floor: the cheapest drops below it',
  {
    candidates: [api('frontier', '', 10), api('mid', '', 5), api('cheap', 'w10', 1)],
    traffic: { requests_per_month: 1e6 },
    quality: { floor: 0.95 },
  },
  { winner: 'mid', runnerUp: 'frontier', monthlyUsd: 500 },
);

// 7. Quality gate: significantly worse drops. V = 10M, no floor. selfhost answers right only on odd
//    n: 20/40; against the best (40/40) the difference −0.50 has 95% CI (−0.648, −0.328), wholly
//    below −0.10: inferior, out, though it would cost $3,920. mid $5,000, frontier $10,000 → mid.
scenario(
  'quality gate: a significantly worse candidate drops',
  {
    candidates: [api('frontier', '', 10), api('mid', '', 5), self('selfhost', 'w2')],
    traffic: { requests_per_month: 1e7 },
  },
  { winner: 'mid', runnerUp: 'frontier', monthlyUsd: 5_000 },
);

// 8. Near tie in quality. 100 cases, V = 1M. cheap is wrong on n = 0 only: 99/100 against 100/100;
//    −0.01, 95% CI (−0.0545, +0.0279): the lower bound is above −0.10, so non-inferior, and cost
//    decides: cheap $100 against frontier $1,000 → cheap; runner-up frontier.
scenario(
  'near tie in quality: a candidate one case worse but non-inferior wins on cost',
  {
    cases: 100,
    candidates: [api('frontier', '', 10), api('cheap', 'f1', 1)],
    traffic: { requests_per_month: 1e6 },
  },
  { winner: 'cheap', runnerUp: 'frontier', monthlyUsd: 100 },
);

// 9. Latency objective, streamed. decision.max_ttft_p90_ms 2,000. cheap waits 3,000 ms before its
//    first byte (s3000): its TTFT p90 ≥ 3,000 ms > 2,000 → out. frontier and mid answer at once (well
//    under a second even on a loaded two-core box; the wide bounds keep it so). mid $500 < frontier $1,000 → mid.
scenario(
  'latency objective: a streamed candidate over the TTFT bound drops',
  {
    candidates: [
      api('frontier', '', 10, { stream: true }),
      api('mid', '', 5, { stream: true }),
      api('cheap', 's3000', 1, { stream: true }),
    ],
    traffic: { requests_per_month: 1e6 },
    decision: { max_ttft_p90_ms: 2000 },
  },
  { winner: 'mid', runnerUp: 'frontier', monthlyUsd: 500 },
);

// 10. Latency objective without streaming. max_ttft_p90_ms 2,000. cheap is fast but not streamed
//     (stream: false): no TTFT is measured, so it cannot show it meets the bound and fails closed.
//     mid $500 → mid; runner-up frontier.
scenario(
  'latency objective: a candidate with no TTFT measured (stream: false) fails it',
  {
    candidates: [
      api('frontier', '', 10, { stream: true }),
      api('mid', '', 5, { stream: true }),
      api('cheap', '', 1, { stream: false }),
    ],
    traffic: { requests_per_month: 1e6 },
    decision: { max_ttft_p90_ms: 2000 },
  },
  { winner: 'mid', runnerUp: 'frontier', monthlyUsd: 500 },
);

// 11. End-to-end objective, not streamed. max_e2e_p90_ms 2,000. cheap (stream: false, s3000) takes
//     ≥ 3,000 ms end to end → out; frontier and mid (not streamed either) are fast. mid $500.
scenario(
  'latency objective: end to end, measured without streaming',
  {
    candidates: [
      api('frontier', '', 10, { stream: false }),
      api('mid', '', 5, { stream: false }),
      api('cheap', 's3000', 1, { stream: false }),
    ],
    traffic: { requests_per_month: 1e6 },
    decision: { max_e2e_p90_ms: 2000 },
  },
  { winner: 'mid', runnerUp: 'frontier', monthlyUsd: 500 },
);

// 12. Hourly traffic profile: 12 quiet hours (weight 1) and 12 busy ones (weight 3), mean weight 2.
//     V = 10M → mean 10M ÷ 2.628M s = 3.805 req/s; quiet hours 1.903 → 2 replicas, busy 5.708 → 6;
//     rented GPUs follow the hours: mean 4 replicas → 4 × 730 + 1,000 = $3,920; frontier $10,000.
//     Break-even (a number, not NaN): busy hours need 1 replica up to V × 1.5 ÷ Q ≤ 1 → 1.752M,
//     quiet ones up to 5.256M. Up to 1.752M self = $1,730 → first cheaper at 1.73M; on
//     (1.752M, 3.504M] the mean is (12 × 1 + 12 × 2) ÷ 24 = 1.5 replicas → $2,095 > API $1,752
//     just past 1.752M, crossing again at 2.095M; on (3.504M, 5.256M] 2 replicas → $2,460 < API
//     $3,504, and later steps add $365 per 1.752M against the API's $1,752: it stays. → 2,095,000.
scenario(
  'hourly traffic profile: replicas follow the hours; break-even is a number',
  {
    candidates: [api('frontier', '', 10), self('selfhost', '')],
    traffic: { requests_per_month: 1e7, hourly_profile: [...Array(12).fill(1), ...Array(12).fill(3)] },
  },
  {
    winner: 'selfhost',
    runnerUp: 'frontier',
    monthlyUsd: 3_920,
    breakEven: { api: 'frontier', self: 'selfhost', volume: 2_095_000 },
  },
);

// 12b. The docs' own hourly profile (docs/workload.md): [1×6, 2, 3, 4×8, 3, 3, 2, 2, 2, 1×3], sum 58,
//     mean 58 ÷ 24; an hour of weight w carries V ÷ Q × 12w ÷ 29 replicas' worth of traffic.
//     V = 10M (V ÷ Q = 3.8052): w = 1 → 1.575 → 2 replicas (9 hours); w = 2 → 3.149 → 4 (4 hours);
//     w = 3 → 4.724 → 5 (3 hours); w = 4 → 6.298 → 7 (8 hours): mean (18 + 16 + 15 + 56) ÷ 24 =
//     4.375 replicas → 4.375 × 730 + 1,000 = $4,193.75; frontier $10,000.
//     Break-even: every hour needs 1 replica while V × 48 ÷ 29 ≤ Q, V ≤ 1.5878M: self $1,730 > API
//     there. On (1.5878M, 2.117M] the 8 hours of weight 4 need 2: mean 32 ÷ 24 → $1,973.33, which
//     the API reaches at 1,973,333; self-hosting then adds $730 per Q of volume on average against
//     the API's $2,628, and each step is smaller than the API's rise since the last: it stays.
scenario(
  "hourly traffic profile: the docs' example, break-even a number",
  {
    candidates: [api('frontier', '', 10), self('selfhost', '')],
    traffic: {
      requests_per_month: 1e7,
      hourly_profile: [1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1],
    },
  },
  {
    winner: 'selfhost',
    runnerUp: 'frontier',
    monthlyUsd: 4_193.75,
    breakEven: { api: 'frontier', self: 'selfhost', volume: 1_973_333 },
  },
);

// 13. A split that helps. Graders is-json + equals, floor 0.95, V = 1M. cheap (j10) answers plain
//     text on n = 0, 10, 20, 30: 36/40 = 90% < floor → out alone. Its router signal (is-json needs no
//     expected answer) flags exactly those 4 → 10% escalate to strong (40/40), which answers them:
//     routed 40/40 = 100% ≥ floor, the same outcome on every case as strong → non-inferior.
//     Cost a request: cheap $0.0001 on every request + strong $0.001 on 10% = $0.0002 → $200 a month
//     < strong's $1,000. The split is the pick; the former pick strong the runner-up.
scenario(
  'split that helps: cheap first, is-json escalates to strong',
  {
    candidates: [api('strong', '', 10), api('cheap', 'j10', 1)],
    traffic: { requests_per_month: 1e6 },
    quality: { floor: 0.95 },
  },
  { winner: 'cheap→strong', runnerUp: 'strong', monthlyUsd: 200 },
  (run) => {
    const h = run.report.decision.hybrid;
    const out: string[] = [];
    if (!h) return ['no decision.hybrid'];
    if (Math.abs(h.router.escalated - 0.1) > 1e-9)
      out.push(`router escalates ${h.router.escalated}, not 0.1`);
    if (h.router.passRate !== 1) out.push(`routed pass rate ${h.router.passRate}, not 1`);
    return out;
  },
);

// 14. A split that escalates nothing. Graders: equals only (no reference-free grader: no router
//     signal), floor 0.95, V = 1M. cheap (w10) 36/40 = 90% < floor → out; a "split" escalating 0% is
//     cheap alone, so no option. mid $500 (40/40) < strong $1,000 → mid; runner-up strong.
scenario(
  'split that escalates nothing is no option',
  {
    graders: ['equals'],
    candidates: [api('strong', '', 10), api('mid', '', 5), api('cheap', 'w10', 1)],
    traffic: { requests_per_month: 1e6 },
    quality: { floor: 0.95 },
  },
  { winner: 'mid', runnerUp: 'strong', monthlyUsd: 500 },
  noSplitOption,
);

// 15. A split below the floor. is-json + equals, floor 0.95, V = 1M. cheap: plain text on n = 0, 10,
//     20, 30 and a wrong JSON answer on n = 5, 15, 25, 35 → 32/40. The router escalates the 4 plain
//     answers (10%) → routed 36/40 = 90% < 0.95: no option, though it would cost
//     $0.0001 + 10% × $0.0005 = $0.00015 → $150 behind mid. mid $500 → mid; runner-up strong.
scenario(
  'split below the floor is no option',
  {
    candidates: [api('strong', '', 10), api('mid', '', 5), api('cheap', 'j10.w10@5', 1)],
    traffic: { requests_per_month: 1e6 },
    quality: { floor: 0.95 },
  },
  { winner: 'mid', runnerUp: 'strong', monthlyUsd: 500 },
  noSplitOption,
);

// 16. A split that fails the paired test. is-json + equals, no floor, V = 1M. cheap is wrong (valid
//     JSON) on every even n and plain text on n = 5, 15, 25, 35: 16/40, inferior alone. The router
//     escalates the 4 plain answers (10%), which strong answers: routed 20/40 against 40/40, −0.50,
//     95% CI (−0.648, −0.328): not non-inferior, so no option though it would cost at most
//     $0.0001 + 10% × $0.001 = $0.0002 → $200. mid $500 → mid; runner-up strong.
scenario(
  'split that fails the paired test is no option',
  {
    candidates: [api('strong', '', 10), api('mid', '', 5), api('cheap', 'w2.j10@5', 1)],
    traffic: { requests_per_month: 1e6 },
  },
  { winner: 'mid', runnerUp: 'strong', monthlyUsd: 500 },
  noSplitOption,
);

// 17. Undecided. 20 cases, margin 0.05, V = 1M. frontier and cheap both 20/20: difference 0 with
//     95% CI (−0.161, +0.161): the lower bound is below −0.05 and the upper above it, so cheap is
//     neither shown non-inferior nor inferior → no winner; the provisional pick among those not told
//     apart is the cheapest: cheap at $100 (frontier $1,000).
//     Cases the question asked needs (non-inferiority at 0.05, not detection of a difference):
//     Connor's McNemar formula with δ = observed difference + margin = 0 + 0.05 and the discordant
//     share ψ = max(observed 0, δ) = 0.05: n = (1.960 √0.05 + 0.8416 √(0.05 − 0.0025))² ÷ 0.05²
//     = (0.43827 + 0.18342)² ÷ 0.0025 = 0.38650 ÷ 0.0025 = 154.6 → 155 cases per candidate.
scenario(
  'undecided: too few cases, a provisional pick',
  {
    cases: 20,
    candidates: [api('frontier', '', 10), api('cheap', '', 1)],
    traffic: { requests_per_month: 1e6 },
    quality: { non_inferiority_margin: 0.05 },
  },
  { winner: null, runnerUp: null, provisional: 'cheap', monthlyUsd: 100 },
  (run) => {
    const needed = run.report.decision.provisional?.casesNeeded;
    return needed === 155 ? [] : [`provisional.casesNeeded: expected 155, got ${needed}`];
  },
);
