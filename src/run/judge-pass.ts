// The judge pass: after the candidates' calls, model-graded graders are judged here and their grades
// stored over the pending ones. Judge calls are cached by content in the store and recorded per run,
// so their cost is counted apart from the candidates'; a bad judge reply is a grading error on that
// case, never a crash.
import { createHash } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import { combineGrades, gradersFor } from '../grade/combine.ts';
import { graderName, toGrade } from '../grade/grade-output.ts';
import { judgeFor, judgeNotAllowed } from '../grade/judge.ts';
import { type JudgeVerdict, parseJudgeReply, type ReplyShape } from '../grade/judge-call.ts';
import { fillJudgePrompt, loadJudgePrompt } from '../grade/judge-prompts.ts';
import { judgeScore } from '../grade/judge-score.ts';
import { hasModelGradedGraders } from '../grade/model-graded.ts';
import { type PairwiseWinner, pairwiseScore } from '../grade/pairwise.ts';
import { awaitingJudge } from '../grade/pending-judge.ts';
import { graderFamilies } from '../grade/registry.ts';
import { redactSecrets, secretsFor } from '../providers/api-keys.ts';
import { classifyProviderError } from '../providers/classify-error.ts';
import { VerdictError } from '../spec/errors.ts';
import { HUMAN_LABELLED, type Judgment } from '../spec/grade.ts';
import type { Grade, Result } from '../spec/result.ts';
import type { Candidate, Case, ChatMessage, GraderSpec, HumanLabel, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { readCases } from '../workload/read-cases.ts';
import { readStoredWorkload } from '../workload/stored-workload.ts';
import { buildMessages } from './build-messages.ts';
import { createJudgeClient, type JudgeAnswer, type JudgeClient } from './judge-client.ts';

export { hasModelGradedGraders };

export interface JudgePassOptions {
  env?: NodeJS.ProcessEnv;
  /** Concurrent judge calls (default 4). */
  concurrency?: number;
  /** Per-call timeout in milliseconds (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number }) => void;
  /**
   * Re-judge with another judge (and prompt version) instead: its verdicts are kept as judgments
   * beside the first judge's, the stored grades stay the first judge's.
   */
  rejudge?: Rejudge;
}

/** `verdict judge --judge MODEL --prompt VERSION`: a second set of grades, kept apart. */
export interface Rejudge {
  judge: Candidate;
  /** The judge prompts' version (prompts/<family>.v<N>.md); default the version the run used. */
  promptVersion?: number;
}

/** The judgment role of a re-judging: the judge and the prompt version, so two re-judgings never overwrite. */
export const rejudgeRole = (model: string, version: number): Judgment['role'] =>
  `rejudge:${model}:v${version}`;

/** The prompt file of a family at another version: `rubric.v1.md` → `rubric.v2.md`. */
function promptFileAt(file: string, version: number | undefined): string {
  return version === undefined ? file : file.replace(/\.v\d+\.md$/, `.v${version}.md`);
}

export interface JudgePassSummary {
  /** Results whose model-graded grades were judged. */
  judged: number;
  /** Grades the judge could not give (malformed replies, failed calls). */
  gradingErrors: number;
  /** Judge calls made, and answered from the cache. */
  calls: number;
  cachedCalls: number;
}

const keyOf = (candidateId: string, caseId: string, repeat: number) =>
  `${candidateId}\u0000${caseId}\u0000${repeat}`;

/** The text the judge sees as the input: the conversation the candidate was sent, without system text. */
function inputOf(messages: ChatMessage[]): string {
  return messages
    .filter((message) => message.role !== 'system')
    .map((message) => message.content)
    .join('\n\n');
}

/** Judges share a client only when they share an endpoint: provider, address, key and model. */
export function judgeEndpoint(judge: Candidate): string {
  return JSON.stringify([judge.provider, judge.baseUrl ?? null, judge.apiKeyEnv ?? null, judge.model]);
}

interface PassState {
  store: Store;
  runId: string;
  /** A client per judge endpoint. */
  clients: Map<string, JudgeClient>;
  /** API key values the judges use, redacted from every stored message. */
  secrets: string[];
  /** Asks per score-graded judgment (judges.repeat), and the second judge whose agreement is reported. */
  repeat: number;
  second?: Candidate;
  /** Answers of judge prompts asked in this pass and not yet in the store's cache, by cache key. */
  inFlight: Map<string, Promise<JudgeAnswer | undefined>>;
  options: JudgePassOptions;
  summary: JudgePassSummary;
}

/** Asks a judge (or its cache) one prompt; returns the verdict or why there is none. */
async function ask(
  state: PassState,
  judge: Candidate,
  prompt: string,
  reply: ReplyShape,
  sample = 0,
): Promise<JudgeVerdict | string> {
  const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
  // A repeated ask (judges.repeat) is its own call: the sample is in the key; the first keeps the key it always had.
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        judge.model,
        judge.baseUrl ?? null,
        judge.params,
        reply,
        messages,
        ...(sample > 0 ? [sample] : []),
      ]),
    )
    .digest('hex');
  let cached: JudgeAnswer | undefined = (await state.store.getJudgeReply(key)) ?? undefined;
  let text: string;
  let inputTokens: number | null = null;
  let outputTokens: number | null = null;
  // The same prompt asked again while its first ask is in flight waits for that answer (one call per
  // prompt in a run, as for the candidates); if that call fails, this ask makes its own.
  const earlier = cached ? undefined : state.inFlight.get(key);
  if (earlier) cached = await earlier;
  if (cached) {
    text = cached.text;
    state.summary.cachedCalls++;
  } else {
    let settle!: (answer: JudgeAnswer | undefined) => void;
    const entry = new Promise<JudgeAnswer | undefined>((resolve) => (settle = resolve));
    state.inFlight.set(key, entry);
    const client = state.clients.get(judgeEndpoint(judge))!;
    const signals = [AbortSignal.timeout(state.options.timeoutMs ?? 120_000)];
    if (state.options.signal) signals.push(state.options.signal);
    try {
      const answer = await client.ask(messages, reply, AbortSignal.any(signals));
      ({ text, inputTokens, outputTokens } = answer);
      settle(answer);
    } catch (error) {
      if (state.inFlight.get(key) === entry) state.inFlight.delete(key);
      settle(undefined);
      // A provider's error can echo a request header back: keys never reach the store or a report.
      const message = redactSecrets(classifyProviderError(error, judge.model).message, state.secrets).slice(
        0,
        300,
      );
      await state.store.recordJudgeCall({
        runId: state.runId,
        judge: judge.model,
        key,
        cached: false,
        inputTokens: null,
        outputTokens: null,
        error: message,
      });
      state.summary.calls++;
      return `the judge call failed: ${message}`;
    }
    state.summary.calls++;
  }
  const verdict = parseJudgeReply(text, reply);
  if (!cached && typeof verdict !== 'string') {
    await state.store.saveJudgeReply(key, { judge: judge.model, text, inputTokens, outputTokens });
    // The store's cache answers this prompt from now on; an unusable reply stays shared for the pass.
    state.inFlight.delete(key);
  }
  await state.store.recordJudgeCall({
    runId: state.runId,
    judge: judge.model,
    key,
    cached: Boolean(cached),
    inputTokens: cached ? (cached.inputTokens ?? null) : inputTokens,
    outputTokens: cached ? (cached.outputTokens ?? null) : outputTokens,
    error: typeof verdict === 'string' ? verdict : null,
  });
  return verdict;
}

