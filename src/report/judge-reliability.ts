// The judge-reliability block of the quality report, read from the stored judgments: per grader, the
// spread of a judge over its repeated asks and the cases whose asks fall on both sides of the
// threshold; with a second judge, Cohen's kappa on pass/fail and the results they disagree on.
import { HUMAN_LABELLED, type Judgment } from '../spec/grade.ts';
import type {
  GraderReliability,
  JudgeAgreement,
  JudgeDisagreement,
  JudgeReliability,
} from '../spec/quality.ts';
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
  /** Each rater's verdict per result, by role (grading, second, human, rejudge:…), and its judge. */
  verdicts: Map<Judgment['role'], { judge: string; byResult: Map<string, boolean> }>;
}

/** Agreement of the grading judge with another rater over the results both gave a verdict. */
function agreementOf(
  first: Map<string, boolean>,
  other: { judge: string; byResult: Map<string, boolean> },
  include: (key: string) => boolean,
): JudgeAgreement | undefined {
  const pairs: Array<readonly [boolean, boolean]> = [];
  const disagreements: JudgeDisagreement[] = [];
  let disagreementCount = 0;
  for (const [key, second] of other.byResult) {
    const verdict = first.get(key);
    if (verdict === undefined || !include(key)) continue;
    pairs.push([verdict, second]);
    if (verdict !== second) {
      disagreementCount++;
      if (disagreements.length < LISTED) {
        const [candidateId, caseId, repeat] = key.split('\u0000');
        disagreements.push({
          candidateId: candidateId!,
          caseId: caseId!,
          repeat: Number(repeat),
          first: verdict,
          second,
        });
      }
    }
  }
  if (pairs.length === 0) return undefined;
  const kappa = cohenKappa(pairs);
  const share = (i: 0 | 1) => Math.round((pairs.filter((p) => p[i]).length / pairs.length) * 1000) / 1000;
  return {
    second: other.judge,
    n: kappa.n,
    agreed: kappa.n - disagreementCount,
    passRates: { first: share(0), second: share(1) },
    kappa: kappa.kappa,
    interval: kappa.interval,
    low: kappa.kappa !== null && kappa.kappa < LOW_KAPPA,
    disagreementCount,
    disagreements,
  };
}

const labelled = (key: string) => key.startsWith(`${HUMAN_LABELLED}\u0000`);

/** The judge-reliability block of a run, or undefined when it has nothing to measure. */
export async function judgeReliability(
  store: Store,
  runId: string,
  workload: Pick<Workload, 'judges'>,
): Promise<JudgeReliability | undefined> {
  const repeat = workload.judges?.repeat ?? 1;
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
        verdicts: new Map(),
      };
      graders.set(head.grader, state);
    }
    const verdict = head.verdict;
    const scores = current.flatMap((j) => (j.score === null ? [] : [j.score]));
    if (verdict !== null && scores.length > 0) {
      const rater = state.verdicts.get(head.role) ?? { judge: head.judge, byResult: new Map() };
      state.verdicts.set(head.role, rater);
      rater.byResult.set(resultKey(head), verdict);
    }
    // A labelled output is judged to be compared with its label: it is not one of the run's results.
    if (head.role === 'grading' && head.candidateId !== HUMAN_LABELLED) {
      state.row.judge = head.judge;
      if (scores.length > 0 && verdict !== null) {
        state.row.judged++;
        state.spreads.push(Math.max(...scores) - Math.min(...scores));
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
  if (graders.size === 0 && repeat <= 1 && !workload.judges?.second) return undefined;

  const rows = [...graders.values()].map((state) => {
    const row = state.row;
    if (repeat > 1 && state.spreads.length > 0)
      row.meanSpread =
        Math.round((state.spreads.reduce((a, b) => a + b, 0) / state.spreads.length) * 1000) / 1000;
    const first = state.verdicts.get('grading')?.byResult ?? new Map<string, boolean>();
    const human = state.verdicts.get('human');
    const second = state.verdicts.get('second');
    const agreement = second && agreementOf(first, second, (key) => !labelled(key));
    if (agreement) row.agreement = agreement;
    const withHuman = human && agreementOf(first, human, labelled);
    if (withHuman) row.human = withHuman;
    for (const [role, rater] of state.verdicts) {
      if (!role.startsWith('rejudge:')) continue;
      const against = agreementOf(first, rater, (key) => !labelled(key));
      if (!against) continue;
      const people = human && agreementOf(rater.byResult, human, labelled);
      row.rejudges ??= [];
      row.rejudges.push({
        ...against,
        prompt: Number(role.slice(role.lastIndexOf(':v') + 2)),
        ...(people ? { human: { ...people, second: 'human' } } : {}),
      });
    }
    return row;
  });
  return { repeat, lowKappa: LOW_KAPPA, graders: rows };
}
