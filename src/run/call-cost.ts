// What a call costs at the candidate's token prices (src/cost: the catalogue's, or the workload's
// own `price`, the one lookup the cost section uses), and what one is estimated to cost
// before it is made (for --dry-run and --max-cost). Self-hosted and embedded candidates are not
// billed per call: their cost is the hardware's, which the TCO prices.
import { apiCostPerRequest } from '../cost/api-cost.ts';
import { candidateTokenPrice } from '../cost/token-prices.ts';
import type { TokenPrice } from '../cost/types.ts';
import { servingOf } from '../providers/provider-table.ts';
import type { Usage } from '../spec/provider.ts';
import type { Candidate, ChatMessage, Workload } from '../spec/workload.ts';

export type CandidatePricing = { billed: true; price: TokenPrice } | { billed: false; reason: string };

/** The token price the calls of `workload.candidates[index]` are billed at, or why there is none. */
export function pricingFor(candidate: Candidate, index: number): CandidatePricing {
  const serving = candidate.deployment?.serving ?? servingOf(candidate.provider);
  if (serving !== 'api')
    return { billed: false, reason: `${serving ?? 'unknown'} serving is not billed per call` };
  const lookup = candidateTokenPrice(candidate, index);
  return lookup.ok ? { billed: true, price: lookup.price } : { billed: false, reason: lookup.reason };
}

/** USD for one call's usage; undefined when the candidate has no price. */
export function callCostUsd(usage: Usage, pricing: CandidatePricing): number | undefined {
  if (!pricing.billed) return undefined;
  return apiCostPerRequest(
    {
      input: usage.inputTokens,
      output: usage.outputTokens,
      ...(usage.cachedInputTokens === undefined ? {} : { cachedInput: usage.cachedInputTokens }),
    },
    pricing.price,
  ).total;
}

/** Input tokens estimated from characters (≈4 per token for English); labelled as an estimate wherever shown. */
export function estimateInputTokens(messages: readonly ChatMessage[]): number {
  let characters = 0;
  for (const message of messages) characters += message.content.length + 4;
  return Math.ceil(characters / 4);
}

/** Output tokens to expect before any are measured: the cap when set (an upper bound), else the workload's traffic figure, else 256. */
export function assumedOutputTokens(candidate: Candidate, workload: Pick<Workload, 'traffic'>): number {
  return candidate.params.max_tokens ?? workload.traffic?.output_tokens_per_request ?? 256;
}
