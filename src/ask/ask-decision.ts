// `verdict ask`: a question about a stored decision, answered from its facts only. "What if" questions
// on volume, a candidate's price or the margin are answered by deciding again with the changed input — never by a model;
// other questions go to a model with the retrieved facts, and an answer that cites no fact, or a fact
// that was not retrieved, is refused and the facts are shown instead.
import { gpuOffer, gpuOffers } from '../cost/catalogue/gpu-prices.ts';
import { candidateTokenPrice } from '../cost/token-prices.ts';
import { outsidePremises } from '../providers/endpoint-location.ts';
import { createProvider } from '../providers/registry.ts';
import { decideRun } from '../report/decide-run.ts';
import { buildQualityReport } from '../report/quality.ts';
import { runEvidence } from '../report/run-evidence.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { decisionFacts, type Fact, retrieveFacts } from './decision-facts.ts';

export type WhatIf =
  | { kind: 'volume'; requestsPerMonth: number }
  | { kind: 'margin'; margin: number }
  /** A candidate's price (its token prices, or its GPU-hour price when self-hosted) times `factor`. */
  | { kind: 'price'; candidateId: string; factor: number };

export type AskAnswer =
  | {
      kind: 'what-if';
      change: WhatIf;
      before: { winner: string | null; requestsPerMonth?: number; margin: number };
      after: { winner: string | null; runnerUp: string | null; monthlyUsd?: number };
      facts: Fact[];
    }
  | { kind: 'answer'; model: string; answer: string; cited: Fact[]; facts: Fact[] }
  | { kind: 'refused'; model: string; answer: string; reason: string; facts: Fact[] };

const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, b: 1e9, billion: 1e9 };
const FACTOR: Record<string, number> = {
  double: 2,
  doubled: 2,
  triple: 3,
  tripled: 3,
  quadruple: 4,
  halve: 0.5,
  halved: 0.5,
  half: 0.5,
};

/** "what if mid's price fell 40%", "…if frontier were twice as expensive": the candidate and the factor. */
function parsePriceChange(q: string, candidates: string[]): WhatIf | undefined {
  if (!/\b(price|prices|cost|costs|cheaper|dearer|expensive|pricier)\b/.test(q)) return undefined;
  const named = [...candidates]
    .sort((a, b) => b.length - a.length)
    .find((id) =>
      new RegExp(`(^|[^\\w.-])${id.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`).test(
        q,
      ),
    );
  if (!named) return undefined;
  const down =
    /\b(drops?|dropped|falls?|fell|cut|cuts|cheaper|lower|lowered|down|decreases?|decreased|less)\b/.test(q);
  const percent = /(\d+(?:\.\d+)?)\s*(%|percent)/.exec(q);
  let factor: number | undefined;
  if (percent) factor = down ? 1 - Number(percent[1]) / 100 : 1 + Number(percent[1]) / 100;
  else if (/\b(halved?|half)\b/.test(q)) factor = 0.5;
  else if (/\b(doubled?|twice)\b/.test(q)) factor = down ? 0.5 : 2;
  else {
    const times = /(\d+(?:\.\d+)?)\s*(x|×|times)\b/.exec(q);
    if (times) factor = down ? 1 / Number(times[1]) : Number(times[1]);
  }
  return factor !== undefined && factor > 0 ? { kind: 'price', candidateId: named, factor } : undefined;
}

/** The input a "what if" question changes, or undefined when the question is not one. */
export function parseWhatIf(
  question: string,
  current: { requestsPerMonth?: number; candidates?: string[] },
): WhatIf | undefined {
  let q = question.toLowerCase();
  while (/\d,\d{3}/.test(q)) q = q.replace(/(\d),(\d{3})/, '$1$2');
  if (!/\b(what if|if we|if the|if it|suppose|at)\b/.test(q) && !/^if\b/.test(q)) return undefined;
  const price = parsePriceChange(q, current.candidates ?? []);
  if (price) return price;
  const margin = /margin\D{0,20}?(\d+(?:\.\d+)?)\s*(%|points?|pp)?/.exec(q);
  if (margin) {
    const n = Number(margin[1]);
    return { kind: 'margin', margin: n >= 1 || margin[2] ? n / 100 : n };
  }
  if (!/\b(volume|requests?|traffic|calls?)\b/.test(q)) return undefined;
  const absolute = /(\d+(?:\.\d+)?)\s*(k|thousand|m|million|b|billion)?\s*(requests?|calls?)/.exec(q);
  if (absolute)
    return { kind: 'volume', requestsPerMonth: Number(absolute[1]) * (SCALE[absolute[2] ?? ''] ?? 1) };
  const word = /\b(double|doubled|triple|tripled|quadruple|halve|halved|half)\b/.exec(q);
  const times = /(\d+(?:\.\d+)?)\s*(x|×|times)\b/.exec(q);
  const factor = word ? FACTOR[word[1]!] : times ? Number(times[1]) : undefined;
  if (factor && current.requestsPerMonth)
    return { kind: 'volume', requestsPerMonth: current.requestsPerMonth * factor };
  return undefined;
}

