// A score-graded judgment (rubric, closed-qa, factual) asked `judges.repeat` times, and of a second
// judge when the workload names one. The grade is the first judge's mean score against the grader's
// threshold; every ask is kept as a judgment, so the report can show a judge's spread, the cases
// whose asks fall on both sides of the threshold, and how often two judges agree.
import type { Judgment } from '../spec/grade.ts';
import type { Grade } from '../spec/result.ts';
import type { Candidate } from '../spec/workload.ts';
import type { JudgeVerdict } from './judge-call.ts';

/** Asks one judge one prompt; `sample` is part of the cache key, so each ask is its own call. */
export type AskScore = (judge: Candidate, prompt: string, sample: number) => Promise<JudgeVerdict | string>;

export interface ScoreJudging {
  grader: string;
  prompt: string;
  judge: Candidate;
  second?: Candidate;
  /** Asks per judge (1 or more). */
  repeat: number;
  passes: (score: number) => boolean;
  /** Keep every ask as a judgment even with one ask and one judge (labelled outputs, re-judging). */
  keep?: boolean;
  /** The role the first judge's judgments are stored under (default `grading`). */
  role?: Judgment['role'];
  /** The result judged. */
  at: { runId: string; candidateId: string; caseId: string; repeat: number };
}

interface Asks {
  scores: Array<number | null>;
  reasons: string[];
  problem?: string;
}

async function askTimes(ask: AskScore, judge: Candidate, prompt: string, times: number): Promise<Asks> {
  const out: Asks = { scores: [], reasons: [] };
  for (let sample = 0; sample < times; sample++) {
    const verdict = await ask(judge, prompt, sample);
    if (typeof verdict === 'string') {
      out.scores.push(null);
      out.problem ??= verdict;
    } else {
      out.scores.push((verdict as { score: number }).score);
      out.reasons.push(verdict.reason);
    }
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const usable = (asks: Asks) => asks.scores.filter((s): s is number => s !== null);
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The grade of one result by its judge over `repeat` asks, and every ask (and a second judge's) as a judgment. */
export async function judgeScore(
  ask: AskScore,
  j: ScoreJudging,
): Promise<{ grade: Grade; judgments: Judgment[] }> {
  const first = await askTimes(ask, j.judge, j.prompt, j.repeat);
  const second = j.second ? await askTimes(ask, j.second, j.prompt, j.repeat) : undefined;
  const judgments: Judgment[] = [];
  const keep = (asks: Asks, judge: Candidate, role: Judgment['role']) => {
    const scores = usable(asks);
    const verdict = scores.length > 0 ? j.passes(mean(scores)) : null;
    for (const [sample, score] of asks.scores.entries())
      judgments.push({
        ...j.at,
        grader: j.grader,
        judge: judge.model,
        role,
        sample,
        score,
        pass: score === null ? null : j.passes(score),
        verdict,
      });
  };
  // Only what reliability needs is kept: one ask by one judge has no spread and no agreement.
  if (j.repeat > 1 || second || j.keep) {
    keep(first, j.judge, j.role ?? 'grading');
    if (second && j.second) keep(second, j.second, 'second');
  }
  const scores = usable(first);
  if (scores.length === 0)
    return {
      grade: {
        grader: j.grader,
        pass: false,
        score: 0,
        reason: `grading error: ${first.problem ?? 'no usable reply'}`.slice(0, 500),
        error: true,
      },
      judgments,
    };
  const score = round(mean(scores));
  const said =
    j.repeat === 1
      ? `judge ${score}`
      : `judge mean ${score} of ${scores.length} asks (${scores.join(', ')})${scores.length < j.repeat ? `, ${j.repeat - scores.length} unusable` : ''}`;
  return {
    grade: {
      grader: j.grader,
      pass: j.passes(score),
      score,
      reason: `${said}: ${first.reasons[0]}`.slice(0, 500),
    },
    judgments,
  };
}
