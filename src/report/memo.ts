// The memo: what a CTO reads first, picked out of the stored decision and its cost section. It
// selects and words; it decides nothing (DESIGN §5): every sentence is the decision's own, and every
// figure is read from `report.decision` and `report.cost`. Terminal, Markdown, HTML and the dashboard
// draw this one object first and fold everything else below it, where each fact is said once.
import type { Decision, Report, ReportCost, ReportCostOption } from '../spec/decision.ts';

export interface MemoCost {
  /** The option the line prices (the pick's route, or the runner-up's). */
  optionId: string;
  role: 'pick' | 'runner-up';
  monthlyUsd: number;
  costPerRequestUsd: number;
  family: string;
  replicas?: number;
}

export interface Memo {
  /** `pick` names a winner; `provisional` a pick among candidates not yet told apart; `none` neither. */
  kind: 'pick' | 'provisional' | 'none';
  pick: string | null;
  /** The priced route of the pick when it differs from the candidate's id. */
  pickRoute: string | null;
  runnerUp: string | null;
  runnerUpRoute: string | null;
  /** Up to three reasons, those carrying figures first, in the decision's order. */
  reasons: string[];
  /** The decision's other reasons (shown folded). */
  otherReasons: string[];
  /** Requests a month the costs are at, and the price date, when priced. */
  volume: number | null;
  priceDate: string | null;
  usageSource: ReportCost['usageSource'] | null;
  costs: MemoCost[];
  /** Why the pick has no cost line, when it has none (the decision's or the cost section's sentence). */
  costMissing: string | null;
  /** What would change the pick: up to three; the rest folded. */
  flips: string[];
  otherFlips: number;
  reevaluate: Decision['reevaluate'] | null;
  /** Caveats the reader must see: up to three; the rest folded. */
  caveats: string[];
  otherCaveats: string[];
  /** The provisional pick's sentence (cases needed, and what they cost). */
  provisional: string | null;
}

// A figure the reader can weigh: money, a share, a count of passes, cases, points, requests, time.
const FIGURE =
  /\$\d|\d%|\d\/\d|≈\d|\d[\d,.]*\s?(?:requests|cases|points|ms|s\b|replicas?|GPUs?|tokens|months?|hours?|[kMB]\b)/;

/** Picks at most `n` items, those with a figure first, keeping the decision's order within each group. */
function withFiguresFirst(items: string[], n: number): { shown: string[]; rest: string[] } {
  const ranked = [...items.filter((i) => FIGURE.test(i)), ...items.filter((i) => !FIGURE.test(i))];
  const shown = ranked.slice(0, n);
  return { shown: items.filter((i) => shown.includes(i)), rest: items.filter((i) => !shown.includes(i)) };
}

/** The cost option that prices a candidate or route: its exact option first, else the candidate's own. */
export function optionOf(
  cost: ReportCost | undefined,
  id: string | null | undefined,
): ReportCostOption | undefined {
  if (!cost || !id) return undefined;
  return (
    cost.options.find((o) => o.optionId === id) ??
    cost.options.find((o) => (o.candidateId ?? o.optionId) === id && !o.status)
  );
}

/** The memo of a report: its first screen in every format. */
export function memoOf(report: Pick<Report, 'decision' | 'cost' | 'quality'>): Memo {
  const { decision, cost } = report;
  const provisional = decision.provisional;
  const kind = decision.winner ? 'pick' : provisional ? 'provisional' : 'none';
  const pick = decision.winner ?? provisional?.winner ?? null;
  const pickOption = decision.winner ? decision.winnerOption : provisional?.winnerOption;
  const runnerUp = decision.winner ? decision.runnerUp : (provisional?.runnerUp ?? null);
  const runnerUpOption = decision.winner ? decision.runnerUpOption : undefined;
  // The provisional pick's sentence is said beside the pick, not again among the reasons.
  const reasons = withFiguresFirst(
    decision.reasons.filter((r) => r !== provisional?.sentence),
    3,
  );
  // Folded reasons say each fact once: a quality comparison is in the quality section, an unpriced
  // candidate in the cost section; a reason that quotes one keeps only its own words.
  const quoted = report.quality?.sentences ?? [];
  const otherReasons = reasons.rest
    .filter((r) => !(cost?.unpriced ?? []).includes(r) && !quoted.includes(r))
    .map((r) => quoted.reduce((text, q) => (text.includes(q) ? text.replace(q, '').trim() : text), r));
  const costs: MemoCost[] = [];
  const line = (role: MemoCost['role'], id: string | null, route: string | undefined) => {
    const option = optionOf(cost, route ?? id);
    if (option)
      costs.push({
        optionId: option.optionId,
        role,
        monthlyUsd: option.monthlyUsd,
        costPerRequestUsd: option.costPerRequestUsd,
        family: option.family,
        ...(option.replicas !== undefined ? { replicas: option.replicas } : {}),
      });
    else if (role === 'pick' && id && decision.hybrid && decision.hybrid.id === id)
      costs.push({
        optionId: id,
        role,
        monthlyUsd: decision.hybrid.router.monthlyUsd,
        costPerRequestUsd: cost ? decision.hybrid.router.monthlyUsd / cost.requestsPerMonth : Number.NaN,
        family: 'hybrid',
      });
  };
  line('pick', pick, pickOption);
  line('runner-up', runnerUp, runnerUpOption);
  let costMissing: string | null = null;
  if (pick && !costs.some((c) => c.role === 'pick')) {
    const said =
      cost?.unpriced?.find((u) => u.startsWith(`${pick} `)) ??
      decision.reasons.find((r) => r.startsWith(`${pick} cannot be priced`));
    costMissing =
      said ??
      (cost
        ? `${pick} has no cost at this volume.`
        : 'No cost section: the workload declares no traffic.requests_per_month, or the run was priced by none of verdict’s catalogues.');
  }
  const flips = decision.flips ?? [];
  // Caveats keep the decision's order: the ones about the run itself (stand-ins, noise) come first.
  const caveats = { shown: decision.caveats.slice(0, 3), rest: decision.caveats.slice(3) };
  return {
    kind,
    pick,
    pickRoute: pickOption && pickOption !== pick ? pickOption : null,
    runnerUp,
    runnerUpRoute: runnerUpOption && runnerUpOption !== runnerUp ? runnerUpOption : null,
    reasons: reasons.shown,
    otherReasons,
    volume: cost ? cost.requestsPerMonth : null,
    priceDate: cost?.priceDate ?? null,
    usageSource: cost?.usageSource ?? null,
    costs,
    costMissing,
    flips: flips.slice(0, 3),
    otherFlips: Math.max(0, flips.length - 3),
    reevaluate: decision.reevaluate ?? null,
    caveats: caveats.shown,
    otherCaveats: caveats.rest,
    provisional: provisional?.sentence ?? null,
  };
}

