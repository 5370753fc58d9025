// The rules a good first guess follows, as one pure function from `verdict init`'s answers to a
// starter plan: open weights for data sovereignty, high volume and fine-tuning on own data; a
// frontier API for capability, low volume and managed simplicity; the operations burden of
// self-hosting always priced. Each candidate carries the rule that put it in, and each family left
// out the rule that kept it out, so the "before any run" note can say why.
import { findGpu } from '../cost/index.ts';
import type { InitAnswers } from './init-answers.ts';

/**
 * Tokens a month from which self-hosting is worth measuring without another reason: about where one
 * rented replica pair plus the default 52 operations hours (≈ $7k a month) meets a mid-priced API
 * bill (≈ $2–10 per million tokens). Below it the cost step shows the break-even anyway.
 */
export const HIGH_VOLUME_TOKENS_PER_MONTH = 1_000_000_000;

/** verdict's default operations hours a month (docs/decision.md), split by activity. */
const DEFAULT_HOURS = { infrastructure: 16, monitoring: 8, updates: 8, security: 4, on_call: 16 };

export type StarterFamily = 'frontier API' | 'open weights, managed API' | 'open weights, self-hosted';

/** One candidate of the starter: its YAML entry, its family and the rule that put it in. */
export interface StarterCandidate {
  entry: Record<string, unknown>;
  family: StarterFamily;
  rule: string;
}

export interface StarterPlan {
  answers: InitAnswers;
  tokensPerMonth: number;
  candidates: StarterCandidate[];
  /** Families (or models) left out, each with the rule that left it out. */
  leftOut: Array<{ what: string; rule: string }>;
  /** How the operations burden is priced, in a sentence. */
  operations: string;
  /** What the first run must measure, in order. */
  measure: string[];
  /** The workload file's sections beside the candidates. */
  workload: Record<string, unknown>;
}

interface OpenChoice {
  catalogueId: string;
  name: string;
  repo: string;
  together: string;
  gpu: string;
  quantisation: 'bf16' | 'fp8';
}

const OPEN_SMALL: OpenChoice = {
  catalogueId: 'llama-3.1-8b',
  name: 'Llama 3.1 8B',
  repo: 'meta-llama/Llama-3.1-8B-Instruct',
  together: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
  gpu: 'l40s',
  quantisation: 'bf16',
};
const OPEN_LARGE: OpenChoice = {
  catalogueId: 'llama-3.3-70b',
  name: 'Llama 3.3 70B',
  repo: 'meta-llama/Llama-3.3-70B-Instruct',
  together: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  gpu: 'h100-sxm',
  quantisation: 'fp8',
};

const FRONTIER: Record<InitAnswers['difficulty'], Array<{ id: string; model: string }>> = {
  simple: [{ id: 'gpt-4o-mini', model: 'openai:gpt-4o-mini' }],
  moderate: [
    { id: 'gpt-4o-mini', model: 'openai:gpt-4o-mini' },
    { id: 'claude-haiku', model: 'anthropic:claude-3-5-haiku-latest' },
  ],
  hard: [
    { id: 'gpt-4o', model: 'openai:gpt-4o' },
    { id: 'claude-sonnet', model: 'anthropic:claude-sonnet-4-0' },
  ],
};

const count = (n: number) => n.toLocaleString('en-US');

