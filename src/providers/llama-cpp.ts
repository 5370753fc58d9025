// The embedded runtime: a GGUF model run in-process by llama.cpp through node-llama-cpp.
// The runtime and model load once, lazily, on the first call; `close()` frees them.

import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type ChatHistoryItem,
  getLlama,
  type Llama,
  LlamaChat,
  type LlamaChatResponse,
  type LlamaContext,
  type LlamaGpuType,
  LlamaLogLevel,
  type LlamaModel,
  NoBinaryFoundError,
  resolveChatWrapper,
} from 'node-llama-cpp';
import { VerdictError } from '../spec/errors.ts';
import type { GenerateOptions, GenerateRequest, Generation, Provider } from '../spec/provider.ts';
import type { ChatMessage } from '../spec/workload.ts';

export interface LlamaCppProviderOptions {
  /** Path of a GGUF model file. */
  modelPath: string;
  /** Candidate-facing id; default `llama-cpp:<modelPath>`. */
  id?: string;
  /** CPU threads for evaluation; default {@link defaultLlamaCppThreads}. */
  threads?: number;
  /** Tokens per sequence; default: as many as memory allows, up to the model's training size and 8192. */
  contextSize?: number;
  /** Layers offloaded to the GPU; default `auto`. Ignored on CPU. */
  gpuLayers?: number | 'auto';
  /**
   * Compute backend. `auto` (default) takes the best prebuilt binary that works and falls back to
   * the CPU; a named GPU must load or the call fails, so timings never silently come from the CPU.
   */
  gpu?: 'auto' | LlamaGpuType;
  /** Requests evaluated at once, each on its own context sequence; default 1. Others wait their turn. */
  parallel?: number;
  /** Print llama.cpp's and node-llama-cpp's own logs to stderr. */
  debug?: boolean;
}

/** What the runtime actually loaded, for reports; `undefined` until the first call loads it. */
export interface LlamaCppRuntimeInfo {
  modelPath: string;
  /** `general.name` from the GGUF, else the file name. */
  modelName: string;
  /** Times the model was loaded by this provider (1 after any number of calls). */
  modelLoads: number;
  gpu: LlamaGpuType;
  threads: number;
  contextSize: number;
  parallel: number;
  /** The chat wrapper node-llama-cpp resolved from the GGUF's chat template. */
  chatWrapper: string;
}

export interface LlamaCppProvider extends Provider {
  info(): LlamaCppRuntimeInfo | undefined;
  close(): Promise<void>;
}

/**
 * Half the logical cores, at least 1. llama.cpp's threads spin while they wait for each other, so
 * busy or oversubscribed cores are catastrophic: on a shared 2-core machine with the tiny model,
 * 1 thread gave 650–3,400 tokens/s, 2 threads 15–60 and 4 threads ≈4. Half the logical cores
 * approximates the physical cores llama.cpp itself defaults to, and leaves room for Node's event
 * loop and the harness.
 */
export function defaultLlamaCppThreads(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

const DEFAULT_MAX_CONTEXT = 8192;

interface Runtime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  pool: SlotPool<LlamaChat>;
  modelName: string;
}