/** Decides the run again with one input changed; stores nothing. */
async function answerWhatIf(store: Store, runId: string, change: WhatIf): Promise<AskAnswer> {
  const evidence = await runEvidence(store, runId);
  const before = await decideRun(store, runId, {}, evidence);
  const workload: Workload = structuredClone(evidence.workload);
  if (change.kind === 'volume') {
    if (!workload.traffic)
      throw new VerdictError(
        'WORKLOAD_INVALID',
        'the run’s workload has no traffic section, so there is no volume to change',
      );
    workload.traffic.requests_per_month = change.requestsPerMonth;
  } else if (change.kind === 'price') changePrice(workload, change);
  else workload.quality = { ...workload.quality, non_inferiority_margin: change.margin };
  const quality =
    change.kind === 'margin' ? await buildQualityReport(store, runId, workload) : evidence.quality;
  const after = await decideRun(store, runId, {}, { ...evidence, workload, quality });
  const winnerOption = after.decision.winnerOption ?? after.decision.winner;
  const monthly = after.cost?.options.find((o) => o.optionId === winnerOption)?.monthlyUsd;
  return {
    kind: 'what-if',
    change,
    before: {
      winner: before.decision.winner,
      ...(evidence.workload.traffic
        ? { requestsPerMonth: evidence.workload.traffic.requests_per_month }
        : {}),
      margin: evidence.quality.margin,
    },
    after: {
      winner: after.decision.winner,
      runnerUp: after.decision.runnerUp,
      ...(monthly !== undefined ? { monthlyUsd: monthly } : {}),
    },
    facts: decisionFacts(after, quality).slice(0, 6),
  };
}

/** Sets a candidate's price to its current one times the factor, as a workload override would. */
function changePrice(workload: Workload, change: { candidateId: string; factor: number }): void {
  const index = workload.candidates.findIndex((c) => c.id === change.candidateId);
  const candidate = workload.candidates[index]!;
  candidate.deployment ??= {};
  const d = candidate.deployment;
  const note = `what if: ×${change.factor} (verdict ask)`;
  if (d.gpu) {
    const offer = d.gpu.cloud ? gpuOffer(d.gpu.type, d.gpu.cloud) : gpuOffers(d.gpu.type)[0];
    const hourly = d.gpu.usdPerHour ?? offer?.onDemandPerGpuHour;
    if (hourly === undefined)
      throw new VerdictError(
        'USAGE',
        `${candidate.id} has no GPU price to change (set its gpu.usd_per_hour)`,
      );
    d.gpu = { ...d.gpu, usdPerHour: hourly * change.factor };
    return;
  }
  const found = candidateTokenPrice(candidate, index, d.route ? { providerId: d.route } : {});
  if (!found.ok)
    throw new VerdictError('USAGE', `${candidate.id} has no token price to change: ${found.reason}`);
  const p = found.price;
  const times = (x: number) => x * change.factor;
  d.price = {
    inputPerMTok: times(p.inputPerMTok),
    outputPerMTok: times(p.outputPerMTok),
    ...(p.cachedInputPerMTok === undefined ? {} : { cachedInputPerMTok: times(p.cachedInputPerMTok) }),
    ...(p.reasoningPerMTok === undefined ? {} : { reasoningPerMTok: times(p.reasoningPerMTok) }),
    note,
  };
}

