import type { CandidateSummary } from '../spec/decision.ts';
import type { DecisionSettings } from '../spec/workload.ts';

// Step 3 of the decision (DESIGN §5): the latency objective, on the run's measured p90s. A gate
// without its measurement fails closed: a candidate whose TTFT was never measured (stream: false,
// or no successful call) cannot be shown to meet a TTFT objective, so it does not pass it.

export interface LatencyStep {
  /** Candidates that meet every bound the workload sets, in input order. */
  kept: string[];
  /** One sentence per candidate that drops out, saying what was measured or what to measure. */
  dropped: Array<{ candidateId: string; sentence: string }>;
}

interface Bound {
  what: string;
  field: string;
  bound: number | undefined;
  p90: (s: CandidateSummary) => number | null;
  howToMeasure: string;
}

/** Applies decision.max_ttft_p90_ms and max_e2e_p90_ms to the candidates still in the running. */
export function latencyStep(
  candidates: string[],
  summaries: CandidateSummary[],
  settings: DecisionSettings,
): LatencyStep {
  const bounds: Bound[] = [
    {
      what: 'time to first token',
      field: 'decision.max_ttft_p90_ms',
      bound: settings.max_ttft_p90_ms,
      p90: (s) => s.ttftMs.p90,
      howToMeasure: 'stream its answers (stream: true) in a run to measure it',
    },
    {
      what: 'end-to-end latency',
      field: 'decision.max_e2e_p90_ms',
      bound: settings.max_e2e_p90_ms,
      p90: (s) => s.durationMs.p90,
      howToMeasure: 'run its cases to measure it',
    },
  ];
  const out: LatencyStep = { kept: [], dropped: [] };
  for (const id of candidates) {
    const s = summaries.find((x) => x.candidateId === id);
    let sentence: string | null = null;
    for (const b of bounds) {
      if (b.bound === undefined) continue;
      const p90 = s ? b.p90(s) : null;
      if (p90 === null) {
        sentence = `${id} drops out: the objective ${b.field} = ${b.bound} ms cannot be checked, because its ${b.what} was not measured; ${b.howToMeasure}.`;
        break;
      }
      if (p90 > b.bound) {
        sentence = `${id} drops out: its measured p90 ${b.what} of ${Math.round(p90)} ms exceeds the objective of ${b.bound} ms (${b.field}).`;
        break;
      }
    }
    if (sentence) out.dropped.push({ candidateId: id, sentence });
    else out.kept.push(id);
  }
  return out;
}
