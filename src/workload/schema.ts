// The workload file's YAML shape (version 1), validated once at the edge. Strict toward the user's
// file: an unknown key is an error with a suggestion, never silently ignored.
import { z } from 'zod';
import { graderEntrySchema } from '../grade/grader-entry.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const chatMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

const casesFromFile = z.strictObject({
  file: z.string().min(1),
  format: z.enum(['jsonl', 'csv', 'yaml']).optional(),
  /** Template variable → field of each record. Without it, every field is a variable of the same name. */
  vars: z.record(z.string(), z.string()).optional(),
  expected: z.string().optional(),
  id: z.string().optional(),
  tags: z.string().optional(),
  /** Field holding each case's own graders (a list; a JSON string in CSV). */
  graders: z.string().optional(),
  /** Fields holding a labelled output and a person's verdict on it (pass/fail, true/false, 1/0). */
  human: z.strictObject({ output: z.string(), label: z.string() }).optional(),
});

const inlineCase = z.strictObject({
  id: z.union([z.string(), z.number()]).optional(),
  vars: z.record(z.string(), scalar),
  expected: scalar.optional(),
  tags: z.array(z.string()).optional(),
  /** Graders this case adds to the workload's. */
  graders: z.array(graderEntrySchema).optional(),
  /** A labelled output and a person's verdict on it: the judges grade it too, for judge–human agreement. */
  human: z
    .strictObject({ output: z.string(), label: z.union([z.enum(['pass', 'fail']), z.boolean()]) })
    .optional(),
});

/** `- equals: {...}`, `- contains: text`, a bare family name (`- is-json`), each with an optional `weight`. */
const graderEntry = graderEntrySchema;

/** Token prices in USD per million tokens (a workload's own figures, with a note of where they come from). */
const tokenPrice = z.strictObject({
  input_per_mtok: z.number().min(0).optional(),
  output_per_mtok: z.number().min(0).optional(),
  cached_input_per_mtok: z.number().min(0).optional(),
  cache_write_per_mtok: z.number().min(0).optional(),
  reasoning_per_mtok: z.number().min(0).optional(),
  note: z.string().optional(),
});

/** How a candidate would run in production, for cost and constraints (all optional: inferred when absent). */
const candidateCost = {
  /** api | self-hosted | embedded; inferred from the provider and base URL when absent. */
  serving: z.enum(['api', 'self-hosted', 'embedded']).optional(),
  /** Self-hosted: rented cloud GPUs or owned hardware on the premises. */
  hosting: z.enum(['cloud', 'owned']).optional(),
  /** API: who runs the endpoint (openai, anthropic, azure, bedrock, vertex, together, groq…). */
  route: z.string().min(1).optional(),
  /** Where the replicas or the API processing run: eu, us, or a cloud region name. */
  region: z.string().min(1).optional(),
  /** The open-weight catalogue id of the weights (e.g. llama-3.1-8b), when the model name does not say. */
  open_model: z.string().min(1).optional(),
  /** Token prices in USD per million tokens, overriding the catalogue's. */
  price: tokenPrice.optional(),
  /** HIPAA: a business associate agreement is signed with this candidate's API host. */
  baa_signed: z.boolean().optional(),
  /**
   * The same open weights on managed APIs (Together, DeepInfra, Bedrock…): always priced as a
   * comparison family; they enter the decision only with `decide: true`.
   */
  managed_routes: z
    .strictObject({
      /** Let the managed routes of these weights compete in the decision (default false: shown only). */
      decide: z.boolean().optional(),
      /** Hosts whose routes are left out entirely (e.g. [deepinfra, groq]). */
      exclude: z.array(z.string().min(1)).optional(),
      /** A negotiated price per host, replacing the catalogue's for that host's route. */
      prices: z.record(z.string().min(1), tokenPrice).optional(),
    })
    .optional(),
  /** Self-hosted: the GPU a replica runs on, from verdict's GPU catalogue (l40s, h100-sxm, a100-80gb…). */
  gpu: z
    .strictObject({
      type: z.string().min(1),
      /** GPUs per replica (tensor parallel); default: the fewest the model fits on. */
      count: z.int().positive().optional(),
      /** The cloud whose list price applies (aws, gcp, azure, lambda, modal, coreweave); default the cheapest. */
      cloud: z.string().min(1).optional(),
      /** Your own price per GPU-hour, overriding the catalogue's. */
      usd_per_hour: z.number().positive().optional(),
      /** Use the reserved (committed) price where the catalogue has one. */
      reserved: z.boolean().optional(),
    })
    .optional(),
  /** Self-hosted: weight quantisation (fp16, bf16, fp8, int8, int4); default the model's native precision. */
  quantisation: z.enum(['fp16', 'bf16', 'fp8', 'int8', 'int4']).optional(),
  /** Self-hosted: requests per second one replica sustains within the objective, measured elsewhere. */
  capacity_rps: z.number().positive().optional(),
};