const gradingError = (grader: string, reason: string): Grade => ({
  grader,
  pass: false,
  score: 0,
  reason: `grading error: ${reason}`.slice(0, 500),
  error: true,
});

/** Judges one model-graded grader on one output. */
async function judgeOne(
  state: PassState,
  spec: GraderSpec,
  judge: Candidate,
  testCase: Case,
  output: string,
  input: string,
  reference: { candidateId: string; output: string | null | undefined; isSelf: boolean },
  at: { runId: string; candidateId: string; caseId: string; repeat: number },
): Promise<Grade> {
  const family = graderFamilies.get(spec.type)!;
  const task = family.judge!;
  const name = graderName(spec);
  // A family can decide without the judge (a factual check with no reference): no call is made.
  const without = family.grade(spec.options, testCase, output, {});
  if (without !== awaitingJudge) return toGrade(name, without);
  const rejudge = state.options.rejudge;
  const prompt = loadJudgePrompt(promptFileAt(task.prompt, rejudge?.promptVersion));
  const values = task.fill(spec.options, testCase, output, input);
  if (task.reply === 'score') {
    const { grade, judgments } = await judgeScore(
      (model, text, sample) => ask(state, model, text, 'score', sample),
      {
        grader: name,
        prompt: fillJudgePrompt(prompt.template, values),
        judge: rejudge ? rejudge.judge : judge,
        // A labelled output or a re-judging keeps its one ask too: it is there to be compared.
        ...(state.second && !rejudge ? { second: state.second } : {}),
        repeat: state.repeat,
        passes: (score) => task.passes(spec.options, score),
        at,
        ...(rejudge || at.candidateId === HUMAN_LABELLED
          ? { keep: true, ...(rejudge ? { role: rejudgeRole(rejudge.judge.model, prompt.version) } : {}) }
          : {}),
      },
    );
    if (judgments.length > 0) await state.store.saveJudgments(judgments);
    return grade;
  }
  if (reference.isSelf) {
    return { grader: name, pass: true, score: 0.5, reason: 'the reference of this pairwise comparison' };
  }
  if (reference.output === null || reference.output === undefined) {
    return gradingError(name, `no output from ${reference.candidateId} on this case to compare with`);
  }
  // Asked twice with the answers swapped: a judge that favours a position cancels out.
  const first = await ask(
    state,
    judge,
    fillJudgePrompt(prompt.template, { ...values, output_a: output, output_b: reference.output }),
    'preference',
  );
  const second = await ask(
    state,
    judge,
    fillJudgePrompt(prompt.template, { ...values, output_a: reference.output, output_b: output }),
    'preference',
  );
  if (typeof first === 'string') return gradingError(name, first);
  if (typeof second === 'string') return gradingError(name, second);
  const firstWinner = (first as { winner: PairwiseWinner }).winner;
  const secondWinner = (second as { winner: PairwiseWinner }).winner;
  const { score, outcome } = pairwiseScore(firstWinner, secondWinner);
  const story = {
    won: `preferred over ${reference.candidateId} in both orders`,
    lost: `${reference.candidateId} preferred in both orders`,
    'position bias': `the judge picked answer ${firstWinner} both times (position bias), counted as a tie`,
    split: `split against ${reference.candidateId} (one order decided, the other tied), counted as a tie`,
    tie: `tied with ${reference.candidateId}`,
  }[outcome];
  return {
    grader: name,
    pass: task.passes(spec.options, score),
    score,
    reason: `${story}: ${first.reason}`.slice(0, 500),
  };
}

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

