// Which model judges a model-graded grader, and whether the workload's constraints allow it.
import { outsidePremises } from '../providers/endpoint-location.ts';
import { splitModelId } from '../providers/provider-ids.ts';
import { providerPrefixes, servingOf } from '../providers/provider-table.ts';
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

/** Why a judge may not be used under the workload's constraints, or undefined when it may. */
export function judgeNotAllowed(
  judge: Candidate,
  workload: Pick<Workload, 'constraints'>,
): string | undefined {
  if (!servingOf(judge.provider)) {
    return `unknown provider "${judge.provider}" for the judge ${judge.model}; known: ${providerPrefixes().join(', ')}`;
  }
  if (judge.provider === 'openai-compatible' && !judge.baseUrl) {
    return `the judge ${judge.model} has no endpoint: an openai-compatible judge needs base_url (judge: { model: ${judge.model}, base_url: http://… })`;
  }
  const outside =
    workload.constraints.on_prem && !workload.constraints.synthetic_data && outsidePremises(judge);
  if (outside) {
    return `constraints.on_prem is set (data may not leave the premises), so the judge must be on the premises, not ${judge.model}: ${outside} (set constraints.synthetic_data: true if the cases are synthetic)`;
  }
  return undefined;
}
