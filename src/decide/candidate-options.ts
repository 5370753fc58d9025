import { type GgufArchitecture, modelFromGguf } from '../cost/gguf-architecture.ts';
import type { HiddenInfraPrices } from '../cost/hidden-infra.ts';
import {
  estimateCapacity,
  findGpu,
  findOpenWeightModel,
  gpuOffer,
  gpuOffers,
  lookupTokenPrice,
  managedApiOptions,
  type OptionSpec,
  selfHostedOption,
} from '../cost/index.ts';
import { describeProvenance } from '../cost/provenance.ts';
import type { Capacity, GpuOffer, OpenWeightModel, Provenance, TokenUsage } from '../cost/types.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import { type CandidateProfile, profileCandidate } from './constraints-profile.ts';

// Turns each candidate of a workload into the options a decision prices (DESIGN §4, three families):
// its own route (closed API, open weights on a managed API, or self-hosted on the GPU the workload
// names), plus the same open weights on every managed API the catalogue prices. What cannot be
// priced is said, with the reason and the field that would fix it — never guessed.

/** Token usage per request of one candidate: measured per case by a run, or declared in the workload. */
export interface CandidateUsage {
  usages: TokenUsage[];
  provenance: Provenance;
}

/** A local GGUF's header, read at the edge (node-llama-cpp's readGgufFileInfo). */
export interface GgufModelInfo {
  file: string;
  architecture: GgufArchitecture;
  /** Sum of the tensors' element counts, in billions. */
  paramsTotalB: number;
  quantisation: 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';
  quantisationNote: string;
}

/** One priced route of a candidate, with the profile the constraints judge it by. */
export interface CandidateOption {
  candidateId: string;
  spec: OptionSpec;
  profile: CandidateProfile;
  /** Sentences the reader must see beside this option's cost (estimates, assumptions). */
  notes: string[];
}

export interface CandidateOptions {
  candidateId: string;
  profile: CandidateProfile;
  options: CandidateOption[];
  /** Why the candidate's own route has no price, when it has none. */
  unpriced: string[];
  /** Facts read from a model file, shown in the report (the GGUF header). */
  facts: string[];
}

export interface OptionInputs {
  workload: Pick<Workload, 'candidates' | 'traffic' | 'operations' | 'constraints'>;
  usage: Map<string, CandidateUsage>;
  /** Capacity per replica from a stored load test, by candidate id; replaces every estimate. */
  capacities?: Map<string, Capacity>;
  ggufs?: Map<string, GgufModelInfo>;
  /** The date token prices apply to (default: the catalogue snapshot's). */
  at?: Date;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);

/** The hidden-infrastructure prices a workload sets, in the cost part's names. */
export function infraPrices(ops: Workload['operations']): HiddenInfraPrices {
  const i = ops?.infrastructure ?? {};
  return {
    ...(i.storage_usd_per_gb_month === undefined ? {} : { storageUsdPerGbMonth: i.storage_usd_per_gb_month }),
    ...(i.egress_usd_per_gb === undefined ? {} : { egressUsdPerGb: i.egress_usd_per_gb }),
    ...(i.load_balancer_usd_per_month === undefined
      ? {}
      : { loadBalancerUsdPerMonth: i.load_balancer_usd_per_month }),
    ...(i.monitoring_usd_per_host_month === undefined
      ? {}
      : { monitoringUsdPerHostMonth: i.monitoring_usd_per_host_month }),
    ...(i.monitoring_fixed_usd_per_month === undefined
      ? {}
      : { monitoringFixedUsdPerMonth: i.monitoring_fixed_usd_per_month }),
  };
}

/** Cached input per the workload's share, where a measurement did not report it. */
function withCacheShare(usages: TokenUsage[], share: number | undefined): TokenUsage[] {
  if (!share) return usages;
  return usages.map((u) => (u.cachedInput ? u : { ...u, cachedInput: Math.round(u.input * share) }));
}

