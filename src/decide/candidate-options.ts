import type { GgufArchitecture } from '../cost/gguf-architecture.ts';
import {
  candidateTokenPrice,
  findOpenWeightModel,
  managedApiOptions,
  type OptionSpec,
} from '../cost/index.ts';
import type { Capacity, OpenWeightModel, Provenance, TokenUsage } from '../cost/types.ts';
import type { Candidate, CandidateDeployment, Workload } from '../spec/workload.ts';
import { type CandidateProfile, profileCandidate } from './constraints-profile.ts';
import { selfHostedOptions } from './self-hosted-option.ts';

export { infraPrices } from './self-hosted-option.ts';

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
  /**
   * `own`: the route the team named. `managed`: the same open weights on a managed API, found in the
   * catalogue; it competes only where the candidate opts in (managed_routes.decide), else it is shown
   * as a comparison family.
   */
  route: 'own' | 'managed';
  /** Whether this option may be picked (own routes always; managed routes only when opted in). */
  decides: boolean;
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
    ...(d.baaSigned ? { baaSigned: true } : {}),
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

/**
 * The managed routes of open weights a candidate keeps: the catalogue's, less the hosts the workload
 * excludes (named as the compliance catalogue names them, or by their price-catalogue id). The
 * compliance catalogue names deployment routes; genai-prices names AWS's API `aws`, deployed as `bedrock`.
 */
export function managedRouteHosts(
  model: OpenWeightModel,
  routes: NonNullable<CandidateDeployment['managedRoutes']>,
): Array<{ providerId: string; host: string }> {
  const excluded = new Set(routes.exclude ?? []);
  return model.managed
    .map((m) => ({ providerId: m.providerId, host: m.providerId === 'aws' ? 'bedrock' : m.providerId }))
    .filter((h) => !excluded.has(h.host) && !excluded.has(h.providerId));
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
        `${candidate.id} cannot be priced: no call to it succeeded in this run, so there are no token counts to price it from (its errors are listed with the run).`,
      );
      continue;
    }
    const usages = withCacheShare(usage.usages, traffic?.cached_input_share);
    const d = candidate.deployment ?? {};
    if (profile.serving === 'api') {
      const providerId = d.route ?? profile.host ?? candidate.provider;
      const found = candidateTokenPrice(candidate, index, {
        providerId,
        ...(input.at ? { at: input.at } : {}),
      });
      if (!found.ok) {
        entry.unpriced.push(
          `${candidate.id} cannot be priced: ${found.reason}; set candidates[${index}].price (input_per_mtok, output_per_mtok).`,
        );
      } else {
        entry.options.push({
          candidateId: candidate.id,
          profile,
          notes:
            found.price.provenance.kind === 'user'
              ? [
                  `${candidate.id}: token prices from the workload (candidates[${index}].price${d.price?.note ? `: ${d.price.note}` : ''}).`,
                ]
              : [],
          route: 'own',
          decides: true,
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
      selfHostedOptions(entry, candidate, index, usages, input);
    }
    // The same open weights on managed APIs, once per model across candidates (DESIGN §5: a
    // comparison family unless the workload opts in; a negotiated price replaces the catalogue's).
    const model = profile.openModel;
    if (model && profile.serving !== 'api' && !managedSeen.has(model.id)) {
      managedSeen.add(model.id);
      const routes = d.managedRoutes ?? {};
      const hosts = managedRouteHosts(model, routes);
      const hostOf = new Map(hosts.map((h) => [h.providerId, h.host]));
      const priceOf = (providerId: string) =>
        routes.prices?.[hostOf.get(providerId) ?? providerId] ?? routes.prices?.[providerId];
      const negotiated = Object.fromEntries(
        hosts.flatMap((h) => {
          const price = priceOf(h.providerId);
          return price ? [[h.providerId, price]] : [];
        }),
      );
      const managed = managedApiOptions(model, usages, usage.provenance, input.at, negotiated);
      const kept = managed.options.filter((o) => hostOf.has(o.price.providerId));
      const routesText = kept.map((o) => o.id).join(', ');
      for (const spec of kept) {
        const host = hostOf.get(spec.price.providerId)!;
        const price = priceOf(spec.price.providerId);
        entry.options.push({
          candidateId: candidate.id,
          profile: {
            id: spec.id,
            serving: 'api',
            host,
            weights: 'open',
            openModel: model,
            catalogueRoute: true,
          },
          notes: [
            `${routesText} serve ${model.name} on managed APIs: the same weights as ${candidate.id}, so they carry its measured quality; their latency was not measured.`,
            ...(price
              ? [
                  `${spec.id}: negotiated price from the workload (candidates[${index}].managed_routes.prices.${host}${price.note ? `: ${price.note}` : ''}), replacing the catalogue's.`,
                ]
              : []),
          ],
          route: 'managed',
          decides: routes.decide === true,
          spec: { ...spec, ...(traffic?.batch ? { batch: true } : {}) },
        });
      }
    }
  }
  return out;
}
