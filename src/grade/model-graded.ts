// Whether a workload needs the judge pass, known without loading the judge clients and the AI SDK
// they call (a run against a self-hosted server should not pay their start-up).
import type { Workload } from '../spec/workload.ts';
import { graderFamilies } from './registry.ts';

/** True when the workload has a model-graded grader anywhere. */
export function hasModelGradedGraders(workload: Workload): boolean {
  const specs = [
    ...workload.graders,
    ...(workload.cases.kind === 'inline' ? workload.cases.cases.flatMap((c) => c.graders ?? []) : []),
  ];
  return specs.some((spec) => graderFamilies.get(spec.type)?.judge);
}
