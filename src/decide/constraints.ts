import { type ComplianceEntry, findCompliance } from '../cost/catalogue/compliance.ts';
import { describeProvenance } from '../cost/provenance.ts';
import type { Provenance } from '../cost/types.ts';
import type { Constraints } from '../spec/workload.ts';
import type { CandidateProfile } from './constraints-profile.ts';
import { regionArea } from './region.ts';

export { type CandidateProfile, matchOpenWeightModel, profileCandidate } from './constraints-profile.ts';

// DESIGN §5 step 1: hard constraints remove candidates before quality or cost is looked at. Each
// removal is a sentence a user can forward: the rule (the workload field), the candidate, and the
// catalogue fact with its source and date. Candidates kept only if the team does something (sign a
// BAA, pick an EU region) carry that as a condition; facts a reader must weigh are warnings.

export type ConstraintRule =
  | 'on_prem'
  | 'hipaa'
  | 'data_residency'
  | 'zero_retention'
  | 'fine_tuning'
  | 'licence';

/** One constraint's verdict on one candidate, with the facts it rests on. */
export interface ConstraintFinding {
  candidateId: string;
  rule: ConstraintRule;
  sentence: string;
  evidence: Provenance[];
}

export interface ConstraintOutcome {
  /** Candidate ids that pass every constraint, in input order. */
  kept: string[];
  /** One finding per constraint a candidate breaks (a candidate may break several). */
  removed: ConstraintFinding[];
  /** What the team must do for a kept candidate to satisfy a constraint. */
  conditions: ConstraintFinding[];
  warnings: ConstraintFinding[];
}

/** Facts about the workload's scale that licence terms depend on; the workload spec does not carry them yet. */
export interface LicenceContext {
  monthlyActiveUsers?: number;
  /** Whether the use is commercial; assumed so unless stated. */
  commercial?: boolean;
}

type Finding = Omit<ConstraintFinding, 'candidateId'>;
type Verdict = { removed: Finding[]; conditions: Finding[]; warnings: Finding[] };

const fact = (e: ComplianceEntry) => `${e.conditions}; ${describeProvenance(e.provenance)}`;
const hostName = (p: CandidateProfile) => p.host ?? 'an unknown host';
const count = (n: number) => n.toLocaleString('en-US');

/** Which candidates survive the workload's hard constraints, with a sentence for every removal. */
export function applyConstraints(
  profiles: CandidateProfile[],
  constraints: Constraints,
  context: LicenceContext = {},
): ConstraintOutcome {
  const outcome: ConstraintOutcome = { kept: [], removed: [], conditions: [], warnings: [] };
  for (const p of profiles) {
    const v: Verdict = { removed: [], conditions: [], warnings: [] };
    if (constraints.on_prem) onPrem(p, v);
    if (constraints.hipaa)
      apiOffer(
        p,
        v,
        'hipaa',
        'baa',
        'HIPAA data needs a signed business associate agreement (constraints.hipaa)',
        'a BAA',
      );
    if (constraints.data_residency !== 'any') residency(p, v, constraints.data_residency);
    if (constraints.zero_retention)
      apiOffer(
        p,
        v,
        'zero_retention',
        'zeroRetention',
        'the workload requires that the provider keeps no prompts or outputs (constraints.zero_retention)',
        'zero data retention',
      );
    if (constraints.fine_tuning) fineTuning(p, v);
    licence(p, v, context);
    const tag = (f: Finding): ConstraintFinding => ({ candidateId: p.id, ...f });
    outcome.removed.push(...v.removed.map(tag));
    outcome.conditions.push(...v.conditions.map(tag));
    outcome.warnings.push(...v.warnings.map(tag));
    if (v.removed.length === 0) outcome.kept.push(p.id);
  }
  return outcome;
}