const candidate = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'ids are letters, digits, ".", "_" or "-"'),
  model: z
    .string()
    .regex(/^[a-z][a-z0-9-]*:.+$/, 'a model id is "provider:model", e.g. "openai:gpt-4o-mini"'),
  label: z.string().optional(),
  // http(s) only: `javascript:` or `file:///etc/passwd` is a URL, and no endpoint.
  base_url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. MY_API_KEY')
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.int().positive().optional(),
  seed: z.int().optional(),
  top_p: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string()).max(4).optional(),
  threads: z.int().positive().optional(),
  context_size: z.int().positive().optional(),
  gpu_layers: z.union([z.int().min(0), z.literal('auto')]).optional(),
  stream: z.boolean().optional(),
  limits: z
    .strictObject({
      concurrency: z.int().positive().optional(),
      requests_per_minute: z.number().positive().optional(),
      tokens_per_minute: z.number().positive().optional(),
    })
    .optional(),
  ...candidateCost,
});

/** The judge of model-graded graders: a candidate id, a `provider:model` id, or a model of its own. */
const judge = z.union([z.string().min(1), candidate.partial({ id: true })]);

const traffic = z.strictObject({
  requests_per_month: z.number().positive(),
  peak_factor: z.number().min(1).default(1),
  input_tokens_per_request: z.int().positive().optional(),
  output_tokens_per_request: z.int().positive().optional(),
  /** Monthly active users, for licence terms with a user cap. */
  monthly_active_users: z.int().positive().optional(),
  /** 24 relative weights for the hours of a day; replicas follow them instead of the peak factor. */
  hourly_profile: z.array(z.number().min(0)).length(24).optional(),
  /** Requests can wait for a provider's batch interface (its discount applies). */
  batch: z.boolean().optional(),
  /** Share of input tokens served from the provider's prompt cache. */
  cached_input_share: z.number().min(0).max(1).optional(),
});

const constraints = z.strictObject({
  data_residency: z.enum(['any', 'eu', 'us']).default('any'),
  hipaa: z.boolean().default(false),
  on_prem: z.boolean().default(false),
  /**
   * With on_prem: the cases are synthetic, so verdict may send them to API candidates and judges for
   * comparison (the decision still removes API routes; the report says the run used synthetic data).
   */
  synthetic_data: z.boolean().optional(),
  zero_retention: z.boolean().default(false),
  fine_tuning: z.boolean().default(false),
  /** Whether the use is commercial (licence terms); assumed so. */
  commercial_use: z.boolean().optional(),
});

