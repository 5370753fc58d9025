// The judge-reliability block of the quality report, read from the stored judgments: per grader, the
// spread of a judge over its repeated asks and the cases whose asks fall on both sides of the
// threshold; with a second judge, Cohen's kappa on pass/fail and the results they disagree on.
import type { Judgment } from '../spec/grade.ts';
import type { GraderReliability, JudgeReliability } from '../spec/quality.ts';
import type { Workload } from '../spec/workload.ts';
import { cohenKappa } from '../stats/cohen-kappa.ts';
import type { Store } from '../store/store.ts';

/** Below this kappa a grader's judge agreement is flagged: "moderate" or less on Landis & Koch's (1977) scale. */
export const LOW_KAPPA = 0.6;
const LISTED = 50;

const resultKey = (j: Judgment) => `${j.candidateId}\u0000${j.caseId}\u0000${j.repeat}`;

interface GraderState {
  row: GraderReliability;
  spreads: number[];
  /** The first judge's verdict per result, for pairing with the second's. */
  firstVerdicts: Map<string, boolean>;
  pairs: Array<readonly [boolean, boolean]>;
  disagreements: NonNullable<GraderReliability['agreement']>['disagreements'];
  second?: string;
}

/** The judge-reliability block of a run, or undefined when the workload asked for none. */
export async function judgeReliability(
  store: Store,
  runId: string,
  workload: Pick<Workload, 'judges'>,
): Promise<JudgeReliability | undefined> {
  const settings = workload.judges;
  if (!settings || (settings.repeat <= 1 && !settings.second)) return undefined;
  const graders = new Map<string, GraderState>();
  // Judgments arrive ordered by grader, role, result and ask: one result's asks are consecutive.
  let current: Judgment[] = [];
  const finish = () => {
    if (current.length === 0) return;
    const head = current[0]!;
    let state = graders.get(head.grader);
    if (!state) {
      state = {
        row: {
          grader: head.grader,
          judge: '',
          judged: 0,
          meanSpread: null,
          straddlingCount: 0,
          straddling: [],
        },
        spreads: [],
        firstVerdicts: new Map(),
        pairs: [],
        disagreements: [],
      };
      graders.set(head.grader, state);
    }
    const verdict = head.verdict;
    const scores = current.flatMap((j) => (j.score === null ? [] : [j.score]));
    if (head.role === 'grading') {
      state.row.judge = head.judge;
      if (scores.length > 0 && verdict !== null) {
        state.row.judged++;
        state.spreads.push(Math.max(...scores) - Math.min(...scores));
        state.firstVerdicts.set(resultKey(head), verdict);
        const passes = current.filter((j) => j.pass === true).length;
        const fails = current.filter((j) => j.pass === false).length;
        if (passes > 0 && fails > 0) {
          state.row.straddlingCount++;
          if (state.row.straddling.length < LISTED)
            state.row.straddling.push({
              candidateId: head.candidateId,
              caseId: head.caseId,
              repeat: head.repeat,
              scores,
              mean: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000,
              pass: verdict,
            });
        }
      }
    } else {
      state.second = head.judge;
      const first = state.firstVerdicts.get(resultKey(head));
      if (first !== undefined && verdict !== null) {
        state.pairs.push([first, verdict]);
        if (first !== verdict && state.disagreements.length < LISTED)
          state.disagreements.push({
            candidateId: head.candidateId,
            caseId: head.caseId,
            repeat: head.repeat,
            first,
            second: verdict,
          });
      }
    }
    current = [];
  };
  for await (const judgment of store.judgments(runId)) {
    const head = current[0];
    if (
      head &&
      (head.grader !== judgment.grader ||
        head.role !== judgment.role ||
        resultKey(head) !== resultKey(judgment))
    )
      finish();
    current.push(judgment);
  }
  finish();

  const rows = [...graders.values()].map((state) => {
    const row = state.row;
    if (settings.repeat > 1 && state.spreads.length > 0)
      row.meanSpread =
        Math.round((state.spreads.reduce((a, b) => a + b, 0) / state.spreads.length) * 1000) / 1000;
    if (state.second) {
      const kappa = cohenKappa(state.pairs);
      const disagreementCount = state.pairs.filter(([a, b]) => a !== b).length;
      row.agreement = {
        second: state.second,
        n: kappa.n,
        agreed: kappa.n - disagreementCount,
        kappa: kappa.kappa,
        interval: kappa.interval,
        low: kappa.kappa !== null && kappa.kappa < LOW_KAPPA,
        disagreementCount,
        disagreements: state.disagreements,
      };
    }
    return row;
  });
  return { repeat: settings.repeat, lowKappa: LOW_KAPPA, graders: rows };
}
