// The edge of the decision: what the store and the model files hold, gathered into the pure inputs
// decide-fully.ts takes — tokens measured per case, each case's first attempt for the hybrid split,
// and the architecture a local GGUF states in its header.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { architectureFromGguf } from '../cost/gguf-architecture.ts';
import type { Capacity, Provenance, TokenUsage } from '../cost/types.ts';
import type { CandidateUsage, GgufModelInfo } from '../decide/candidate-options.ts';
import type { DecisionCostInput } from '../decide/decide.ts';
import type { CaseOutcomes } from '../decide/hybrid.ts';
import { capacityUpperBound, type LoadResult, maxRateWithinSlo } from '../load/load-record.ts';
import { estimatedTokensPerRequest } from '../run/plan-run.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Workload } from '../spec/workload.ts';
import type { Store } from '../store/store.ts';
import { type InputLimits, resolveLimits } from '../workload/input-limits.ts';
import { readJsonFile } from '../workload/read-text-file.ts';
import { hardwareMismatch } from './load-test-hardware.ts';

/** Grader families that judge an output without the case's expected answer: a router can run them. */
const REFERENCE_FREE = new Set(['is-json', 'json-schema', 'length']);

/** Token usage per case from a run, every case's first attempt, and GGUF headers: the decision's measured inputs. */
export async function measuredCostInputs(
  store: Store,
  runId: string,
  workload: Workload,
  now: Date = new Date(),
): Promise<DecisionCostInput> {
  const usage = new Map<string, CandidateUsage>();
  const outcomes: CaseOutcomes = new Map();
  const tokens = new Map<string, TokenUsage[]>();
  const withResults = new Set<string>();
  for await (const result of store.results(runId)) {
    withResults.add(result.candidateId);
    if (result.usage && !result.error) {
      const list = tokens.get(result.candidateId) ?? [];
      list.push({
        input: result.usage.inputTokens,
        output: result.usage.outputTokens,
        ...(result.usage.cachedInputTokens ? { cachedInput: result.usage.cachedInputTokens } : {}),
      });
      tokens.set(result.candidateId, list);
    }
    if (result.repeat !== 0) continue;
    const byCase = outcomes.get(result.candidateId) ?? new Map();
    byCase.set(result.caseId, {
      pass: result.pass,
      flagged: result.error !== null || result.grades.some((g) => REFERENCE_FREE.has(g.grader) && !g.pass),
    });
    outcomes.set(result.candidateId, byCase);
  }
  for (const [id, list] of tokens)
    usage.set(id, {
      usages: list,
      provenance: { kind: 'measured', source: `run ${runId}, ${list.length} calls` },
    });
  // A candidate the run did not call (its endpoint is off the premises) is still priced: from the
  // declared tokens per request, else estimated from the run's cases, and labelled so.
  if (workload.candidates.some((c) => !withResults.has(c.id))) {
    const estimated = await estimatedTokensPerRequest(workload, store.cases(runId));
    // The same prompts were measured on the candidates that were called: their mean tokens per
    // request are a closer estimate than characters ÷ 4 and max_tokens, unless traffic declares them.
    const fromOthers = othersMeanUsage(tokens, workload);
    if (fromOthers)
      for (const candidate of workload.candidates)
        if (!withResults.has(candidate.id)) estimated.usage.set(candidate.id, fromOthers);
    for (const candidate of workload.candidates) {
      const found = estimated.usage.get(candidate.id);
      if (withResults.has(candidate.id) || !found) continue;
      usage.set(candidate.id, {
        usages: found.usages,
        provenance: {
          kind: 'estimate',
          basis: `${candidate.id} has no results in run ${runId}; ${found.provenance.kind === 'estimate' ? found.provenance.basis : 'tokens per request estimated'}`,
        },
      });
    }
  }
  const ggufs = await readGgufHeaders(workload);
  return {
    workload,
    usage,
    usageSource: 'measured',
    outcomes,
    ...(ggufs.size > 0 ? { ggufs } : {}),
    now,
  };
}