const operations = z.strictObject({
  engineer_hourly_usd: z.number().positive().optional(),
  hours_per_month: z
    .strictObject({
      infrastructure: z.number().min(0).optional(),
      monitoring: z.number().min(0).optional(),
      updates: z.number().min(0).optional(),
      security: z.number().min(0).optional(),
      on_call: z.number().min(0).optional(),
    })
    .optional(),
  min_replicas: z.int().min(1).optional(),
  target_utilisation: z.number().gt(0).max(1).optional(),
  max_replicas: z.int().min(1).optional(),
  /** Hidden infrastructure prices; each overrides verdict's default. */
  infrastructure: z
    .strictObject({
      storage_usd_per_gb_month: z.number().min(0).optional(),
      egress_usd_per_gb: z.number().min(0).optional(),
      load_balancer_usd_per_month: z.number().min(0).optional(),
      monitoring_usd_per_host_month: z.number().min(0).optional(),
      monitoring_fixed_usd_per_month: z.number().min(0).optional(),
    })
    .optional(),
  /** Owned hardware figures; each overrides verdict's default. */
  owned_hardware: z
    .strictObject({
      capex_usd_per_gpu: z.number().positive().optional(),
      amortisation_months: z.number().positive().optional(),
      pue: z.number().min(1).optional(),
      usd_per_kwh: z.number().min(0).optional(),
      hosting_usd_per_gpu_month: z.number().min(0).optional(),
    })
    .optional(),
  /** A one-off fine-tuning cost, amortised over months, added to self-hosted options. */
  fine_tuning: z
    .strictObject({ one_off_usd: z.number().min(0), amortisation_months: z.number().positive().default(12) })
    .optional(),
});

/** How the decision weighs near-ties and latency, and when to look again. */
const decision = z.strictObject({
  /** Options within this share of the cheapest count as tied; the simpler operation wins (default 0.1). */
  near_tie: z.number().min(0).max(1).optional(),
  /** Latency objective: a candidate whose measured p90 exceeds a bound drops out. */
  max_ttft_p90_ms: z.number().positive().optional(),
  max_e2e_p90_ms: z.number().positive().optional(),
  /** Months until the decision is looked at again (default 6). */
  reevaluate_after_months: z.int().positive().optional(),
});

/** What `verdict gate` tolerates between a baseline and a new run; flags override each field. */
const gate = z.strictObject({
  /** A significant pass-rate drop fails only beyond this share (default 0.05: 5 points). */
  margin: z.number().min(0).max(1).optional(),
  /** Significance level of the paired test (default 0.05). */
  alpha: z.number().gt(0).lt(1).optional(),
  /** A TTFT or end-to-end p90 may rise by this share (default 0.25)… */
  max_latency_rise: z.number().min(0).optional(),
  /** …and by this many milliseconds (default 100) before it fails. */
  latency_floor_ms: z.number().min(0).optional(),
  /** Cost per request may rise by this share (default 0.10). */
  max_cost_rise: z.number().min(0).optional(),
  /** A changed pick fails the gate (default true). */
  fail_on_decision_change: z.boolean().optional(),
});

export const workloadFileSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  prompt: z.union([z.string().min(1), z.array(chatMessage).min(1)]),
  cases: z.union([casesFromFile, z.array(inlineCase).min(1)]),
  graders: z.array(graderEntry).min(1),
  /** Weighted mean grader score a case needs to pass (default: every counted grader must pass). */
  pass_threshold: z.number().min(0).max(1).optional(),
  judge: judge.optional(),
  /** How far to trust the judges: ask each judge several times, and a second judge for agreement. */
  judges: z
    .strictObject({
      /** Asks per judged output (default 1): the report shows each case's mean, spread and straddled thresholds. */
      repeat: z.int().min(1).max(20).optional(),
      /** A second judge for every score-graded grader (rubric, closed-qa, factual): Cohen's kappa with the first. */
      second: judge.optional(),
    })
    .optional(),
  candidates: z.array(candidate).min(1),
  traffic: traffic.optional(),
  constraints: constraints.default({
    data_residency: 'any',
    hipaa: false,
    on_prem: false,
    zero_retention: false,
    fine_tuning: false,
  }),
  operations: operations.optional(),
  decision: decision.optional(),
  gate: gate.optional(),
  quality: z
    .strictObject({
      floor: z.number().min(0).max(1).optional(),
      non_inferiority_margin: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export type WorkloadFile = z.output<typeof workloadFileSchema>;
