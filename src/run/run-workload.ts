// Runner v0: every case against every candidate with bounded concurrency per candidate. Each result
// is graded and stored the moment it finishes; a failed call is stored as a result with an error and
// the run goes on (CONVENTIONS: errors as data).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import { gradeCase } from '../grade/grade-output.ts';
import { createProvider, secretsFor } from '../providers/registry.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Provider } from '../spec/provider.ts';
import type { Result } from '../spec/result.ts';
import type { Candidate, Case, Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { readCases } from '../workload/read-cases.ts';
import { buildMessages } from './build-messages.ts';
import { redactSecrets } from './redact.ts';

export interface RunProgress {
  candidateId: string;
  done: number;
  total: number;
  errors: number;
}

export interface RunWorkloadOptions {
  store: Store;
  env?: NodeJS.ProcessEnv;
  /** Concurrent calls per candidate; the embedded runtime always runs one at a time. */
  concurrency?: number;
  /** Per-call timeout in milliseconds. */
  timeoutMs?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Providers to use instead of building them from the candidates (library users, tests). */
  providers?: Map<string, Provider>;
  signal?: AbortSignal;
}

export interface RunSummary {
  runId: string;
  results: number;
  errors: number;
}

async function collectCases(workload: Workload): Promise<Case[]> {
  const cases: Case[] = [];
  for await (const testCase of readCases(workload.cases, path.dirname(workload.file))) cases.push(testCase);
  return cases;
}

async function attempt(
  provider: Provider,
  candidate: Candidate,
  testCase: Case,
  workload: Workload,
  runId: string,
  options: { timeoutMs: number; secrets: string[]; signal?: AbortSignal },
): Promise<Result> {
  const base = { runId, candidateId: candidate.id, caseId: testCase.id, repeat: 0, createdAt: '' };
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const generation = await provider.generate(
      { messages: buildMessages(workload.prompt, testCase), params: candidate.params },
      { signal: AbortSignal.any(signals) },
    );
    const { grades, pass } = gradeCase(workload, testCase, generation.text, {
      durationMs: generation.durationMs,
      ttftMs: generation.ttftMs,
      usage: generation.usage,
    });
    return {
      ...base,
      output: generation.text,
      usage: generation.usage,
      ttftMs: generation.ttftMs,
      durationMs: generation.durationMs,
      finishReason: generation.finishReason,
      error: null,
      grades,
      pass,
      createdAt: new Date().toISOString(),
    };
  } catch (error) {
    const verdictError = VerdictError.isInstance(error)
      ? error
      : new VerdictError('PROVIDER_ERROR', (error as Error)?.message ?? String(error));
    return {
      ...base,
      output: null,
      usage: null,
      ttftMs: null,
      durationMs: null,
      finishReason: null,
      error: { code: verdictError.code, message: redactSecrets(verdictError.message, options.secrets) },
      grades: [],
      pass: false,
      createdAt: new Date().toISOString(),
    };
  }
}

/** Runs a workload's cases against its candidates and stores every result; returns the run id. */
export async function runWorkload(workload: Workload, options: RunWorkloadOptions): Promise<RunSummary> {
  const env = options.env ?? process.env;
  const cases = await collectCases(workload);
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
  const { store } = options;
  await store.createRun({
    id: runId,
    workloadName: workload.name,
    workloadFile: workload.file,
    workloadJson: JSON.stringify(workload),
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    plannedResults: cases.length * workload.candidates.length,
  });
  await store.saveCases(runId, cases, 1);

  const secrets = secretsFor(workload.candidates, env);
  const providers = new Map<string, Provider>();
  const created: Provider[] = [];
  let results = 0;
  let errors = 0;
  try {
    for (const candidate of workload.candidates) {
      let provider = options.providers?.get(candidate.id);
      if (!provider) {
        provider = await createProvider(candidate, { env, baseDir: path.dirname(workload.file) });
        created.push(provider);
      }
      providers.set(candidate.id, provider);
    }
    await Promise.all(
      workload.candidates.map(async (candidate) => {
        const provider = providers.get(candidate.id)!;
        const limit = pLimit(candidate.provider === 'llama-cpp' ? 1 : (options.concurrency ?? 4));
        const progress: RunProgress = { candidateId: candidate.id, done: 0, total: cases.length, errors: 0 };
        options.onProgress?.({ ...progress });
        await Promise.all(
          cases.map((testCase) =>
            limit(async () => {
              if (options.signal?.aborted) return;
              const result = await attempt(provider, candidate, testCase, workload, runId, {
                timeoutMs: options.timeoutMs ?? 120_000,
                secrets,
                ...(options.signal ? { signal: options.signal } : {}),
              });
              await store.saveResult(result);
              results++;
              progress.done++;
              if (result.error) {
                errors++;
                progress.errors++;
              }
              options.onProgress?.({ ...progress });
            }),
          ),
        );
      }),
    );
    await store.finishRun(runId, options.signal?.aborted ? 'interrupted' : 'completed');
  } catch (error) {
    await store.finishRun(runId, 'failed');
    throw error;
  } finally {
    await Promise.all(created.map((provider) => provider.close?.()));
  }
  return { runId, results, errors };
}