/** Mean tokens per request measured on the candidates a run called, for those it did not; null when nothing was measured. */
function othersMeanUsage(
  tokens: Map<string, TokenUsage[]>,
  workload: Workload,
): { usages: TokenUsage[]; provenance: Provenance } | null {
  const all = [...tokens.values()].flat();
  if (all.length === 0) return null;
  const t = workload.traffic;
  const mean = (f: (u: TokenUsage) => number) => all.reduce((sum, u) => sum + f(u), 0) / all.length;
  const input = t?.input_tokens_per_request ?? mean((u) => u.input);
  const output = t?.output_tokens_per_request ?? mean((u) => u.output);
  return {
    usages: [{ input, output }],
    provenance: {
      kind: 'estimate',
      basis: `tokens per request are the mean of ${all.length} calls to ${[...tokens.keys()].join(', ')} on the same cases (input ${Math.round(input)}, output ${Math.round(output)})${t?.input_tokens_per_request !== undefined || t?.output_tokens_per_request !== undefined ? ', with what traffic declares' : ''}`,
    },
  };
}

/** The workload's declared tokens per request for every candidate (before any run), or null when undeclared. */
export async function declaredCostInputs(
  workload: Workload,
  now: Date = new Date(),
): Promise<DecisionCostInput | null> {
  const t = workload.traffic;
  if (!t?.input_tokens_per_request || !t.output_tokens_per_request) return null;
  const declared: CandidateUsage = {
    usages: [{ input: t.input_tokens_per_request, output: t.output_tokens_per_request }],
    provenance: { kind: 'user', note: 'traffic.input_tokens_per_request and output_tokens_per_request' },
  };
  const ggufs = await readGgufHeaders(workload);
  return {
    workload,
    usage: new Map(workload.candidates.map((c) => [c.id, declared])),
    usageSource: 'declared',
    ...(ggufs.size > 0 ? { ggufs } : {}),
    now,
  };
}

/** GGUF file_type → the quantisation the memory estimate uses (llama.cpp's LLAMA_FTYPE numbering). */
function quantisationOf(fileType: unknown): Pick<GgufModelInfo, 'quantisation' | 'quantisationNote'> {
  const names: Record<number, [GgufModelInfo['quantisation'], string]> = {
    0: ['fp16', 'F32 in the file; estimated as 16-bit weights'],
    1: ['fp16', 'F16'],
    2: ['int4', 'Q4_0'],
    3: ['int4', 'Q4_1'],
    7: ['int8', 'Q8_0'],
    12: ['int4', 'Q3_K_M, estimated as 4-bit'],
    14: ['int4', 'Q4_K_S'],
    15: ['int4', 'Q4_K_M'],
    17: ['int8', 'Q5_K_M, estimated as 8-bit'],
    18: ['int8', 'Q6_K, estimated as 8-bit'],
    32: ['bf16', 'BF16'],
  };
  const hit = typeof fileType === 'number' ? names[fileType] : undefined;
  return hit
    ? { quantisation: hit[0], quantisationNote: hit[1] }
    : {
        quantisation: 'fp16',
        quantisationNote: `file type ${String(fileType)}; estimated as 16-bit weights`,
      };
}

/** Reads the header of every local GGUF candidate; a file that cannot be read is left out (the decision says it is unpriced). */
export async function readGgufHeaders(workload: Workload): Promise<Map<string, GgufModelInfo>> {
  const out = new Map<string, GgufModelInfo>();
  const local = workload.candidates.filter((c) => c.provider === 'llama-cpp');
  if (local.length === 0) return out;
  const { readGgufFileInfo } = await import('node-llama-cpp');
  for (const candidate of local) {
    const file = path.resolve(path.dirname(workload.file), candidate.modelName);
    if (!existsSync(file)) continue;
    try {
      const info = await readGgufFileInfo(file, {
        logWarnings: false,
        ignoreKeys: [
          'tokenizer.ggml.tokens',
          'tokenizer.ggml.scores',
          'tokenizer.ggml.token_type',
          'tokenizer.ggml.merges',
        ],
      });
      const arch = architectureFromGguf(info.metadata as never, path.basename(file));
      if (!arch.ok) continue;
      let elements = 0;
      for (const tensor of info.tensorInfo ?? [])
        elements += tensor.dimensions.reduce<number>((p, d) => p * Number(d), 1);
      out.set(candidate.id, {
        file: path.basename(file),
        architecture: arch.value,
        paramsTotalB: elements / 1e9,
        ...quantisationOf((info.metadata as { general?: { file_type?: unknown } }).general?.file_type),
      });
    } catch {
      // An unreadable header leaves the candidate unpriced, with the reason the decision gives.
    }
  }
  return out;
}

