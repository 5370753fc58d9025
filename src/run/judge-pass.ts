import path from 'node:path';
import pLimit from 'p-limit';
import { combineGrades, gradersFor } from '../grade/combine.ts';
import { graderName } from '../grade/grade-output.ts';
import { judgeFor, judgeNotAllowed } from '../grade/judge.ts';
import { loadJudgePrompt } from '../grade/judge-prompts.ts';
import { hasModelGradedGraders } from '../grade/model-graded.ts';
import { graderFamilies } from '../grade/registry.ts';
import { redactSecrets, secretsFor } from '../providers/api-keys.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Grade, Result } from '../spec/result.ts';
import type { Candidate, Case, GraderSpec, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { readStoredWorkload } from '../workload/stored-workload.ts';
import { buildMessages } from './build-messages.ts';
import { createJudgeClient, type JudgeClient } from './judge-client.ts';

import { humanLabels, judgeLabelled, rejudgeOne } from './judge-labels-and-rejudging.ts';
import { gradingError, judgeOne } from './judge-one.ts';
import {
  inputOf,
  type JudgePassOptions,
  type JudgePassSummary,
  judgeEndpoint,
  keyOf,
  type PassState,
  promptFileAt,
} from './judge-pass-state.ts';

export type { JudgePassOptions, JudgePassSummary, Rejudge } from './judge-pass-state.ts';
export { hasModelGradedGraders };

/** Judges every model-graded grader of a stored run and stores the grades; the run's results must exist. */
export async function judgeRun(
  store: Store,
  runId: string,
  options: JudgePassOptions = {},
): Promise<JudgePassSummary> {
  const summary: JudgePassSummary = { judged: 0, gradingErrors: 0, calls: 0, cachedCalls: 0 };
  const run = await store.getRun(runId);
  if (!run) throw new VerdictError('RUN_NOT_FOUND', `no run "${runId}" in ${store.location}`);
  const workload = readStoredWorkload(run.workloadJson, runId);
  if (!hasModelGradedGraders(workload)) return summary;

  const inlineGraders = new Map<string, GraderSpec[]>(
    workload.cases.kind === 'inline' ? workload.cases.cases.map((c) => [c.id, c.graders ?? []]) : [],
  );
  const cases = new Map<string, Case>();
  for await (const testCase of store.cases(runId)) {
    const graders = testCase.graders?.length ? testCase.graders : inlineGraders.get(testCase.id);
    cases.set(testCase.id, graders && graders.length > 0 ? { ...testCase, graders } : testCase);
  }

  // Every judge is resolved and checked against the constraints before the first call.
  const judges = new Map<GraderSpec, Candidate>();
  const references = new Set<string>();
  for (const testCase of [{ graders: [] as GraderSpec[] }, ...cases.values()]) {
    for (const spec of gradersFor(workload, testCase)) {
      const task = graderFamilies.get(spec.type)?.judge;
      if (!task || judges.has(spec)) continue;
      const judge = judgeFor(spec, workload);
      if (!judge)
        throw new VerdictError(
          'WORKLOAD_INVALID',
          `${graderName(spec)} has no judge: set judge: in the workload`,
        );
      const refusal = judgeNotAllowed(judge, workload);
      if (refusal) throw new VerdictError('WORKLOAD_INVALID', refusal);
      judges.set(spec, judge);
      const against = task.against?.(spec.options);
      if (against) references.add(against);
    }
  }

  const referenceOutputs = new Map<string, string | null>();
  if (references.size > 0) {
    for await (const result of store.results(runId)) {
      if (references.has(result.candidateId))
        referenceOutputs.set(keyOf(result.candidateId, result.caseId, result.repeat), result.output);
    }
  }

  const second = workload.judges?.second;
  if (second) {
    const refusal = judgeNotAllowed(second, workload);
    if (refusal) throw new VerdictError('WORKLOAD_INVALID', `judges.second: ${refusal}`);
  }
  const rejudge = options.rejudge;
  if (rejudge) {
    const refusal = judgeNotAllowed(rejudge.judge, workload);
    if (refusal) throw new VerdictError('WORKLOAD_INVALID', `--judge: ${refusal}`);
    for (const spec of judges.keys()) {
      const file = promptFileAt(graderFamilies.get(spec.type)!.judge!.prompt, rejudge.promptVersion);
      try {
        loadJudgePrompt(file);
      } catch {
        throw new VerdictError('USAGE', `--prompt ${rejudge.promptVersion}: there is no prompts/${file}`);
      }
    }
  }
  const labels = await humanLabels(workload);
  const everyJudge = [...judges.values(), ...(second ? [second] : []), ...(rejudge ? [rejudge.judge] : [])];
  const env = options.env ?? process.env;
  const clients = new Map<string, JudgeClient>();
  const secrets = secretsFor(everyJudge, env);
  const state: PassState = {
    store,
    runId,
    clients,
    options,
    summary,
    secrets,
    inFlight: new Map(),
    repeat: workload.judges?.repeat ?? 1,
    ...(second ? { second } : {}),
  };
  try {
    for (const judge of everyJudge) {
      const endpoint = judgeEndpoint(judge);
      if (clients.has(endpoint)) continue;
      // A judge that cannot start (a missing key, an address its client refuses) stops the pass with
      // a provider error the CLI explains (exit 3, then `verdict judge` finishes), never an internal error.
      try {
        clients.set(endpoint, await createJudgeClient(judge, { env, baseDir: path.dirname(workload.file) }));
      } catch (error) {
        if (VerdictError.isInstance(error)) throw error;
        throw new VerdictError(
          'PROVIDER_ERROR',
          `the judge ${judge.model} could not start: ${redactSecrets(String((error as Error)?.message ?? error), secrets).slice(0, 300)}`,
        );
      }
    }
    // Labelled outputs first (a re-judging judges them with its own judge, as every output).
    if (labels.size > 0) await judgeLabelled(state, workload, cases, judges, labels);
    const limit = pLimit(options.concurrency ?? 4);
    const total = await store.countResults(runId);
    let done = 0;
    let batch: Result[] = [];
    const flush = async () => {
      await Promise.all(
        batch.map((result) =>
          limit(() => judgeResult(state, workload, cases, judges, referenceOutputs, result)),
        ),
      );
      done += batch.length;
      options.onProgress?.({ done, total });
      batch = [];
    };
    // Results are judged in bounded batches, so memory stays flat with the size of the run.
    for await (const result of store.results(runId)) {
      if (options.signal?.aborted) break;
      batch.push(result);
      if (batch.length >= 64) await flush();
    }
    if (batch.length > 0 && !options.signal?.aborted) await flush();
  } finally {
    await Promise.all([...clients.values()].map((client) => client.close()));
  }
  return summary;
}

async function judgeResult(
  state: PassState,
  workload: Workload,
  cases: Map<string, Case>,
  judges: Map<GraderSpec, Candidate>,
  referenceOutputs: Map<string, string | null>,
  result: Result,
): Promise<void> {
  if (result.error || result.output === null) return;
  const testCase = cases.get(result.caseId);
  if (!testCase) return;
  const specs = gradersFor(workload, testCase);
  const grades = [...result.grades];
  const input = inputOf(buildMessages(workload.prompt, testCase));
  let changed = false;
  const rejudge = state.options.rejudge;
  for (const [index, spec] of specs.entries()) {
    const judge = judges.get(spec);
    if (!judge || index >= grades.length) continue;
    if (rejudge) {
      await rejudgeOne(state, spec, judge, testCase, result, input, grades[index]!);
      continue;
    }
    const against = graderFamilies.get(spec.type)?.judge?.against?.(spec.options) ?? '';
    let grade: Grade;
    try {
      grade = await judgeOne(
        state,
        spec,
        judge,
        testCase,
        result.output,
        input,
        {
          candidateId: against,
          output: referenceOutputs.get(keyOf(against, result.caseId, result.repeat)),
          isSelf: against === result.candidateId,
        },
        result,
      );
    } catch (error) {
      grade = gradingError(
        graderName(spec),
        redactSecrets(String((error as Error)?.message ?? error), state.secrets).slice(0, 300),
      );
    }
    if (grade.error) state.summary.gradingErrors++;
    grades[index] = grade;
    changed = true;
  }
  if (!changed) return;
  const { pass } = combineGrades(grades, specs, workload.passThreshold);
  await state.store.saveGrades(
    { runId: result.runId, candidateId: result.candidateId, caseId: result.caseId, repeat: result.repeat },
    grades,
    pass,
  );
  state.summary.judged++;
}