/** The model that answers: a candidate of the run, the workload's judge, or a `provider:model` id. */
export function askModel(
  workload: Workload,
  choice: string | undefined,
  baseUrl: string | undefined,
): Candidate {
  if (choice === undefined || choice === 'judge') {
    if (workload.judge) return workload.judge;
    throw new VerdictError(
      'USAGE',
      'the workload names no judge: choose the model that answers with --model (a candidate id, or provider:model with --base-url)',
    );
  }
  const candidate = workload.candidates.find((c) => c.id === choice);
  if (candidate) return candidate;
  const match = /^([a-z][a-z0-9-]*):(.+)$/.exec(choice);
  if (!match)
    throw new VerdictError(
      'USAGE',
      `--model ${choice}: not a candidate of the run (${workload.candidates.map((c) => c.id).join(', ')}) nor a provider:model id`,
    );
  if (match[1] === 'openai-compatible' && !baseUrl)
    throw new VerdictError('USAGE', `--model ${choice}: an openai-compatible model needs --base-url`);
  return {
    id: 'ask',
    model: choice,
    provider: match[1]!,
    modelName: match[2]!,
    ...(baseUrl ? { baseUrl } : {}),
    params: { temperature: 0, max_tokens: 400 },
  };
}

const CITATION = /\[(F\d+)\]/g;

/** Whether an answer cites retrieved facts only, and at least one. */
export function checkCitations(answer: string, facts: Fact[]): { cited: Fact[] } | { reason: string } {
  const ids = [...new Set([...answer.matchAll(CITATION)].map((m) => m[1]!))];
  if (ids.length === 0) return { reason: 'the answer cites no fact' };
  const unknown = ids.filter((id) => !facts.some((fact) => fact.id === id));
  if (unknown.length > 0)
    return {
      reason: `the answer cites ${unknown.join(', ')}, which ${unknown.length === 1 ? 'was' : 'were'} not among the facts given`,
    };
  return { cited: ids.map((id) => facts.find((fact) => fact.id === id)!) };
}

export function askPrompt(question: string, facts: Fact[]): string {
  return [
    'Answer the question about a model-deployment decision using ONLY the facts below.',
    'After every claim, cite the fact it rests on by its id in square brackets, like [F3].',
    'If the facts do not answer the question, say so in one sentence and cite the closest fact.',
    '',
    'Facts:',
    ...facts.map((fact) => `[${fact.id}] ${fact.text}`),
    '',
    `Question: ${question}`,
  ].join('\n');
}

/** Answers a question about a stored run's decision. */
export async function askDecision(
  store: Store,
  runId: string,
  question: string,
  options: {
    model?: string;
    baseUrl?: string;
    env: NodeJS.ProcessEnv;
    /** Where relative model paths (an embedded model) resolve from. */
    baseDir: string;
    signal?: AbortSignal;
    limit?: number;
  },
): Promise<AskAnswer> {
  const evidence = await runEvidence(store, runId);
  const change = parseWhatIf(question, {
    ...(evidence.workload.traffic ? { requestsPerMonth: evidence.workload.traffic.requests_per_month } : {}),
    candidates: evidence.workload.candidates.map((c) => c.id),
  });
  if (change) return answerWhatIf(store, runId, change);
  const record = (await store.latestDecision(runId)) ?? (await decideRun(store, runId, {}, evidence));
  const facts = retrieveFacts(decisionFacts(record, evidence.quality), question, options.limit);
  const model = askModel(evidence.workload, options.model, options.baseUrl);
  // Under on_prem the facts (drawn from the cases' outcomes) stay on the premises: refused before any call.
  const outside = evidence.workload.constraints.on_prem ? outsidePremises(model) : undefined;
  if (outside)
    throw new VerdictError(
      'USAGE',
      `constraints.on_prem: ${outside}, outside the premises, so it is not asked; choose a model on the premises with --model`,
    );
  const provider = await createProvider(model, { env: options.env, baseDir: options.baseDir });
  try {
    const generation = await provider.generate(
      {
        messages: [{ role: 'user', content: askPrompt(question, facts) }],
        params: { temperature: 0, max_tokens: 400, ...model.params },
      },
      options.signal ? { signal: options.signal } : {},
    );
    const answer = generation.text.trim();
    const checked = checkCitations(answer, facts);
    if ('reason' in checked)
      return { kind: 'refused', model: model.model, answer, reason: checked.reason, facts };
    return { kind: 'answer', model: model.model, answer, cited: checked.cited, facts };
  } finally {
    await provider.close?.();
  }
}
