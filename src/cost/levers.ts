import { ENGINEER_HOURLY_USD, OPERATIONS_HOURS } from './catalogue/defaults.ts';
import { costModel } from './cost-model.ts';
import { resolveHiddenInfraPrices } from './hidden-infra.ts';
import type { ApiOptionSpec, OptionSpec, Scenario, SelfHostedOptionSpec } from './options.ts';
import { planningParameters } from './tco.ts';
import type { TokenPrice, TokenUsage } from './types.ts';

// The inputs a sensitivity analysis moves: each lever scales one input of the scenario by a factor
// and returns a new scenario (nothing is mutated), within the bounds that input can take.

/** One input of the scenario that can be moved. */
export interface Lever {
  id: string;
  label: string;
  unit: string;
  baseValue: number;
  /** Bounds on the factor (utilisation cannot exceed 1, a peak factor cannot fall below 1). */
  minFactor: number;
  maxFactor: number;
  apply: (scenario: Scenario, factor: number) => Scenario;
}

const scalePrice = (p: TokenPrice, f: number): TokenPrice => ({
  ...p,
  inputPerMTok: p.inputPerMTok * f,
  outputPerMTok: p.outputPerMTok * f,
  ...(p.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: p.cachedInputPerMTok * f } : {}),
  ...(p.cacheWritePerMTok !== undefined ? { cacheWritePerMTok: p.cacheWritePerMTok * f } : {}),
  ...(p.reasoningPerMTok !== undefined ? { reasoningPerMTok: p.reasoningPerMTok * f } : {}),
  ...(p.tiers
    ? {
        tiers: p.tiers.map((t) => ({
          ...t,
          inputPerMTok: t.inputPerMTok * f,
          outputPerMTok: t.outputPerMTok * f,
          ...(t.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: t.cachedInputPerMTok * f } : {}),
          ...(t.cacheWritePerMTok !== undefined ? { cacheWritePerMTok: t.cacheWritePerMTok * f } : {}),
        })),
      }
    : {}),
});

const scaleUsage = (u: TokenUsage, f: number): TokenUsage => ({
  input: u.input * f,
  output: u.output * f,
  ...(u.cachedInput !== undefined ? { cachedInput: u.cachedInput * f } : {}),
  ...(u.cacheWrite !== undefined ? { cacheWrite: u.cacheWrite * f } : {}),
  ...(u.reasoning !== undefined ? { reasoning: u.reasoning * f } : {}),
});

const mapOption = (s: Scenario, id: string, fn: (o: OptionSpec) => OptionSpec): Scenario => ({
  ...s,
  options: s.options.map((o) => (o.id === id ? fn(o) : o)),
});

const meanTokens = (u: TokenUsage[]) => u.reduce((s, x) => s + x.input + x.output, 0) / Math.max(1, u.length);

/** Every lever of a scenario: volume, peak factor, tokens per request, and each option's own inputs. */
export function levers(scenario: Scenario): Lever[] {
  const out: Lever[] = [
    {
      id: 'volume',
      label: 'monthly volume',
      unit: 'requests/month',
      baseValue: scenario.requestsPerMonth,
      minFactor: 0,
      maxFactor: Number.POSITIVE_INFINITY,
      apply: (s, f) => ({ ...s, requestsPerMonth: s.requestsPerMonth * f }),
    },
    {
      id: 'peak-factor',
      label: 'peak factor (busiest rate ÷ mean rate)',
      unit: '×',
      baseValue: scenario.peakFactor,
      minFactor: 1 / scenario.peakFactor,
      maxFactor: Number.POSITIVE_INFINITY,
      apply: (s, f) => ({ ...s, peakFactor: s.peakFactor * f }),
    },
  ];
  const firstApi = scenario.options.find((o): o is ApiOptionSpec => o.kind === 'api');
  const firstSelf = scenario.options.find((o): o is SelfHostedOptionSpec => o.kind === 'self-hosted');
  out.push({
    id: 'tokens',
    label: 'tokens per request (API bills grow with them; self-hosted capacity shrinks with them)',
    unit: 'tokens/request',
    baseValue: firstApi ? meanTokens(firstApi.usages) : (firstSelf?.outputTokensPerRequest ?? 0),
    minFactor: 0,
    maxFactor: Number.POSITIVE_INFINITY,
    apply: (s, f) => ({
      ...s,
      options: s.options.map((o) =>
        o.kind === 'api'
          ? { ...o, usages: o.usages.map((u) => scaleUsage(u, f)) }
          : {
              ...o,
              outputTokensPerRequest: o.outputTokensPerRequest * f,
              capacity: { ...o.capacity, requestsPerSecond: o.capacity.requestsPerSecond / f },
            },
      ),
    }),
  });
  for (const o of scenario.options) {
    if (o.kind === 'api') {
      out.push({
        id: `${o.id}:token-price`,
        label: `${o.id} token prices (every token type moves together; shown per request)`,
        unit: 'USD/request',
        baseValue: costModel(o, scenario.peakFactor).usdPerRequest,
        minFactor: 0,
        maxFactor: Number.POSITIVE_INFINITY,
        apply: (s, f) =>
          mapOption(s, o.id, (x) => ({
            ...(x as ApiOptionSpec),
            price: scalePrice((x as ApiOptionSpec).price, f),
          })),
      });
    } else {
      out.push(...selfHostedLevers(o));
    }
  }
  return out;
}

