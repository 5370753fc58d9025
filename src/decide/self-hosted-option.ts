import { modelFromGguf } from '../cost/gguf-architecture.ts';
import type { HiddenInfraPrices } from '../cost/hidden-infra.ts';
import { estimateCapacity, findGpu, gpuOffer, gpuOffers, selfHostedOption } from '../cost/index.ts';
import { describeProvenance } from '../cost/provenance.ts';
import type { GpuOffer, OpenWeightModel, Provenance, TokenUsage } from '../cost/types.ts';
import type { Candidate, Workload } from '../spec/workload.ts';
import type { CandidateOptions, GgufModelInfo, OptionInputs } from './candidate-options.ts';
import { capAtBound, measuredCapacity } from './measured-capacity.ts';

// A self-hosted or embedded candidate priced on the GPU the workload names: its weights from the
// open-weight catalogue or its GGUF header, capacity from a load test, the workload's capacity_rps,
// or a roofline estimate (labelled), rented or owned, with every TCO input the workload sets.

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

/** Adds the candidate's self-hosted option, or the reasons it cannot be priced. */
export function selfHostedOptions(
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
      `${candidate.id} (${gguf.file}): ${a.architecture} architecture, ${fmtParams(gguf.paramsTotalB)} parameters, ${a.layers} layers, ${kv}, ${a.contextTokens.toLocaleString('en-US')}-token context, ${gguf.quantisation} weights (${gguf.quantisationNote}) — read from the GGUF header.${model ? '' : " Its licence is not in verdict's catalogue: check the model card before production use."}`,
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
  // Data that may not leave the premises runs on owned hardware: with `hosting` unset, on_prem means
  // owned, priced from the workload's own figures — never a rented list price.
  const onPremOwned = input.workload.constraints?.on_prem === true && d.hosting === undefined;
  const owned = d.hosting === 'owned' || entry.profile.hosting === 'owned' || onPremOwned;
  if (
    owned &&
    input.workload.constraints?.on_prem === true &&
    input.workload.operations?.owned_hardware?.capex_usd_per_gpu === undefined
  ) {
    entry.unpriced.push(
      `${candidate.id} cannot be priced: the data must stay on the premises (constraints.on_prem), so it runs on owned hardware, and the workload gives no price for it; set operations.owned_hardware.capex_usd_per_gpu (and amortisation_months, usd_per_kwh, hosting_usd_per_gpu_month).`,
    );
    return;
  }
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
  const fromTests = measuredCapacity(candidate.id, input.capacities?.get(candidate.id));
  const capacityNotes = [...fromTests.notes];
  let measured = fromTests.measured;
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
  if (!measured && stated !== undefined && !(fromTests.bound && stated > fromTests.bound.requestsPerSecond)) {
    measured = {
      requestsPerSecond: stated,
      gpusPerReplica: d.gpu.count ?? spec.capacity.gpusPerReplica,
      provenance: { kind: 'user', note: `candidates[${index}].capacity_rps, measured outside verdict` },
    };
    spec.capacity = measured;
  }
  if (fromTests.bound) {
    const statedRps =
      stated === undefined ? undefined : { rps: stated, field: `candidates[${index}].capacity_rps` };
    const capped = capAtBound(candidate.id, spec.capacity, fromTests.bound, statedRps);
    spec.capacity = capped.capacity;
    capacityNotes.push(...capped.notes);
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
  const notes: string[] = [...capacityNotes];
  if (onPremOwned)
    notes.push(
      `${candidate.id}: priced as owned hardware on the premises (constraints.on_prem with hosting unset), from operations.owned_hardware.`,
    );
  if (input.workload.constraints?.fine_tuning && !ops?.fine_tuning)
    notes.push(
      `${candidate.id}: fine-tuning is required (constraints.fine_tuning) but its cost is not set; add operations.fine_tuning.one_off_usd to price it.`,
    );
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
  entry.options.push({
    candidateId: candidate.id,
    profile: entry.profile,
    spec,
    notes,
    route: 'own',
    decides: true,
  });
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