/** The starter plan for a set of answers. */
export function starterPlan(answers: InitAnswers): StarterPlan {
  const a = answers;
  const tokensPerMonth = a.requests_per_month * (a.input_tokens + a.output_tokens);
  const highVolume = tokensPerMonth >= HIGH_VOLUME_TOKENS_PER_MONTH;
  const sovereignty = [
    ...(a.on_prem ? ['data may not leave the premises'] : []),
    ...(a.hipaa ? ['HIPAA'] : []),
    ...(a.residency !== 'any' ? [`${a.residency.toUpperCase()} residency`] : []),
  ];
  const open = a.difficulty === 'simple' ? OPEN_SMALL : OPEN_LARGE;
  const candidates: StarterCandidate[] = [];
  const leftOut: StarterPlan['leftOut'] = [];
  const volumeText = `${count(tokensPerMonth)} tokens a month (${count(a.requests_per_month)} requests × ${a.input_tokens + a.output_tokens} tokens)`;

  // Self-hosting: for sovereignty, high volume, fine-tuning, or GPUs already owned.
  const selfHostReasons = [
    ...(sovereignty.length > 0 ? [`data sovereignty (${sovereignty.join(', ')})`] : []),
    ...(highVolume ? [`high volume: ${volumeText}, at or above ${count(HIGH_VOLUME_TOKENS_PER_MONTH)}`] : []),
    ...(a.fine_tuning ? ['fine-tuning on your own data needs the weights'] : []),
    ...(a.hardware === 'owned' ? ['you own GPUs on the premises'] : []),
  ];
  const hosting = a.on_prem || a.hardware === 'owned' ? 'owned' : 'cloud';
  const gpu = a.gpu || open.gpu;
  const selfHosted = (choice: OpenChoice, rule: string): StarterCandidate => ({
    family: 'open weights, self-hosted',
    rule,
    entry: {
      id: `${choice.catalogueId.replace(/\./g, '-')}-self-hosted`,
      model: `openai-compatible:${choice.repo}`,
      // One endpoint per model: a placeholder port each, so they do not share rate limits.
      base_url: `http://127.0.0.1:${8000 + candidates.filter((c) => c.family === 'open weights, self-hosted').length}/v1`,
      temperature: 0,
      max_tokens: a.output_tokens * 2,
      serving: 'self-hosted',
      hosting,
      ...(a.residency !== 'any' ? { region: a.residency } : {}),
      open_model: choice.catalogueId,
      // Owned hardware is one GPU type with one capex figure; rented GPUs follow the model's size.
      gpu: {
        type: hosting === 'owned' ? gpu : a.gpu || choice.gpu,
        ...(hosting === 'cloud' && a.cloud ? { cloud: a.cloud } : {}),
      },
      quantisation: choice.quantisation,
    },
  });
  if (selfHostReasons.length > 0) {
    candidates.push(selfHosted(open, `open weights for ${selfHostReasons.join('; ')}`));
    // On the premises self-hosting is the only family: a second size gives the decision a choice
    // between quality and GPUs instead of a single option.
    if (a.on_prem) {
      const other = open === OPEN_SMALL ? OPEN_LARGE : OPEN_SMALL;
      candidates.push(
        selfHosted(
          other,
          `a ${other === OPEN_SMALL ? 'smaller' : 'larger'} open model beside ${open.name}: on the premises self-hosting is the only family, so the sizes compete on quality and GPUs`,
        ),
      );
    }
  } else {
    leftOut.push({
      what: 'self-hosting',
      rule: `no data sovereignty rule, no fine-tuning, no GPUs owned, and ${volumeText} is below ${count(HIGH_VOLUME_TOKENS_PER_MONTH)}: rented GPUs plus the operations hours would cost more than the API bill and add an on-call duty. "verdict cost --volume N" shows from which volume that changes.`,
    });
  }

  // Frontier APIs: for capability and managed simplicity, unless the data may not leave or the
  // weights must be fine-tuned.
  if (a.on_prem) {
    leftOut.push({
      what: 'frontier APIs',
      rule: 'the data may not leave the premises (constraints.on_prem), and every frontier API is outside them',
    });
  } else if (a.fine_tuning) {
    leftOut.push({
      what: 'frontier APIs',
      rule: 'fine-tuning on your own data needs the weights (constraints.fine_tuning), and closed models do not publish them',
    });
  } else {
    const why = [
      a.difficulty === 'hard'
        ? 'cutting-edge capability (the task is hard)'
        : 'managed simplicity: nothing to run',
      ...(highVolume ? [] : ['low volume: you pay per token, not for idle GPUs']),
    ];
    for (const frontier of FRONTIER[a.difficulty])
      candidates.push({
        family: 'frontier API',
        rule: `frontier API for ${why.join('; ')}${a.hipaa ? '; HIPAA: kept only with a signed BAA (set baa_signed: true once signed)' : ''}`,
        entry: {
          id: frontier.id,
          model: frontier.model,
          temperature: 0,
          max_tokens: a.output_tokens * 2,
          ...(a.hipaa ? { baa_signed: false } : {}),
          ...(a.residency !== 'any' ? { region: a.residency } : {}),
        },
      });
  }

  // The same open weights on a managed API: the open model without operations, for comparison.
  if (a.on_prem) {
    leftOut.push({
      what: 'open weights on a managed API',
      rule: 'a managed API is outside the premises (constraints.on_prem)',
    });
  } else {
    candidates.push({
      family: 'open weights, managed API',
      rule: `the same open weights on a managed API: ${open.name} without operations, to tell the model's quality from the serving's cost${a.fine_tuning ? '; fine-tuning: kept on condition that the host serves your fine-tuned weights' : ''}${a.hipaa ? '; HIPAA: kept only with a signed BAA with the host' : ''}`,
      entry: {
        id: `${open.catalogueId.replace(/\./g, '-')}-together`,
        model: `openai-compatible:${open.together}`,
        base_url: 'https://api.together.xyz/v1',
        api_key_env: 'TOGETHER_API_KEY',
        temperature: 0,
        max_tokens: a.output_tokens * 2,
        serving: 'api',
        route: 'together',
        open_model: open.catalogueId,
        ...(a.hipaa ? { baa_signed: false } : {}),
        ...(a.residency !== 'any' ? { region: a.residency } : {}),
      },
    });
  }

  // The operations burden is priced whether or not a self-hosted candidate is in: the cost step
  // prices the catalogue's self-hosting comparisons with it too.
  const hours = operationsHours(a);
  const operations = hours.stated
    ? `${a.gpu_team_hours} engineer-hours a month as you stated (${a.on_call ? 'on-call included' : 'no on-call: an outage waits for working hours'})${a.gpu_team_hours < 52 ? "; verdict's default is 52 h: check the hours against what running GPUs took elsewhere" : ''}`
    : "nobody on the team runs GPUs today: the hours are verdict's default 52 a month (infrastructure 16, monitoring 8, updates 8, security 4, on-call 16), priced as hires or contractors";
  const measure = [
    'quality on your own cases: replace the three example rows of cases.jsonl with real ones (a few hundred tell a 5-point difference apart; verdict says how many more it needs)',
    `tokens per request: ${a.input_tokens}/${a.output_tokens} are your estimate, the run measures them`,
    ...(a.latency_ms > 0
      ? [`latency: time to first token at the 90th percentile against your ${a.latency_ms} ms objective`]
      : []),
    ...(candidates.some((c) => c.family === 'open weights, self-hosted')
      ? [
          `capacity of one self-hosted replica on ${gpu}: "verdict load" on the endpoint replaces the roofline estimate the cost uses until then`,
        ]
      : []),
  ];
  const workload: Record<string, unknown> = {
    traffic: {
      requests_per_month: a.requests_per_month,
      peak_factor: 3,
      input_tokens_per_request: a.input_tokens,
      output_tokens_per_request: a.output_tokens,
    },
    constraints: {
      data_residency: a.residency,
      hipaa: a.hipaa,
      on_prem: a.on_prem,
      zero_retention: a.zero_retention,
      fine_tuning: a.fine_tuning,
    },
    operations: {
      ...(a.engineer_hourly_usd ? { engineer_hourly_usd: a.engineer_hourly_usd } : {}),
      hours_per_month: hours.hours,
      min_replicas: 2,
      ...(hosting === 'owned' && candidates.some((c) => c.family === 'open weights, self-hosted')
        ? { owned_hardware: { capex_usd_per_gpu: ownedCapex(gpu) } }
        : {}),
      ...(a.fine_tuning ? { fine_tuning: { one_off_usd: 5000, amortisation_months: 12 } } : {}),
    },
    ...(a.latency_ms > 0 ? { decision: { max_ttft_p90_ms: a.latency_ms } } : {}),
    quality: { floor: a.quality_floor, non_inferiority_margin: 0.05 },
  };
  return { answers: a, tokensPerMonth, candidates, leftOut, operations, measure, workload };
}

/** The GPU catalogue's capex estimate, written into the file so the team replaces it with a quote. */

function ownedCapex(gpu: string): number {
  return findGpu(gpu)?.capexUsdPerGpu ?? 30_000;
}

/** Operations hours a month: the team's stated hours split like verdict's defaults, else the defaults. */
function operationsHours(a: InitAnswers): { stated: boolean; hours: Record<string, number> } {
  if (a.gpu_team_hours <= 0) return { stated: false, hours: { ...DEFAULT_HOURS } };
  const shares = a.on_call ? DEFAULT_HOURS : { ...DEFAULT_HOURS, on_call: 0 };
  const total = Object.values(shares).reduce((sum, h) => sum + h, 0);
  const hours = Object.fromEntries(
    Object.entries(shares).map(([k, h]) => [k, Math.round(((a.gpu_team_hours * h) / total) * 10) / 10]),
  );
  return { stated: true, hours };
}
