// Which model judges a model-graded grader, and whether the workload's constraints allow it.
import { providerServing, splitModelId } from '../providers/provider-ids.ts';
import type { Candidate, GraderSpec, Workload } from '../spec/workload.ts';
import { graderFamilies } from './registry.ts';

/** A judge named by a string: a candidate of the workload, or a `provider:model` id of its own. */
export function judgeFromName(name: string, candidates: readonly Candidate[]): Candidate | undefined {
  const candidate = candidates.find((c) => c.id === name);
  if (candidate) return candidate;
  const { provider, modelName } = splitModelId(name);
  if (!provider || !modelName || !/^[a-z][a-z0-9-]*$/.test(provider)) return undefined;
  return { id: name, model: name, provider, modelName, params: { temperature: 0 } };
}

/** The judge of one grader: its own `judge:` option, else the workload's judge; undefined when none is set. */
export function judgeFor(
  spec: GraderSpec,
  workload: Pick<Workload, 'judge' | 'candidates'>,
): Candidate | undefined {
  const task = graderFamilies.get(spec.type)?.judge;
  const own = task?.judge?.(spec.options);
  if (own) return judgeFromName(own, workload.candidates);
  return workload.judge;
}

/** True when a model's calls stay on infrastructure the team runs (self-hosted or embedded). */
export function isSelfHosted(judge: Candidate): boolean {
  const serving = (providerServing as Record<string, string>)[judge.provider];
  return serving === 'self-hosted' || serving === 'embedded';
}

/** Why a judge may not be used under the workload's constraints, or undefined when it may. */
export function judgeNotAllowed(
  judge: Candidate,
  workload: Pick<Workload, 'constraints'>,
): string | undefined {
  if (!(judge.provider in providerServing)) {
    return `unknown provider "${judge.provider}" for the judge ${judge.model}; known: ${Object.keys(providerServing).join(', ')}`;
  }
  if (workload.constraints.on_prem && !isSelfHosted(judge)) {
    return `constraints.on_prem is set (data may not leave the premises), so the judge must be self-hosted (openai-compatible or llama-cpp), not ${judge.model}`;
  }
  return undefined;
}
