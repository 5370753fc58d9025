// Answers replayed from the response cache carry the latency and tokens of the call that made
// them, in another run: a re-run from the cache printed a report identical to the first, old TTFTs
// included, with nothing saying so (issue 16). The figures stay in the percentiles (a run answered
// wholly from the cache would otherwise have none); this caveat says where they were measured.
import type { CandidateSummary } from '../spec/decision.ts';

const listed = (items: string[]) =>
  items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The caveat naming how many answers of each candidate were replayed and the runs that measured them; none when no answer was. */
export function cachedAnswerCaveats(candidates: CandidateSummary[]): string[] {
  const replayed = candidates.filter((candidate) => (candidate.cachedAnswers?.replayed ?? 0) > 0);
  if (replayed.length === 0) return [];
  const counts = replayed.map(
    (candidate) => `${candidate.candidateId} ${candidate.cachedAnswers!.replayed} of ${candidate.total}`,
  );
  const runs = [...new Set(replayed.flatMap((candidate) => candidate.cachedAnswers!.measuredIn))];
  const unknown = replayed.some((candidate) => candidate.cachedAnswers!.unknownOrigin > 0);
  const shownRuns = runs.length > 3 ? [...runs.slice(0, 3), `${runs.length - 3} more`] : runs;
  const where = [
    ...(shownRuns.length > 0 ? [`run${runs.length === 1 ? '' : 's'} ${listed(shownRuns)}`] : []),
    ...(unknown ? ['an earlier run'] : []),
  ].join(' and ');
  return [
    `Answers replayed from the response cache: ${listed(counts)}. Their latency (TTFT, end to end) and token counts were measured in ${where}, not in this run; \`verdict run --no-cache\` measures them again.`,
  ];
}