function onPrem(p: CandidateProfile, v: Verdict): void {
  const rule = 'the workload requires data to stay on the premises (constraints.on_prem)';
  if (p.serving === 'api') {
    v.removed.push({
      rule: 'on_prem',
      sentence: `${p.id} is removed: ${rule}, and ${p.id} is called through ${hostName(p)}'s API, so every request would leave them.`,
      evidence: [],
    });
  } else if (p.serving === 'self-hosted' && p.hosting === 'cloud') {
    v.removed.push({
      rule: 'on_prem',
      sentence: `${p.id} is removed: ${rule}, and ${p.id} runs on rented cloud GPUs outside them.`,
      evidence: [],
    });
  } else if (p.serving === 'self-hosted' && p.hosting === undefined) {
    v.conditions.push({
      rule: 'on_prem',
      sentence: `${p.id} is kept on condition that it runs on hardware on the premises (constraints.on_prem); its cost is that of owned hardware.`,
      evidence: [],
    });
  }
}

/** HIPAA and zero retention: an API candidate stays only where its host offers the agreement. */
function apiOffer(
  p: CandidateProfile,
  v: Verdict,
  rule: 'hipaa' | 'zero_retention',
  field: 'baa' | 'zeroRetention',
  why: string,
  what: string,
): void {
  if (p.serving !== 'api') return;
  const entry = p.host ? findCompliance(p.host, p.vendor) : undefined;
  if (!entry) {
    v.removed.push({
      rule,
      sentence: `${p.id} is removed: ${why}, and verdict's compliance catalogue has no record of ${what} from ${hostName(p)}; add the host's terms to keep it.`,
      evidence: [],
    });
  } else if (!entry[field]) {
    v.removed.push({
      rule,
      sentence: `${p.id} is removed: ${why}, and ${entry.host} does not offer ${what} (${fact(entry)}).`,
      evidence: [entry.provenance],
    });
  } else if (rule === 'hipaa' && !p.baaSigned) {
    // Offered is not signed: until the agreement exists, protected health data may not be sent.
    v.removed.push({
      rule,
      sentence: p.catalogueRoute
        ? `${p.id} is removed: ${why}; ${entry.host} offers one (${fact(entry)}), but this is a catalogue route the team has no agreement for.`
        : `${p.id} is removed: ${why}; ${entry.host} offers one (${fact(entry)}), but none is signed — sign it and set baa_signed: true on the candidate to keep it.`,
      evidence: [entry.provenance],
    });
  } else if (rule === 'hipaa') {
    v.conditions.push({
      rule,
      sentence: `${p.id} is kept: a BAA is signed with ${entry.host} (baa_signed; ${fact(entry)}).`,
      evidence: [entry.provenance],
    });
  } else {
    v.conditions.push({
      rule,
      sentence: `${p.id} is kept only with ${what} in place with ${entry.host} (${fact(entry)}).`,
      evidence: [entry.provenance],
    });
  }
}