function selfHostedLevers(o: SelfHostedOptionSpec): Lever[] {
  const sh = (s: Scenario, fn: (x: SelfHostedOptionSpec) => SelfHostedOptionSpec) =>
    mapOption(s, o.id, (x) => fn(x as SelfHostedOptionSpec));
  const hw = o.hardware;
  const { targetUtilisation } = planningParameters(o);
  const hours = Object.fromEntries(
    (Object.keys(OPERATIONS_HOURS) as Array<keyof typeof OPERATIONS_HOURS>).map((k) => [
      k,
      o.operations?.hours_per_month?.[k] ?? OPERATIONS_HOURS[k].value,
    ]),
  ) as Record<keyof typeof OPERATIONS_HOURS, number>;
  const totalHours = Object.values(hours).reduce((s, h) => s + h, 0);
  const rate = o.operations?.engineer_hourly_usd ?? ENGINEER_HOURLY_USD.value;
  const infra = resolveHiddenInfraPrices(o.infra);
  const all = { minFactor: 0, maxFactor: Number.POSITIVE_INFINITY };
  return [
    {
      id: `${o.id}:gpu-price`,
      label: hw.kind === 'cloud' ? `${o.id} GPU price per hour` : `${o.id} GPU purchase price`,
      unit: hw.kind === 'cloud' ? 'USD/GPU-hour' : 'USD/GPU',
      baseValue: hw.kind === 'cloud' ? hw.usdPerGpuHour : hw.capexUsdPerGpu,
      ...all,
      apply: (s, f) =>
        sh(s, (x) => ({
          ...x,
          hardware:
            x.hardware.kind === 'cloud'
              ? { ...x.hardware, usdPerGpuHour: x.hardware.usdPerGpuHour * f }
              : { ...x.hardware, capexUsdPerGpu: x.hardware.capexUsdPerGpu * f },
        })),
    },
    {
      id: `${o.id}:capacity`,
      label: `${o.id} capacity per replica`,
      unit: 'requests/s',
      baseValue: o.capacity.requestsPerSecond,
      ...all,
      apply: (s, f) =>
        sh(s, (x) => ({
          ...x,
          capacity: { ...x.capacity, requestsPerSecond: x.capacity.requestsPerSecond * f },
        })),
    },
    {
      id: `${o.id}:target-utilisation`,
      label: `${o.id} target utilisation`,
      unit: 'fraction',
      baseValue: targetUtilisation,
      minFactor: 0,
      maxFactor: 1 / targetUtilisation,
      apply: (s, f) =>
        sh(s, (x) => ({ ...x, targetUtilisation: planningParameters(x).targetUtilisation * f })),
    },
    {
      id: `${o.id}:operations-hours`,
      label: `${o.id} engineer-hours per month`,
      unit: 'h/month',
      baseValue: totalHours,
      ...all,
      apply: (s, f) =>
        sh(s, (x) => ({
          ...x,
          operations: {
            ...x.operations,
            hours_per_month: Object.fromEntries(
              Object.entries(hours).map(([k, h]) => [
                k,
                (x.operations?.hours_per_month?.[k as keyof typeof hours] ?? h) * f,
              ]),
            ),
          },
        })),
    },
    {
      id: `${o.id}:engineer-rate`,
      label: `${o.id} loaded engineer cost per hour`,
      unit: 'USD/h',
      baseValue: rate,
      ...all,
      apply: (s, f) =>
        sh(s, (x) => ({
          ...x,
          operations: {
            ...x.operations,
            engineer_hourly_usd: (x.operations?.engineer_hourly_usd ?? rate) * f,
          },
        })),
    },
    {
      id: `${o.id}:hidden-infra`,
      label: `${o.id} hidden infrastructure prices (load balancer shown; storage, egress and monitoring move with it)`,
      unit: 'USD/month',
      baseValue: infra.loadBalancerUsdPerMonth,
      ...all,
      apply: (s, f) =>
        sh(s, (x) => {
          const {
            provenance: _p,
            extraDiskGbPerReplica,
            egressBytesPerOutputToken,
            ...prices
          } = resolveHiddenInfraPrices(x.infra);
          const scaled = Object.fromEntries(Object.entries(prices).map(([k, v]) => [k, v * f]));
          return { ...x, infra: { ...scaled, extraDiskGbPerReplica, egressBytesPerOutputToken } };
        }),
    },
  ];
}