/** The candidate's profile, with what the workload states winning over inference. */
export function candidateProfile(candidate: Candidate): CandidateProfile {
  const d = candidate.deployment ?? {};
  const named = d.openModel ? findOpenWeightModel(d.openModel) : undefined;
  const hints: Partial<CandidateProfile> = {
    ...(d.serving ? { serving: d.serving } : {}),
    ...(d.hosting ? { hosting: d.hosting } : {}),
    ...(d.route ? { host: d.route } : {}),
    ...(d.region ? { region: d.region } : {}),
    ...(named ? { openModel: named, weights: 'open' as const } : {}),
  };
  const profile = profileCandidate(candidate, hints);
  // Stated as an API with no known open weights: closed, whatever the wire format suggested.
  if (d.serving === 'api' && !profile.openModel) profile.weights = 'closed';
  // A named API route of a vendor's model: compliance terms can differ by vendor on that host.
  if (profile.serving === 'api' && d.route && d.route !== candidate.provider && !profile.vendor)
    profile.vendor = candidate.provider;
  return profile;
}

/** Every priced option of every candidate, and what could not be priced. */
export function candidateOptions(input: OptionInputs): CandidateOptions[] {
  const out: CandidateOptions[] = [];
  const managedSeen = new Set<string>();
  const traffic = input.workload.traffic;
  for (const [index, candidate] of input.workload.candidates.entries()) {
    const profile = candidateProfile(candidate);
    const entry: CandidateOptions = {
      candidateId: candidate.id,
      profile,
      options: [],
      unpriced: [],
      facts: [],
    };
    out.push(entry);
    const usage = input.usage.get(candidate.id);
    if (!usage || usage.usages.length === 0) {
      entry.unpriced.push(
        `${candidate.id} cannot be priced: no token counts (no successful calls in the run, and traffic.input_tokens_per_request / output_tokens_per_request are not declared).`,
      );
      continue;
    }
    const usages = withCacheShare(usage.usages, traffic?.cached_input_share);
    const d = candidate.deployment ?? {};
    if (profile.serving === 'api') {
      const providerId = d.route ?? profile.host ?? candidate.provider;
      const found = lookupTokenPrice({
        providerId,
        modelId: candidate.modelName,
        ...(input.at ? { at: input.at } : {}),
        ...(d.price ? { override: d.price } : {}),
      });
      if (!found.ok) {
        entry.unpriced.push(
          `${candidate.id} cannot be priced: ${found.reason}; set candidates[${index}].price (input_per_mtok, output_per_mtok).`,
        );
      } else {
        entry.options.push({
          candidateId: candidate.id,
          profile,
          notes: [],
          spec: {
            kind: 'api',
            id: candidate.id,
            family: profile.weights === 'open' ? 'open-managed-api' : 'closed-api',
            price: found.price,
            usages,
            usageProvenance: usage.provenance,
            ...(traffic?.batch ? { batch: true } : {}),
          },
        });
      }
    } else {
      selfHosted(entry, candidate, index, usages, input);
    }
    // The same open weights on managed APIs, once per model across candidates.
    const model = profile.openModel;
    if (model && profile.serving !== 'api' && !managedSeen.has(model.id)) {
      managedSeen.add(model.id);
      const managed = managedApiOptions(model, usages, usage.provenance, input.at);
      const routes = managed.options.map((o) => o.id).join(', ');
      for (const spec of managed.options) {
        // The compliance catalogue names deployment routes; genai-prices names AWS's API `aws`.
        const host = spec.price.providerId === 'aws' ? 'bedrock' : spec.price.providerId;
        entry.options.push({
          candidateId: candidate.id,
          profile: { id: spec.id, serving: 'api', host, weights: 'open', openModel: model },
          notes: [
            `${routes} serve ${model.name} on managed APIs: the same weights as ${candidate.id}, so they carry its measured quality; their latency was not measured.`,
          ],
          spec: { ...spec, ...(traffic?.batch ? { batch: true } : {}) },
        });
      }
    }
  }
  return out;
}

