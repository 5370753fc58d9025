// `verdict run --dry-run`: how many calls a run would make and what they would cost, before any
// is made. Token counts are estimates (input from characters, output from the cap or the workload's
// traffic figure) and say so; calls the response cache already answers are counted apart.
import path from 'node:path';
import { describeProvenance } from '../cost/provenance.ts';
import type { Provenance, TokenUsage } from '../cost/types.ts';
import type { Case, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { readCases } from '../workload/read-cases.ts';
import { buildMessages } from './build-messages.ts';
import { cacheKey, originOf } from './cache-key.ts';
import { assumedOutputTokens, callCostUsd, estimateInputTokens, pricingFor } from './call-cost.ts';
import { candidatesKeptFromCases } from './premises.ts';

export interface CandidatePlan {
  candidateId: string;
  model: string;
  /** Results planned: cases × repeats. */
  results: number;
  /** Of those, answered from the response cache (no call). */
  cached: number;
  /** Calls to make: results − cached. */
  calls: number;
  /** Requests the token estimates cover: the calls, or every case × repeat of a candidate not called. */
  estimatedRequests: number;
  /** Why the candidate is not called at all (its endpoint is off the premises under on_prem). */
  notCalled?: string;
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  /** USD for the calls to make; undefined when the candidate is not billed per call or has no price. */
  estimatedCostUsd?: number;
  /** Where the price comes from (catalogue and date), or why there is none. */
  priceNote: string;
}

export interface RunPlan {
  cases: number;
  repeats: number;
  candidates: CandidatePlan[];
  estimatedCostUsd: number;
  /** How the estimates were made. */
  method: string;
}

const PAGE = 256;

/** Plans a run without calling any model; with a store, counts what the response cache already holds. */
export async function planRun(
  workload: Workload,
  options: { repeat?: number; store?: Store; cache?: boolean; cases?: AsyncIterable<Case> } = {},
): Promise<RunPlan> {
  const repeats = Math.max(1, Math.floor(options.repeat ?? 1));
  const notCalled = new Map(candidatesKeptFromCases(workload).map((n) => [n.candidateId, n.reason]));
  const plans = workload.candidates.map((candidate, index) => {
    const pricing = pricingFor(candidate, index);
    return {
      candidate,
      pricing,
      origin: originOf(candidate, workload.file),
      plan: {
        candidateId: candidate.id,
        model: candidate.model,
        results: 0,
        cached: 0,
        calls: 0,
        estimatedRequests: 0,
        ...(notCalled.has(candidate.id) ? { notCalled: notCalled.get(candidate.id) } : {}),
        estimatedInputTokens: 0,
        estimatedOutputTokens: 0,
        ...(pricing.billed ? { estimatedCostUsd: 0 } : {}),
        priceNote: pricing.billed
          ? `${pricing.price.inputPerMTok} / ${pricing.price.outputPerMTok} USD per million input / output tokens, ${pricing.price.provenance.kind === 'user' ? describeProvenance(pricing.price.provenance) : `as of ${pricing.price.priceDate}`}`
          : pricing.reason,
      } as CandidatePlan,
    };
  });
  let cases = 0;
  const useCache = options.store !== undefined && options.cache !== false;

  const account = async (page: Case[]) => {
    for (const { candidate, pricing, origin, plan } of plans) {
      const items = page.flatMap((testCase) => {
        const messages = buildMessages(workload.prompt, testCase);
        return Array.from({ length: repeats }, (_, repeat) => ({
          messages,
          key: cacheKey(candidate, origin, messages, repeat),
        }));
      });
      const hits =
        useCache && !plan.notCalled
          ? await options.store!.cachedGenerations(items.map((item) => item.key))
          : new Map();
      const output = assumedOutputTokens(candidate, workload);
      for (const item of items) {
        if (plan.notCalled) {
          // Not called, still priced: the tokens its requests would take.
          plan.estimatedRequests++;
          plan.estimatedInputTokens += estimateInputTokens(item.messages);
          plan.estimatedOutputTokens += output;
          continue;
        }
        plan.results++;
        if (hits.has(item.key)) {
          plan.cached++;
          continue;
        }
        const input = estimateInputTokens(item.messages);
        plan.calls++;
        plan.estimatedRequests++;
        plan.estimatedInputTokens += input;
        plan.estimatedOutputTokens += output;
        const cost = callCostUsd({ inputTokens: input, outputTokens: output, source: 'tokenizer' }, pricing);
        if (cost !== undefined) plan.estimatedCostUsd = (plan.estimatedCostUsd ?? 0) + cost;
      }
    }
  };

  let page: Case[] = [];
  for await (const testCase of options.cases ?? readCases(workload.cases, path.dirname(workload.file))) {
    cases++;
    page.push(testCase);
    if (page.length === PAGE) {
      await account(page);
      page = [];
    }
  }
  if (page.length > 0) await account(page);
  const candidates = plans.map(({ plan }) => plan);
  return {
    cases,
    repeats,
    candidates,
    estimatedCostUsd: candidates.reduce((sum, plan) => sum + (plan.estimatedCostUsd ?? 0), 0),
    method:
      'estimates: input tokens ≈ characters ÷ 4; output tokens = max_tokens, else traffic.output_tokens_per_request, else 256 per call; prices from candidates[].price in the workload where set, else @pydantic/genai-prices via src/cost; a case repeating the call of an earlier case in the run is counted as a call, though the run answers it from that call (an upper bound)',
  };
}

/** Tokens per request by candidate before any run: the traffic section's where it declares them, else the dry run's estimate over the cases. */
export async function estimatedTokensPerRequest(
  workload: Workload,
  cases?: AsyncIterable<Case>,
): Promise<{ cases: number; usage: Map<string, { usages: TokenUsage[]; provenance: Provenance }> }> {
  const plan = await planRun(workload, cases ? { cases } : {});
  const t = workload.traffic;
  const from = [
    t?.input_tokens_per_request === undefined
      ? 'input ≈ characters ÷ 4'
      : 'input from traffic.input_tokens_per_request',
    t?.output_tokens_per_request === undefined
      ? 'output = max_tokens (an upper bound), else 256'
      : 'output from traffic.output_tokens_per_request',
  ].join(', ');
  const provenance: Provenance = {
    kind: 'estimate',
    basis: `tokens per request estimated from the workload's ${plan.cases} cases: ${from}`,
  };
  const usage = new Map(
    plan.candidates.map((p) => [
      p.candidateId,
      {
        usages: [
          {
            input: t?.input_tokens_per_request ?? p.estimatedInputTokens / p.estimatedRequests,
            output: t?.output_tokens_per_request ?? p.estimatedOutputTokens / p.estimatedRequests,
          },
        ],
        provenance,
      },
    ]),
  );
  return { cases: plan.cases, usage };
}
