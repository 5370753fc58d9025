// What `verdict load` points at: an OpenAI-compatible endpoint named by flags, a candidate of a
// workload (its endpoint, key and cases), or a GGUF model run in this process. Only that target
// is ever sent a request.
import path from 'node:path';
import { createProvider } from '../providers/registry.ts';
import { buildMessages } from '../run/build-messages.ts';
import { VerdictError } from '../spec/errors.ts';
import type { Candidate, ChatMessage } from '../spec/workload.ts';
import type { InputLimits } from '../workload/input-limits.ts';
import { loadWorkload } from '../workload/load-workload.ts';
import { readCases } from '../workload/read-cases.ts';
import { createProviderTransport } from './provider-transport.ts';
import type { LengthDistribution, LoadTarget, LoadTransport } from './types.ts';

export interface LoadTargetFlags {
  baseUrl?: string;
  /** A model name, or `llama-cpp:FILE.gguf` for the embedded runtime. */
  model?: string;
  apiKeyEnv?: string;
  workload?: string;
  candidate?: string;
  /** CPU threads of the embedded runtime. */
  threads?: number;
  /** Most cases read from a workload as prompts. Default 1,000. */
  maxCases?: number;
  /** Input limits raised over the defaults (`--max-file-bytes`…) for the workload and its cases. */
  limits?: Partial<InputLimits>;
}

export interface ResolvedLoadTarget {
  target: LoadTarget;
  /** Set for the embedded runtime; HTTP targets use the load part's default transport. */
  transport?: LoadTransport;
  embedded: boolean;
  candidateId: string | null;
  /** The workload's cases rendered as conversations, when the target came from a workload. */
  conversations?: ChatMessage[][];
  /** The candidate's max_tokens, when it sets one. */
  outputTokens?: LengthDistribution;
  /** The candidate's sampling settings, sent with every request. */
  extraBody?: Record<string, unknown>;
  /** The secret values to keep out of messages. */
  secrets: string[];
  /** The embedded runtime's GPU backend once it has loaded (`false`: CPU only). */
  runtimeBackend?: () => string | false | null;
  close(): Promise<void>;
}

const usage = (message: string): never => {
  throw new VerdictError('USAGE', message);
};

/** Resolves the flags to one target; bad combinations are USAGE errors naming the fix. */
export async function resolveLoadTarget(
  flags: LoadTargetFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ResolvedLoadTarget> {
  if (flags.workload !== undefined) {
    if (flags.baseUrl !== undefined || flags.model !== undefined)
      usage('give either --workload with --candidate, or --base-url with --model, not both');
    if (flags.candidate === undefined) usage('--workload needs --candidate ID: the candidate to load-test');
    return fromWorkload(flags, env, cwd);
  }
  if (flags.candidate !== undefined) usage('--candidate needs --workload FILE');
  if (flags.model === undefined)
    usage('name a target: --base-url URL --model M, or --workload FILE --candidate ID');
  const model = flags.model!;
  if (model.startsWith('llama-cpp:')) {
    if (flags.baseUrl !== undefined) usage('an embedded model (llama-cpp:FILE) takes no --base-url');
    const file = model.slice('llama-cpp:'.length);
    return embedded(
      { id: 'embedded', model, provider: 'llama-cpp', modelName: file, params: {}, ...threads(flags) },
      cwd,
      env,
      null,
    );
  }
  if (flags.baseUrl === undefined)
    usage('--model needs --base-url (an OpenAI-compatible endpoint ending in /v1)');
  const apiKey = flags.apiKeyEnv ? keyFrom(flags.apiKeyEnv, env) : undefined;
  return {
    target: { baseUrl: flags.baseUrl!, model, ...(apiKey ? { apiKey } : {}) },
    embedded: false,
    candidateId: null,
    secrets: apiKey ? [apiKey] : [],
    close: async () => {},
  };
}

function threads(flags: LoadTargetFlags): { threads?: number } {
  return flags.threads === undefined ? {} : { threads: flags.threads };
}

function keyFrom(name: string, env: NodeJS.ProcessEnv): string {
  const key = env[name];
  if (!key) throw new VerdictError('USAGE', `the API key variable ${name} is not set in the environment`);
  return key;
}

async function fromWorkload(flags: LoadTargetFlags, env: NodeJS.ProcessEnv, cwd: string) {
  const file = path.resolve(cwd, flags.workload!);
  const workload = await loadWorkload(file, flags.limits ? { limits: flags.limits } : {});
  const candidate = workload.candidates.find((c) => c.id === flags.candidate);
  if (!candidate) {
    usage(
      `${flags.workload}: no candidate "${flags.candidate}"; its candidates are ${workload.candidates.map((c) => c.id).join(', ')}`,
    );
  }
  const c = candidate!;
  const baseDir = path.dirname(workload.file);
  const conversations: ChatMessage[][] = [];
  const maxCases = flags.maxCases ?? 1000;
  for await (const testCase of readCases(workload.cases, baseDir)) {
    conversations.push(buildMessages(workload.prompt, testCase));
    if (conversations.length >= maxCases) break;
  }
  if (conversations.length === 0) usage(`${flags.workload}: the workload has no cases to send as prompts`);
  const outputTokens: LengthDistribution | undefined =
    c.params.max_tokens === undefined ? undefined : { kind: 'fixed', value: c.params.max_tokens };
  const shared = { conversations, ...(outputTokens ? { outputTokens } : {}) };
  if (c.provider === 'llama-cpp') {
    const resolved = await embedded({ ...c, ...threads(flags) }, baseDir, env, c.id);
    return { ...resolved, ...shared };
  }
  if (c.provider !== 'openai-compatible' || !c.baseUrl) {
    usage(
      `candidate "${c.id}" (${c.model}) is not self-hosted: verdict load targets an OpenAI-compatible endpoint (base_url) or an embedded llama-cpp model`,
    );
  }
  const apiKey = c.apiKeyEnv ? keyFrom(c.apiKeyEnv, env) : undefined;
  const { temperature, top_p, seed, stop } = c.params;
  const extraBody = {
    ...(temperature === undefined ? {} : { temperature }),
    ...(top_p === undefined ? {} : { top_p }),
    ...(seed === undefined ? {} : { seed }),
    ...(stop === undefined ? {} : { stop }),
  };
  return {
    target: {
      baseUrl: c.baseUrl!,
      model: c.modelName,
      ...(apiKey ? { apiKey } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    },
    embedded: false,
    candidateId: c.id,
    extraBody,
    secrets: apiKey ? [apiKey] : [],
    close: async () => {},
    ...shared,
  };
}

async function embedded(
  candidate: Candidate,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  candidateId: string | null,
): Promise<ResolvedLoadTarget> {
  const provider = await createProvider(candidate, { env, baseDir });
  const { max_tokens: _maxTokens, ...params } = candidate.params;
  return {
    target: { baseUrl: candidate.model, model: path.basename(candidate.modelName) },
    transport: createProviderTransport(provider, { params }),
    embedded: true,
    candidateId,
    secrets: [],
    runtimeBackend: () => {
      const info = (provider as { info?: () => { gpu: string | false } | undefined }).info?.();
      return info ? info.gpu : null;
    },
    close: async () => {
      await provider.close?.();
    },
  };
}