function residency(p: CandidateProfile, v: Verdict, region: 'eu' | 'us'): void {
  const name = region.toUpperCase();
  const why = `the workload requires processing in the ${name} (constraints.data_residency: ${region})`;
  if (p.serving === 'api' && p.region !== undefined) {
    // A stated region is where the team deploys the endpoint; it is judged before the host's offer.
    if (regionArea(p.region) !== region)
      v.removed.push({
        rule: 'data_residency',
        sentence: `${p.id} is removed: ${why}, and it is deployed in ${p.region}, outside the ${name}.`,
        evidence: [],
      });
    return;
  }
  if (p.serving === 'api') {
    const entry = p.host ? findCompliance(p.host, p.vendor) : undefined;
    const offered = entry ? (region === 'eu' ? entry.euProcessing : entry.usProcessing) : undefined;
    if (!entry) {
      v.removed.push({
        rule: 'data_residency',
        sentence: `${p.id} is removed: ${why}, and verdict's compliance catalogue has no record of ${name} processing by ${hostName(p)}; add the host's terms to keep it.`,
        evidence: [],
      });
    } else if (!offered) {
      v.removed.push({
        rule: 'data_residency',
        sentence: `${p.id} is removed: ${why}, and ${entry.host} does not offer it (${fact(entry)}).`,
        evidence: [entry.provenance],
      });
    } else {
      v.conditions.push({
        rule: 'data_residency',
        sentence: `${p.id} is kept only if deployed for ${name} processing with ${entry.host} (${fact(entry)}).`,
        evidence: [entry.provenance],
      });
    }
  } else if (p.serving === 'self-hosted') {
    if (p.region !== undefined && regionArea(p.region) !== region) {
      v.removed.push({
        rule: 'data_residency',
        sentence: `${p.id} is removed: ${why}, and its replicas run in ${p.region}.`,
        evidence: [],
      });
    } else if (p.region === undefined) {
      v.conditions.push({
        rule: 'data_residency',
        sentence: `${p.id} is kept on condition that its replicas run in the ${name} (constraints.data_residency: ${region}).`,
        evidence: [],
      });
    }
  }
  const terms = p.openModel?.licence;
  if (region === 'eu' && terms?.euDomicileExcluded) {
    v.warnings.push({
      rule: 'licence',
      sentence: `${p.id}: the ${terms.name} grants no rights to its multimodal models to people or companies domiciled in the EU (${terms.url}); an EU-based team cannot rely on it.`,
      evidence: [p.openModel!.provenance],
    });
  }
}

function fineTuning(p: CandidateProfile, v: Verdict): void {
  if (p.weights === 'open' && p.catalogueRoute) {
    // A per-token managed route serves the published weights, not the team's fine-tuned ones.
    v.removed.push({
      rule: 'fine_tuning',
      sentence: `${p.id} is removed: the workload fine-tunes the weights on proprietary data (constraints.fine_tuning), and this managed route serves only the published base weights.`,
      evidence: [],
    });
    return;
  }
  if (p.weights === 'open') {
    if (p.serving === 'api')
      v.conditions.push({
        rule: 'fine_tuning',
        sentence: `${p.id} is kept on condition that ${hostName(p)} serves the team's fine-tuned weights (constraints.fine_tuning); its price is that of the base weights.`,
        evidence: [],
      });
    return;
  }
  v.removed.push({
    rule: 'fine_tuning',
    sentence: `${p.id} is removed: fine-tuning on proprietary data needs the model's weights (constraints.fine_tuning), and ${p.id} is a closed-weight model reached only through ${hostName(p)}'s API (no open-weight catalogue entry matches it).`,
    evidence: [],
  });
}

function licence(p: CandidateProfile, v: Verdict, context: LicenceContext): void {
  const model = p.openModel;
  if (!model) return;
  const terms = model.licence;
  const evidence = [model.provenance];
  if ((context.commercial ?? true) && !terms.commercialUse) {
    v.removed.push({
      rule: 'licence',
      sentence: `${p.id} is removed: the ${terms.name} does not permit commercial use (${terms.url}), and the workload's use is commercial.`,
      evidence,
    });
    return;
  }
  // Through a managed API the host holds the licence; the user cap binds the team that runs the weights.
  if (p.serving === 'api' || terms.monthlyActiveUserCap === undefined) return;
  const cap = terms.monthlyActiveUserCap;
  if (context.monthlyActiveUsers !== undefined && context.monthlyActiveUsers > cap) {
    v.removed.push({
      rule: 'licence',
      sentence: `${p.id} is removed: the ${terms.name} requires a separate licence from the vendor above ${count(cap)} monthly active users (${terms.url}), and the workload states ${count(context.monthlyActiveUsers)}.`,
      evidence,
    });
  } else if (context.monthlyActiveUsers === undefined) {
    v.warnings.push({
      rule: 'licence',
      sentence: `${p.id}: the ${terms.name} requires a separate licence from the vendor above ${count(cap)} monthly active users (${terms.url}); the workload does not state its users, so check the product's scale.`,
      evidence,
    });
  }
}
