// Checks of a workload's graders that need more than their own options: custom grader files exist,
// model-graded graders have a judge the constraints allow, pairwise references are candidates.
// Run at load time, so a mistake is reported before any call.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { GraderSpec, Workload } from '../spec/workload.ts';
import { judgeFor, judgeNotAllowed } from './judge.ts';
import { graderFamilies } from './registry.ts';

/** One located problem: the field path of the grader entry, and what is wrong. */
export interface GraderProblem {
  path: PropertyKey[];
  message: string;
}

/** Resolves custom grader files against the workload's directory (in place) and reports every problem. */
export function checkGraders(
  workload: Workload,
  specsAt: Array<{ specs: GraderSpec[]; path: PropertyKey[] }>,
): GraderProblem[] {
  const problems: GraderProblem[] = [];
  const baseDir = path.dirname(workload.file);
  const workloadJudgeRefusal = workload.judge && judgeNotAllowed(workload.judge, workload);
  if (workloadJudgeRefusal) problems.push({ path: ['judge'], message: workloadJudgeRefusal });
  const second = workload.judges?.second;
  const secondRefusal = second && judgeNotAllowed(second, workload);
  if (secondRefusal) problems.push({ path: ['judges', 'second'], message: secondRefusal });
  for (const { specs, path: at } of specsAt) {
    specs.forEach((spec, index) => {
      const where = [...at, index, spec.type];
      const inner = spec.type === 'not' ? (spec.options.inner as GraderSpec) : spec;
      if (inner.type === 'custom') {
        const file = path.resolve(baseDir, String(inner.options.file));
        if (!existsSync(file) || !statSync(file).isFile()) {
          problems.push({
            path: [...where, 'file'],
            message: `custom grader file ${inner.options.file} does not exist (looked for ${file})`,
          });
        }
        inner.options.file = file;
      }
      const task = graderFamilies.get(spec.type)?.judge;
      if (!task) return;
      const judge = judgeFor(spec, workload);
      if (!judge) {
        const own = task.judge?.(spec.options);
        problems.push({
          path: where,
          message: own
            ? `judge "${own}" is neither a candidate id nor a provider:model id`
            : `${spec.type} needs a judge: set judge: at the top of the workload (a candidate id or provider:model) or in this grader`,
        });
        return;
      }
      // The workload's own judge is reported once, at judge:.
      const refusal = judge === workload.judge ? undefined : judgeNotAllowed(judge, workload);
      if (refusal) problems.push({ path: [...where, 'judge'], message: refusal });
      const against = task.against?.(spec.options);
      if (against !== undefined && !workload.candidates.some((candidate) => candidate.id === against)) {
        problems.push({
          path: [...where, 'against'],
          message: `pairwise compares with "${against}", which is not a candidate (candidates: ${workload.candidates.map((c) => c.id).join(', ')})`,
        });
      }
    });
  }
  return problems;
}