function selfHosted(
  entry: CandidateOptions,
  candidate: Candidate,
  index: number,
  usages: TokenUsage[],
  input: OptionInputs,
): void {
  const d = candidate.deployment ?? {};
  const gguf = input.ggufs?.get(candidate.id);
  let model: OpenWeightModel | undefined = entry.profile.openModel;
  if (gguf) {
    const a = gguf.architecture;
    const kv =
      a.kvCache.kind === 'gqa'
        ? `${a.kvCache.kvHeads} KV heads × ${a.kvCache.headDim} head dim`
        : `latent ${a.kvCache.latentDim}`;
    entry.facts.push(
      `${candidate.id} (${gguf.file}): ${a.architecture} architecture, ${fmtParams(gguf.paramsTotalB)} parameters, ${a.layers} layers, ${kv}, ${a.contextTokens.toLocaleString('en-US')}-token context, ${gguf.quantisation} weights (${gguf.quantisationNote}) — read from the GGUF header.`,
    );
    model = modelFromGguf(a, model ?? syntheticModel(gguf), gguf.paramsTotalB);
  }
  const where = entry.profile.serving === 'embedded' ? 'runs embedded in the application' : 'is self-hosted';
  const missing: string[] = [];
  if (!model)
    missing.push(
      `its model is not in verdict's open-weight catalogue, so its size and architecture are unknown (candidates[${index}].open_model)`,
    );
  if (!d.gpu)
    missing.push(
      `the workload names no GPU for it (candidates[${index}].gpu), and verdict prices self-hosting only on hardware the team names`,
    );
  if (!model || !d.gpu) {
    entry.unpriced.push(`${candidate.id} cannot be priced: it ${where}; ${missing.join('; and ')}.`);
    return;
  }
  const gpu = findGpu(d.gpu.type)!;
  const owned = d.hosting === 'owned' || entry.profile.hosting === 'owned';
  let offer: GpuOffer | undefined;
  if (!owned) {
    if (d.gpu.usdPerHour !== undefined) {
      offer = {
        gpuId: gpu.id,
        cloud: d.gpu.cloud ?? 'the team’s cloud',
        instance: 'stated price',
        gpusPerInstance: 1,
        onDemandPerGpuHour: d.gpu.usdPerHour,
        region: d.region ?? '',
        provenance: { kind: 'user', note: `candidates[${index}].gpu.usd_per_hour` },
      };
    } else {
      offer = d.gpu.cloud ? gpuOffer(gpu.id, d.gpu.cloud) : gpuOffers(gpu.id)[0];
      if (!offer) {
        entry.unpriced.push(
          `${candidate.id} cannot be priced: verdict's GPU price catalogue has no ${gpu.name}${d.gpu.cloud ? ` on ${d.gpu.cloud}` : ''}; set candidates[${index}].gpu.usd_per_hour.`,
        );
        return;
      }
    }
  }
  const inputTokens = mean(usages.map((u) => u.input));
  const outputTokens = Math.max(1, mean(usages.map((u) => u.output)));
  let measured = input.capacities?.get(candidate.id);
  if (measured && measured.gpusPerReplica <= 0) {
    // A load test measured one replica; how many GPUs it had is the fewest the model fits on.
    const fit = estimateCapacity({
      model,
      gpu,
      inputTokens,
      outputTokens,
      ...(d.quantisation ? { weightQuantisation: d.quantisation } : {}),
    });
    measured = { ...measured, gpusPerReplica: fit?.capacity.gpusPerReplica ?? 1 };
  }
  const stated = d.capacityRps;
  const ops = input.workload.operations;
  const built = selfHostedOption({
    id: candidate.id,
    model,
    gpu,
    ...(offer ? { offer } : {}),
    ...(d.gpu.reserved ? { reserved: true } : {}),
    ...(owned ? { owned: true } : {}),
    ...(d.gpu.count ? { gpusPerReplica: d.gpu.count } : {}),
    ...(d.quantisation
      ? { weightQuantisation: d.quantisation }
      : gguf
        ? { weightQuantisation: gguf.quantisation }
        : {}),
    inputTokens,
    outputTokens,
    ...(measured ? { measured } : {}),
    rest: {
      ...(ops ? { operations: ops } : {}),
      infra: infraPrices(ops),
      ...(ops?.max_replicas ? { maxReplicas: ops.max_replicas } : {}),
      ...(input.workload.traffic?.hourly_profile
        ? { hourlyProfile: input.workload.traffic.hourly_profile }
        : {}),
      ...(ops?.fine_tuning
        ? {
            fineTuning: {
              oneOffUsd: ops.fine_tuning.one_off_usd,
              amortisationMonths: ops.fine_tuning.amortisation_months,
              provenance: { kind: 'user', note: 'operations.fine_tuning' } as Provenance,
            },
          }
        : {}),
    },
  });
  if (!built.ok) {
    entry.unpriced.push(`${candidate.id} cannot be priced: ${built.reason}.`);
    return;
  }
  const spec = built.spec;
  if (!measured && stated !== undefined) {
    measured = {
      requestsPerSecond: stated,
      gpusPerReplica: d.gpu.count ?? spec.capacity.gpusPerReplica,
      provenance: { kind: 'user', note: `candidates[${index}].capacity_rps, measured outside verdict` },
    };
    spec.capacity = measured;
  }
  if (spec.hardware.kind === 'owned') {
    const o = ops?.owned_hardware ?? {};
    spec.hardware = {
      ...spec.hardware,
      ...(o.capex_usd_per_gpu === undefined
        ? {}
        : {
            capexUsdPerGpu: o.capex_usd_per_gpu,
            capexProvenance: { kind: 'user', note: 'operations.owned_hardware' },
          }),
      ...(o.amortisation_months === undefined ? {} : { amortisationMonths: o.amortisation_months }),
      ...(o.pue === undefined ? {} : { pue: o.pue }),
      ...(o.usd_per_kwh === undefined ? {} : { usdPerKwh: o.usd_per_kwh }),
      ...(o.hosting_usd_per_gpu_month === undefined
        ? {}
        : { hostingUsdPerGpuMonth: o.hosting_usd_per_gpu_month }),
    };
  }
  const notes: string[] = [];
  const cap = spec.capacity;
  const basis =
    cap.provenance.kind === 'estimate'
      ? 'a roofline estimate'
      : cap.provenance.kind === 'measured'
        ? describeProvenance(cap.provenance)
        : 'stated in the workload';
  notes.push(
    `${candidate.id}: ${fmtRps(cap.requestsPerSecond)} requests/s per replica of ${cap.gpusPerReplica} × ${gpu.name} (${basis}).`,
  );
  if (built.estimate && !measured && !built.estimate.meetsSlo)
    notes.push(
      `${candidate.id}: even one sequence misses the time-per-token objective on ${gpu.name} (a ${fmtRps(built.estimate.stepMs)} ms decode step).`,
    );
  entry.options.push({ candidateId: candidate.id, profile: entry.profile, spec, notes });
}

/** A catalogue-shaped model for a GGUF no catalogue entry matches: the licence is unknown. */
function syntheticModel(gguf: GgufModelInfo): OpenWeightModel {
  const a = gguf.architecture;
  return {
    id: a.name ?? gguf.file,
    name: a.name ?? gguf.file,
    family: a.architecture,
    paramsTotalB: gguf.paramsTotalB,
    paramsActiveB: gguf.paramsTotalB,
    layers: a.layers,
    kvCache: a.kvCache,
    contextTokens: a.contextTokens,
    nativeQuantisation: gguf.quantisation,
    licence: { name: 'licence not known to verdict', url: '', commercialUse: true },
    managed: [],
    provenance: a.provenance,
  };
}

function fmtParams(b: number): string {
  if (b >= 1) return `${Number(b.toPrecision(3))}B`;
  if (b * 1e3 >= 1) return `${Number((b * 1e3).toPrecision(3))}M`;
  return `${Number((b * 1e6).toPrecision(3))}k`;
}

const fmtRps = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US');