/** Creates a provider that runs a local GGUF model in this process. */
export function createLlamaCppProvider(options: LlamaCppProviderOptions): LlamaCppProvider {
  const modelPath = options.modelPath;
  const threads = options.threads ?? defaultLlamaCppThreads();
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  const debug = options.debug ?? false;
  const id = options.id ?? `llama-cpp:${modelPath}`;
  let loading: Promise<Runtime> | undefined;
  let runtimeInfo: LlamaCppRuntimeInfo | undefined;
  let modelLoads = 0;
  let closed = false;

  const load = (): Promise<Runtime> => {
    if (loading === undefined) {
      loading = loadRuntime().catch((error: unknown) => {
        loading = undefined; // a later call may retry, e.g. once the file exists
        throw error;
      });
    }
    return loading;
  };

  async function loadRuntime(): Promise<Runtime> {
    const fail = (reason: string, cause?: unknown) =>
      new VerdictError('MODEL_LOAD_FAILED', `cannot load model ${modelPath}: ${reason}`, { cause });
    await checkGgufFile(modelPath, fail);

    // llama.cpp tells why a load failed only in its log; the first error line is the cause.
    const errorLines: string[] = [];
    const logger = (level: LlamaLogLevel, message: string) => {
      const line = message.trim();
      if ((level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) && line !== '')
        errorLines.push(line);
      if (debug) process.stderr.write(`[llama.cpp ${level}] ${message.trimEnd()}\n`);
    };
    const gpu = options.gpu ?? 'auto';
    const llama = await openLlama(gpu, threads, debug, logger).catch((error: unknown) => {
      const detail = error instanceof NoBinaryFoundError ? '' : ` (${errorText(error)})`;
      throw fail(
        gpu === 'auto' || gpu === false
          ? `no prebuilt llama.cpp binary works on this machine${detail}`
          : `the prebuilt llama.cpp ${gpu} binary does not work on this machine${detail}; use gpu 'auto' or false`,
        error,
      );
    });
    try {
      const model = await llama.loadModel({ modelPath, gpuLayers: options.gpuLayers ?? 'auto' });
      const context = await model.createContext({
        contextSize: options.contextSize ?? { max: Math.min(DEFAULT_MAX_CONTEXT, model.trainContextSize) },
        sequences: parallel,
        threads,
      });
      // Resolved once: matching the GGUF's Jinja template against the known wrappers takes ~0.3 s.
      const chatWrapper = resolveChatWrapper(model);
      const chats: LlamaChat[] = [];
      for (let i = 0; i < parallel; i++) {
        chats.push(new LlamaChat({ contextSequence: context.getSequence(), chatWrapper }));
      }
      modelLoads++;
      const name = model.fileInfo.metadata.general?.name;
      runtimeInfo = {
        modelPath,
        modelName: typeof name === 'string' && name !== '' ? name : basename(modelPath),
        modelLoads,
        gpu: llama.gpu,
        threads,
        contextSize: context.contextSize,
        parallel,
        chatWrapper: chatWrapper.wrapperName,
      };
      return { llama, model, context, pool: new SlotPool(chats), modelName: runtimeInfo.modelName };
    } catch (error) {
      // llama.cpp's log lines reach the event loop from its own thread, often after the rejection:
      // give them a moment (best effort; the message only loses its detail without them).
      for (let wait = 0; wait < 20 && errorLines.length === 0; wait++) await delay(5);
      await llama.dispose().catch(() => {});
      // e.g. "llama_model_load: error loading model: tensor 'x' data is not within the file bounds, …"
      const cause = errorLines[0]?.replace(/^\w+: /, '').replace(/^error loading model: /, '');
      throw fail(cause ?? errorText(error), error);
    }
  }

  async function generate(request: GenerateRequest, callOptions: GenerateOptions = {}): Promise<Generation> {
    const signal = callOptions.signal;
    if (closed) throw new VerdictError('PROVIDER_ERROR', `provider ${id} is closed`);
    signal?.throwIfAborted();
    const runtime = await load();
    if (closed) throw new VerdictError('PROVIDER_ERROR', `provider ${id} is closed`);
    const chat = await runtime.pool.acquire(signal);
    try {
      return await generateOn(runtime, chat, request, signal, callOptions.onTokens);
    } finally {
      runtime.pool.release(chat);
    }
  }

  return {
    id,
    generate,
    info: () => runtimeInfo,
    async close() {
      closed = true;
      const pending = loading;
      loading = undefined;
      const runtime = await pending?.catch(() => undefined);
      if (runtime === undefined) return;
      runtime.pool.rejectWaiting(new VerdictError('PROVIDER_ERROR', `provider ${id} is closed`));
      await runtime.llama.dispose();
    },
  };
}

/** Fails early, with a plain reason, on a path that is missing, not a file, or not GGUF. */
async function checkGgufFile(
  path: string,
  fail: (reason: string, cause?: unknown) => VerdictError,
): Promise<void> {
  let magic: string;
  try {
    const file = await open(path, 'r');
    try {
      if (!(await file.stat()).isFile()) throw fail('not a file');
      const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
      magic = buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await file.close();
    }
  } catch (error) {
    if (VerdictError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'not a file' : errorText(error),
      error,
    );
  }
  if (magic !== 'GGUF') throw fail(`not a GGUF file (it starts with ${JSON.stringify(magic)}, not "GGUF")`);
}

