// The distinct call errors of each candidate that had failed calls, worded once for every format:
// a wrong model id or a server that is down must be named where the reader looks first, not only
// in the CSV. Renderers escape the untrusted message for their medium.
import type { Report } from '../spec/decision.ts';

export interface CallErrorBlock {
  candidateId: string;
  /** "4 of 30 calls failed". */
  summary: string;
  errors: Array<{ count: number; message: string; exampleCaseId: string }>;
  /** Further distinct errors beyond those listed (all are in the CSV). */
  omitted: number;
}

/** One block per candidate with failed calls; none when every call succeeded. */
export function callErrorBlocks(report: Report): CallErrorBlock[] {
  return report.candidates
    .filter((candidate) => candidate.errors > 0)
    .map((candidate) => {
      // The block names the candidate: "openai-compatible:open-8B: HTTP 404 …" loses that prefix.
      const prefix = `${candidate.model}: `;
      return {
        candidateId: candidate.candidateId,
        summary: `${candidate.errors} of ${candidate.total} calls failed`,
        errors: (candidate.callErrors ?? []).map((group) => ({
          count: group.count,
          message: group.message.startsWith(prefix) ? group.message.slice(prefix.length) : group.message,
          exampleCaseId: group.exampleCaseId,
        })),
        omitted: candidate.callErrorsOmitted ?? 0,
      };
    });
}
