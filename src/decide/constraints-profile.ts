import { findOpenWeightModel, OPEN_WEIGHT_MODELS } from '../cost/catalogue/open-weight-models.ts';
import type { OpenWeightModel } from '../cost/types.ts';
import { publicApiHost } from '../providers/endpoint-location.ts';
import { providerEntry } from '../providers/provider-table.ts';
import type { Candidate, Serving } from '../spec/workload.ts';

// What the constraints need to know about a candidate beyond its `provider:model` id: how it is
// served, who hosts the endpoint, whether its weights are open and which catalogue model they are.
// Inferred from the id and base URL; every field can be stated instead (`hints`), and should be when
// the inference is wrong — the Candidate spec has no such fields yet.

/** A candidate as the constraint rules see it. */
export interface CandidateProfile {
  id: string;
  serving: Serving;
  /** Self-hosted only: rented cloud GPUs or owned hardware on the premises; unknown when unstated. */
  hosting?: 'cloud' | 'owned';
  /** API only: who runs the endpoint (a compliance-catalogue host: openai, azure, bedrock, vertex, together…). */
  host?: string;
  /** The model's maker, for hosts whose terms differ by model. */
  vendor?: string;
  weights: 'open' | 'closed';
  /** The open-weight catalogue entry, when the weights are known. */
  openModel?: OpenWeightModel;
  /** The region the replicas or the API processing run in, when stated (`eu`, `us`, or a cloud region name). */
  region?: 'eu' | 'us' | string;
  /** API only: a business associate agreement is signed with the host (candidates[].baa_signed). */
  baaSigned?: boolean;
  /** A managed route verdict found in its catalogue for the candidate's open weights, not one the team named. */
  catalogueRoute?: boolean;
}

/** The catalogue model a name refers to: an exact managed id or repo, else all of the id's parts as whole words. */
export function matchOpenWeightModel(modelName: string): OpenWeightModel | undefined {
  const exact = findOpenWeightModel(modelName);
  if (exact) return exact;
  const lower = modelName.toLowerCase();
  for (const m of OPEN_WEIGHT_MODELS) {
    if (m.managed.some((x) => x.modelId.toLowerCase() === lower)) return m;
    const repo =
      m.provenance.kind === 'catalogue'
        ? m.provenance.source.split(' ')[0]!.replace('https://huggingface.co/', '').toLowerCase()
        : '';
    if (repo && (lower === repo || lower === repo.split('/')[1])) return m;
  }
  // `llama3.1:8b`, `Meta-Llama-3.1-8B-Instruct` → words llama, 3.1, 8b.
  const words = new Set(
    lower
      .replace(/^[^/]*\//, '')
      .replace(/([a-z])(\d)/g, '$1-$2')
      .split(/[^a-z0-9.]+/)
      .filter(Boolean),
  );
  const matches = OPEN_WEIGHT_MODELS.filter((m) =>
    m.id
      .replace(/([a-z])(\d)/g, '$1-$2')
      .split('-')
      .every((w) => words.has(w)),
  );
  // The most specific id wins (qwen3-30b-a3b over a hypothetical qwen3-30b).
  return matches.sort((a, b) => b.id.length - a.id.length)[0];
}

/** A candidate's profile from its id and base URL, with any stated fields winning. */
export function profileCandidate(
  candidate: Candidate,
  hints: Partial<CandidateProfile> = {},
): CandidateProfile {
  const provider = candidate.provider.toLowerCase();
  const entry = providerEntry(provider);
  const openModel = hints.openModel ?? matchOpenWeightModel(candidate.modelName);
  let serving: Serving;
  let host: string | undefined;
  if (entry?.serving === 'embedded') {
    serving = 'embedded';
  } else if (entry?.serving === 'self-hosted') {
    // A self-hosted wire pointed at a public API's base URL is that API.
    host = publicApiHost(candidate.baseUrl);
    serving = host ? 'api' : 'self-hosted';
  } else {
    serving = 'api';
    host = entry?.complianceHost ?? provider;
  }
  // Served by the team means the team has the weights; on an API, only a catalogue match says they are open.
  const weights: CandidateProfile['weights'] = serving !== 'api' || openModel ? 'open' : 'closed';
  return {
    id: candidate.id,
    serving,
    ...(host ? { host } : {}),
    weights,
    ...(openModel ? { openModel } : {}),
    ...hints,
  };
}