/** A load test's capacity, matched to a candidate by its endpoint (base URL and model) or named. */
export interface LoadTestCapacity {
  candidateId: string;
  capacity: Capacity;
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * Capacity per replica from a load-test result JSON (src/load: a `max-rate` search, or one
 * `load-test` that met its SLO), for the candidate whose base URL and model it targeted, or for
 * `candidateId` when given. GPUs per replica are the candidate's gpu.count (0 when unstated: the
 * decision then takes the fewest the model fits on).
 */
export function capacityFromLoadTest(
  result: unknown,
  workload: Workload,
  source: string,
  candidateId?: string,
): LoadTestCapacity {
  const r = result as {
    kind?: string;
    slo?: string | { met?: boolean; text?: string } | null;
    steps?: Array<{ result?: { target?: { baseUrl: string; model: string } } }>;
    target?: { baseUrl: string; model: string };
  };
  if (r?.kind !== 'max-rate' && r?.kind !== 'load-test' && r?.kind !== 'sweep')
    throw new VerdictError(
      'USAGE',
      `${source}: not a load-test result (kind "load-test", "sweep" or "max-rate")`,
    );
  const loadResult = result as LoadResult;
  const target = r.kind === 'load-test' ? r.target : r.steps?.[0]?.result?.target;
  const sloText = typeof r.slo === 'string' ? r.slo : (r.slo?.text ?? '');
  if (!r.slo)
    throw new VerdictError('USAGE', `${source}: this load test had no SLO, so it measured no capacity`);
  const rps = maxRateWithinSlo(loadResult);
  const bound = rps === null ? capacityUpperBound(loadResult) : null;
  if (rps === null && bound === null)
    throw new VerdictError(
      'USAGE',
      `${source}: nothing in it met the SLO with enough requests to count, and no rate failed it either, so it measured no capacity`,
    );
  const interval =
    r.kind === 'max-rate' ? (loadResult as { interval?: Capacity['interval'] | null }).interval : null;
  const what =
    bound !== null
      ? `met the SLO ${sloText} at no rate tried, the lowest failing at ${bound} req/s`
      : interval
        ? `the lower end of the ${Math.round(interval.level * 100)}% interval ${interval.lowPerSec}–${interval.highPerSec} req/s of the highest rate that met the SLO ${sloText}`
        : r.kind === 'load-test'
          ? 'a rate that met the SLO (a lower bound)'
          : `the highest rate that met the SLO ${sloText}`;
  const candidate = candidateId
    ? workload.candidates.find((c) => c.id === candidateId)
    : workload.candidates.find(
        (c) => target && c.baseUrl && sameUrl(c.baseUrl, target.baseUrl) && c.modelName === target.model,
      );
  if (!candidate)
    throw new VerdictError(
      'USAGE',
      candidateId
        ? `${source}: no candidate "${candidateId}" in the workload`
        : `${source}: no candidate of the workload has base_url ${target?.baseUrl} and model ${target?.model}; name it as ID=${source}`,
    );
  const mismatch = hardwareMismatch(source, loadResult.hardware, candidate);
  if (mismatch) throw new VerdictError('USAGE', `${source}: ${mismatch}`);
  return {
    candidateId: candidate.id,
    capacity: {
      requestsPerSecond: rps ?? bound!,
      gpusPerReplica: candidate.deployment?.gpu?.count ?? 0,
      ...(bound !== null ? { bound: 'below' as const } : {}),
      ...(interval
        ? {
            interval: {
              lowPerSec: interval.lowPerSec,
              highPerSec: interval.highPerSec,
              level: interval.level,
            },
          }
        : {}),
      provenance: { kind: 'measured', source: `load test ${source}: ${what}` },
    },
  };
}

/** Reads `[ID=]FILE` load-test arguments into capacities by candidate id. */
export async function loadTestCapacities(
  args: string[],
  workload: Workload,
  cwd: string,
  limits?: Partial<InputLimits>,
): Promise<Map<string, Capacity>> {
  const out = new Map<string, Capacity>();
  for (const arg of args) {
    const named = /^([A-Za-z0-9][\w.-]*)=(.+)$/.exec(arg);
    const file = named ? named[2]! : arg;
    const json = await readJsonFile(
      { file: path.resolve(cwd, file), shown: file, code: 'USAGE' },
      resolveLimits(limits),
    );
    const found = capacityFromLoadTest(json, workload, file, named?.[1]);
    out.set(found.candidateId, found.capacity);
  }
  return out;
}
