// Workloads for the decision scenarios, sized so every figure is hand-computable:
//
// API candidates: `openai-compatible:<id>.<rules>` on the scenario server, `serving: api`, a `route`,
// and a price of (p, 10p) $/MTok, so a request (10 input + 9 output tokens, scenario-server.ts)
// costs p × 10⁻⁴ dollars and a month of V requests p × 10⁻⁴ × V.
//
// Self-hosted candidates: the scenario server as the endpoint, a catalogue model (mistral-7b-v0.3
// has no managed routes, so it brings no comparison rows), one L40S at a stated $/h, capacity_rps
// 1 (DESIGN §4: replicas = max(min 1, ⌈V ÷ 2,628,000 s × peak 1 ÷ (1 req/s × utilisation 1)⌉), so
// a replica serves Q = 2,628,000 requests a month), and operations with every hidden line at zero:
//   rented: replicas × GPUs × $/h × 730 h + 10 h × $100 = replicas × 730 × $/h + $1,000
//   owned:  peak replicas × GPUs × ($36,000 ÷ 36 months + $100 hosting + 0 power) + $1,000
//           = replicas × GPUs × $1,100 + $1,000.
import { rightAnswer, SCENARIO_PROMPT } from './scenario-server.ts';

/** Requests one replica serves in a month at 1 req/s, utilisation 1, peak factor 1: 730 h × 3,600 s. */
export const Q = 2_628_000;
/** The operations line every self-hosted option pays: 10 h × $100. */
export const OPS = 1_000;

export interface ApiOptions {
  route?: string;
  region?: string;
  baa_signed?: boolean;
  stream?: boolean;
}

/** An API candidate priced (p, 10p) $/MTok: p × 10⁻⁴ dollars a request. */
export function api(id: string, rules: string, p: number, options: ApiOptions = {}) {
  return {
    id,
    model: `openai-compatible:${id}${rules ? `.${rules}` : ''}`,
    base_url: '$URL',
    serving: 'api',
    route: options.route ?? 'openai',
    price: { input_per_mtok: p, output_per_mtok: 10 * p },
    ...(options.region ? { region: options.region } : {}),
    ...(options.baa_signed !== undefined ? { baa_signed: options.baa_signed } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  };
}

export interface SelfOptions {
  openModel?: string;
  /** $ per GPU-hour (default 1); null states none, as a team with its own hardware would. */
  usdPerHour?: number | null;
  count?: number;
  hosting?: 'cloud' | 'owned';
  region?: string;
  managedRoutes?: object;
  stream?: boolean;
}

/** A self-hosted candidate on L40S GPUs at 1 req/s per replica. */
export function self(id: string, rules: string, options: SelfOptions = {}) {
  return {
    id,
    model: `openai-compatible:${id}${rules ? `.${rules}` : ''}`,
    base_url: '$URL',
    serving: 'self-hosted',
    open_model: options.openModel ?? 'mistral-7b-v0.3',
    gpu: {
      type: 'l40s',
      count: options.count ?? 1,
      ...(options.hosting === 'owned' || options.usdPerHour === null
        ? {}
        : { usd_per_hour: options.usdPerHour ?? 1 }),
    },
    capacity_rps: 1,
    ...(options.hosting ? { hosting: options.hosting } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.managedRoutes ? { managed_routes: options.managedRoutes } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  };
}

/** Operations with every hidden line at zero: $1,000 of engineering a month, owned GPUs $1,100 a month each. */
export function operations(overrides: Record<string, unknown> = {}) {
  return {
    engineer_hourly_usd: 100,
    hours_per_month: { infrastructure: 10, monitoring: 0, updates: 0, security: 0, on_call: 0 },
    min_replicas: 1,
    target_utilisation: 1,
    infrastructure: {
      storage_usd_per_gb_month: 0,
      egress_usd_per_gb: 0,
      load_balancer_usd_per_month: 0,
      monitoring_usd_per_host_month: 0,
      monitoring_fixed_usd_per_month: 0,
    },
    owned_hardware: {
      capex_usd_per_gpu: 36_000,
      amortisation_months: 36,
      pue: 1,
      usd_per_kwh: 0,
      hosting_usd_per_gpu_month: 100,
    },
    ...overrides,
  };
}

export interface ScenarioSpec {
  cases?: number;
  graders?: unknown[];
  candidates: object[];
  traffic: Record<string, unknown>;
  constraints?: Record<string, unknown>;
  operations?: Record<string, unknown>;
  decision?: Record<string, unknown>;
  quality?: Record<string, unknown>;
}

/** The workload file of a scenario, with the server's URL filled in. */
export function scenarioWorkload(name: string, spec: ScenarioSpec, url: string) {
  const cases = Array.from({ length: spec.cases ?? 40 }, (_, n) => ({
    id: `c${n}`,
    vars: { n },
    expected: rightAnswer(n),
  }));
  return {
    version: 1,
    name,
    prompt: SCENARIO_PROMPT,
    cases,
    graders: spec.graders ?? ['is-json', 'equals'],
    candidates: spec.candidates.map((c) => JSON.parse(JSON.stringify(c).replaceAll('$URL', url))),
    traffic: { peak_factor: 1, ...spec.traffic },
    ...(spec.constraints ? { constraints: spec.constraints } : {}),
    operations: spec.operations ?? operations(),
    ...(spec.decision ? { decision: spec.decision } : {}),
    quality: { non_inferiority_margin: 0.1, ...spec.quality },
  };
}