/** `n thing` or `n things`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  // Small whole numbers need no grouping, and the first toLocaleString of a process loads ICU's
  // number data (≈24 ms on a 2-core machine: a tenth of `verdict validate`'s start-up, bench/startup.ts).
  const count = Number.isInteger(n) && Math.abs(n) < 1000 ? String(n) : n.toLocaleString('en-US');
  return `${count} ${n === 1 ? one : many}`;
}

/** Dollars as the memo says them: whole dollars from $100, cents below, two significant figures under a cent. */
export function memoUsd(amount: number): string {
  if (!Number.isFinite(amount)) return '–';
  if (Math.abs(amount) >= 100) return `$${Math.round(amount).toLocaleString('en-US')}`;
  if (Math.abs(amount) >= 0.01) return `$${amount.toFixed(2)}`;
  return `$${Number(amount.toPrecision(2))}`;
}

/** Requests a month, short: 3M, 20.2M, 450k. */
export function memoVolume(v: number): string {
  for (const [size, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (v >= size) return `${Number((v / size).toPrecision(3))}${suffix}`;
  return String(Math.round(v));
}

/** The pick after `Decision:` — `X via route`, `none yet · provisional pick X`, or `none`. */
export function memoPick(memo: Memo): string {
  const via = memo.pickRoute ? ` via ${memo.pickRoute}` : '';
  if (memo.kind === 'pick') return `${memo.pick}${via}`;
  if (memo.kind === 'provisional') return `none yet · provisional pick ${memo.pick}${via}`;
  return 'none';
}

/** The runner-up after `Runner-up:` — `Y via route`, or `none` when there is a pick without one; null without a pick. */
export function memoRunnerUp(memo: Memo): string | null {
  const via = memo.runnerUpRoute ? ` via ${memo.runnerUpRoute}` : '';
  if (memo.kind === 'provisional')
    return memo.runnerUp ? `none yet · provisional runner-up ${memo.runnerUp}` : null;
  if (memo.runnerUp) return `${memo.runnerUp}${via}`;
  return memo.kind === 'none' ? null : 'none';
}

/** One sentence per cost line: `stand-in via x: $1,350 a month ($0.00045 a request)`. */
export function memoCostLines(memo: Memo): string[] {
  return memo.costs.map(
    (c) =>
      `${c.role === 'pick' ? 'Pick' : 'Runner-up'} ${c.optionId}: ${memoUsd(c.monthlyUsd)} a month (${memoUsd(c.costPerRequestUsd)} a request${c.replicas !== undefined ? `, ${plural(c.replicas, 'replica')}` : ''})`,
  );
}

/** `at 3M requests a month · prices as of … · tokens measured by the run`. */
export function memoCostBasis(memo: Memo): string | null {
  if (memo.volume === null) return null;
  const usage =
    memo.usageSource === 'measured'
      ? 'tokens measured by the run'
      : memo.usageSource === 'declared'
        ? 'tokens per request as declared (estimates)'
        : memo.usageSource === 'estimated'
          ? 'tokens per request estimated from the cases'
          : null;
  return [
    `at ${Math.round(memo.volume).toLocaleString('en-US')} requests a month`,
    memo.priceDate ? `prices as of ${memo.priceDate}` : null,
    usage,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `Look again by DATE, or sooner if: a; b; c.` */
export function memoReevaluate(memo: Memo): string | null {
  if (!memo.reevaluate) return null;
  const triggers = memo.reevaluate.triggers.map((t) => t.replace(/\.$/, ''));
  return `Look again by ${memo.reevaluate.date}${triggers.length ? `, or sooner if: ${triggers.join('; ')}` : ''}.`;
}