/** Re-judges one score-graded grader of a result; the stored grade stays, both judges' verdicts are kept. */
async function rejudgeOne(
  state: PassState,
  spec: GraderSpec,
  judge: Candidate,
  testCase: Case,
  result: Result,
  input: string,
  stored: Grade,
): Promise<void> {
  if (graderFamilies.get(spec.type)?.judge?.reply !== 'score' || result.output === null) return;
  const at = {
    runId: result.runId,
    candidateId: result.candidateId,
    caseId: result.caseId,
    repeat: result.repeat,
  };
  const grade = await judgeOne(state, spec, judge, testCase, result.output, input, NO_REFERENCE, at);
  if (grade.error) state.summary.gradingErrors++;
  // One ask by one judge kept no judgment when the run was judged: the stored grade is that verdict.
  if (state.repeat === 1 && !state.second && !stored.error)
    await state.store.saveJudgments([
      {
        ...at,
        grader: stored.grader,
        judge: judge.model,
        role: 'grading',
        sample: 0,
        score: stored.score,
        pass: stored.pass,
        verdict: stored.pass,
      },
    ]);
  state.summary.judged++;
}

const NO_REFERENCE = { candidateId: '', output: null, isSelf: false };

/** The cases' labelled outputs: inline from the stored workload, from a cases file read again (labels may be added after the run). */
async function humanLabels(workload: Workload): Promise<Map<string, HumanLabel>> {
  const labels = new Map<string, HumanLabel>();
  if (workload.cases.kind === 'inline') {
    for (const c of workload.cases.cases) if (c.human) labels.set(c.id, c.human);
  } else if (workload.cases.human) {
    for await (const c of readCases(workload.cases, path.dirname(workload.file)))
      if (c.human) labels.set(c.id, c.human);
  }
  return labels;
}

/** Judges each labelled output with every score-graded judge of its case and stores it beside the person's label. */
async function judgeLabelled(
  state: PassState,
  workload: Workload,
  cases: Map<string, Case>,
  judges: Map<GraderSpec, Candidate>,
  labels: Map<string, HumanLabel>,
): Promise<void> {
  for (const [caseId, label] of labels) {
    const testCase = cases.get(caseId);
    if (!testCase) continue;
    const input = inputOf(buildMessages(workload.prompt, testCase));
    const at = { runId: state.runId, candidateId: HUMAN_LABELLED, caseId, repeat: 0 };
    for (const spec of gradersFor(workload, testCase)) {
      const judge = judges.get(spec);
      if (!judge || graderFamilies.get(spec.type)?.judge?.reply !== 'score') continue;
      const grade = await judgeOne(state, spec, judge, testCase, label.output, input, NO_REFERENCE, at);
      if (grade.error) state.summary.gradingErrors++;
      const person: Judgment = {
        ...at,
        grader: graderName(spec),
        judge: 'human',
        role: 'human',
        sample: 0,
        score: label.pass ? 1 : 0,
        pass: label.pass,
        verdict: label.pass,
      };
      await state.store.saveJudgments([person]);
    }
  }
}
