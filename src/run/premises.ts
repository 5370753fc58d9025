// `constraints.on_prem`: the cases may not leave the premises, so a candidate whose endpoint is
// outside them is never called — not called and removed afterwards, as the decision alone would do.
// The decision still prices it from declared or estimated tokens and says why it is out.
import { outsidePremises } from '../providers/endpoint-location.ts';
import type { Candidate, Workload } from '../spec/workload.ts';

/** A candidate the run does not call, and why. */
export interface NotCalled {
  candidateId: string;
  reason: string;
}

/** The candidates whose calls would send the cases off the premises; none without on_prem or with synthetic data. */
export function candidatesKeptFromCases(workload: Pick<Workload, 'candidates' | 'constraints'>): NotCalled[] {
  const { on_prem, synthetic_data } = workload.constraints;
  if (!on_prem || synthetic_data) return [];
  return workload.candidates.flatMap((candidate: Candidate) => {
    const outside = outsidePremises(candidate);
    return outside
      ? [
          {
            candidateId: candidate.id,
            reason: `not called: constraints.on_prem keeps the cases on the premises, and ${outside}`,
          },
        ]
      : [];
  });
}