/**
 * `build: 'never'`: only prebuilt binaries, never a compile or a download at run time. `auto` lets
 * node-llama-cpp try the GPU binaries that match the machine's drivers (none here: it takes the CPU
 * binary quietly, ≈0.5 s) and, should that throw, falls back to the CPU binary.
 */
async function openLlama(
  gpu: 'auto' | LlamaGpuType,
  threads: number,
  debug: boolean,
  logger: (level: LlamaLogLevel, message: string) => void,
): Promise<Llama> {
  const open = (choice: 'auto' | LlamaGpuType) =>
    getLlama({
      build: 'never',
      gpu: choice,
      maxThreads: threads,
      logLevel: debug ? LlamaLogLevel.info : LlamaLogLevel.error,
      logger,
      // Also gates node-llama-cpp's own console notes on binaries that do not fit the machine.
      progressLogs: debug,
    });
  if (gpu !== 'auto') return open(gpu);
  try {
    return await open('auto');
  } catch {
    return open(false);
  }
}

async function generateOn(
  runtime: Runtime,
  chat: LlamaChat,
  request: GenerateRequest,
  signal: AbortSignal | undefined,
  onTokens?: (count: number, at: number) => void,
): Promise<Generation> {
  // Timings start when the request reaches a free sequence: time spent queued behind other calls
  // reflects the caller's concurrency, not the model, and would make results depend on it.
  const start = performance.now();
  const { params } = request;
  const history = toChatHistory(request.messages);
  const inputTokens = chat.chatWrapper
    .generateContextState({ chatHistory: history })
    .contextText.tokenize(runtime.model.tokenizer).length;
  const contextSize = runtime.context.contextSize;
  const room = contextSize - inputTokens;
  if (room < 1) {
    throw new VerdictError(
      'PROVIDER_ERROR',
      `the prompt has ${inputTokens} tokens but the context holds ${contextSize}; raise contextSize`,
    );
  }
  // Each request starts from an empty sequence, so neither its output nor its timings depend on
  // which request ran before (no prefix reuse across cases).
  await chat.sequence.clearHistory();
  let firstTokenAt: number | undefined;
  let outputTokens = 0;
  let response: LlamaChatResponse;
  try {
    response = await chat.generateResponse(history, {
      maxTokens: Math.min(room, Math.max(1, params.max_tokens ?? room)),
      temperature: params.temperature,
      topP: params.top_p,
      seed: params.seed,
      customStopTriggers: params.stop?.filter((stop) => stop !== ''),
      // Only the workload's own sampling settings apply, as on an API (node-llama-cpp adds a repeat penalty by default).
      repeatPenalty: false,
      signal,
      onToken: (tokens) => {
        if (tokens.length === 0) return;
        const now = performance.now();
        firstTokenAt ??= now;
        outputTokens += tokens.length;
        onTokens?.(tokens.length, now);
      },
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new VerdictError('PROVIDER_ERROR', `llama.cpp generation failed: ${errorText(error)}`, {
      cause: error,
    });
  }
  const end = performance.now();
  return {
    text: response.response,
    usage: { inputTokens, outputTokens, source: 'tokenizer' },
    ttftMs: firstTokenAt === undefined ? null : firstTokenAt - start,
    durationMs: end - start,
    finishReason: FINISH_REASONS[response.metadata.stopReason] ?? 'other',
    responseModel: runtime.modelName,
  };
}

const FINISH_REASONS: Record<string, string> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
  functionCalls: 'tool-calls',
};

function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history = messages.map((message): ChatHistoryItem => {
    if (message.role === 'system') return { type: 'system', text: message.content };
    if (message.role === 'user') return { type: 'user', text: message.content };
    return { type: 'model', response: [message.content] };
  });
  // A trailing assistant message is a prefix the model continues; otherwise it starts a new answer.
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Hands out free items in call order. Requests beyond `parallel` wait instead of sharing a
 * sequence, because a sequence holds one conversation's state at a time.
 */
class SlotPool<T> {
  readonly #free: T[];
  readonly #waiting: { resolve: (item: T) => void; reject: (error: unknown) => void }[] = [];

  constructor(items: T[]) {
    this.#free = [...items];
  }

  acquire(signal?: AbortSignal): Promise<T> {
    const item = this.#free.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      const waiter = {
        resolve: (next: T) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(next);
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  release(item: T): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#free.push(item);
    else next.resolve(item);
  }

  rejectWaiting(error: unknown): void {
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }
}
