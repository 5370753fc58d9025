import type { Workload } from '../spec/workload.ts';
import {
  type CandidateOption,
  type CandidateOptions,
  candidateProfile,
  managedRouteHosts,
} from './candidate-options.ts';
import { applyConstraints } from './constraints.ts';
import type { CandidateProfile } from './constraints-profile.ts';

// Step 1 of the decision (DESIGN §5): the hard constraints judge each candidate's own route and each
// managed route of its open weights apart. Sentences on a candidate's own route are kept whole;
// those on the many managed routes are grouped by rule so the reasons stay readable (every sentence
// stays in decision.removed).

const unique = (xs: string[]) => [...new Set(xs)];

type ConstraintWorkload = Pick<Workload, 'candidates' | 'constraints' | 'traffic'>;

function licenceContext(w: ConstraintWorkload) {
  return {
    ...(w.traffic?.monthly_active_users !== undefined
      ? { monthlyActiveUsers: w.traffic.monthly_active_users }
      : {}),
    ...(w.constraints.commercial_use !== undefined ? { commercial: w.constraints.commercial_use } : {}),
  };
}

export interface ConstraintStep {
  /** Every removal, one sentence each. */
  removed: string[];
  /** Removals for the reasons: own routes whole, managed routes grouped by rule. */
  removedReasons: string[];
  /** What the team must do to keep a route, and facts to weigh (licences). */
  conditions: string[];
  keptOptions: CandidateOption[];
  /** Candidates still in the running on some route. */
  running: string[];
}

/** Applies the workload's hard constraints to every route of every candidate. */
export function constraintStep(built: CandidateOptions[], w: ConstraintWorkload): ConstraintStep {
  const profiles = built.flatMap((c) => [
    c.profile,
    ...c.options.filter((o) => o.profile.id !== c.profile.id).map((o) => o.profile),
  ]);
  const outcome = applyConstraints(profiles, w.constraints, licenceContext(w));
  const removedIds = new Set(outcome.removed.map((f) => f.candidateId));
  const own = new Set(built.map((c) => c.candidateId));
  const keptOptions = built.flatMap((c) => c.options).filter((o) => !removedIds.has(o.profile.id));
  return {
    removed: unique(outcome.removed.map((f) => f.sentence)),
    removedReasons: grouped(
      outcome.removed,
      own,
      (ids, rule) =>
        `Managed routes ${ids} are removed by constraints.${rule}: their hosts do not offer it, or verdict's compliance catalogue has no record that they do (each host's terms: decision.removed).`,
    ),
    conditions: [
      ...grouped(
        outcome.conditions,
        own,
        (ids, rule) =>
          `Managed routes ${ids} are kept only if deployed with their hosts to meet constraints.${rule} (terms and sources in verdict's compliance catalogue).`,
      ),
      ...unique(outcome.warnings.map((f) => f.sentence)),
    ],
    keptOptions,
    // A candidate stays in the running on its own route, or on a managed route the workload opted in.
    running: built
      .filter(
        (c) =>
          !removedIds.has(c.candidateId) ||
          keptOptions.some((o) => o.candidateId === c.candidateId && o.decides),
      )
      .map((c) => c.candidateId),
  };
}

/**
 * Candidates the hard constraints take out of the running: their own route is removed and no managed
 * route the workload opted in (managed_routes.decide) survives. They leave the quality comparison too.
 */
export function removedByConstraints(w: ConstraintWorkload): string[] {
  const profiles = w.candidates.map(candidateProfile);
  const managed = w.candidates.flatMap((c, i) => {
    const routes = c.deployment?.managedRoutes;
    const model = profiles[i]!.openModel;
    if (!routes?.decide || !model || profiles[i]!.serving === 'api') return [];
    return managedRouteHosts(model, routes).map(
      ({ host }): CandidateProfile => ({
        id: `${c.id}\u0000${host}`,
        serving: 'api',
        host,
        weights: 'open',
        openModel: model,
        catalogueRoute: true,
      }),
    );
  });
  const outcome = applyConstraints([...profiles, ...managed], w.constraints, licenceContext(w));
  const removed = new Set(outcome.removed.map((f) => f.candidateId));
  const keptManaged = new Set(managed.filter((m) => !removed.has(m.id)).map((m) => m.id.split('\u0000')[0]));
  return profiles.filter((p) => removed.has(p.id) && !keptManaged.has(p.id)).map((p) => p.id);
}

/** Findings on candidates' own routes in full; those on managed routes grouped by rule into one sentence. */
function grouped(
  findings: Array<{ candidateId: string; rule: string; sentence: string }>,
  own: Set<string>,
  sentence: (ids: string, rule: string) => string,
): string[] {
  const out = findings.filter((f) => own.has(f.candidateId)).map((f) => f.sentence);
  const byRule = new Map<string, string[]>();
  for (const f of findings.filter((x) => !own.has(x.candidateId)))
    byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f.candidateId]);
  for (const [rule, ids] of byRule) out.push(sentence([...new Set(ids)].join(', '), rule));
  return unique(out);
}
