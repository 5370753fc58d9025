// What a load test ran on, kept with its result so that a capacity measured on one machine is not
// taken for another's: the endpoint, the serving engine and version when the server says, the GPUs
// when the user names them, and this machine's CPU when the model ran in this process.
import os from 'node:os';
import type { LoadTarget } from './types.ts';

export interface LoadHardware {
  /** Where requests went: the base URL (without credentials), or `in-process` for the embedded runtime. */
  endpoint: string;
  /** The serving engine (vllm, text-generation-inference, ollama, llama.cpp…) when the server says. */
  engine: string | null;
  engineVersion: string | null;
  /** GPUs of the replica: named with --gpu (`flag`), or the embedded runtime's backend (`runtime`, no model known). */
  gpu: { model: string; count: number | null; source: 'flag' | 'runtime' } | null;
  /** This machine's CPU, recorded when the model ran in this process. */
  cpu: { model: string; cores: number } | null;
  /** What computed the tokens: a GPU, this machine's CPU, or not known (an endpoint with no --gpu). */
  device: 'gpu' | 'cpu' | 'unknown';
}

/** The CPU of the machine this process runs on. */
export function machineCpu(): { model: string; cores: number } {
  const cpus = os.cpus();
  return { model: cpus[0]?.model.trim() || os.arch(), cores: cpus.length };
}

/** The hardware of the embedded runtime: this machine, its CPU, and the backend llama.cpp chose. */
export function embeddedHardware(
  backend: string | false | null,
  gpu: { model: string; count: number } | null,
): LoadHardware {
  const onGpu = gpu !== null || (backend !== null && backend !== false);
  return {
    endpoint: 'in-process',
    engine: 'llama.cpp (node-llama-cpp)',
    engineVersion: null,
    gpu: gpu
      ? { ...gpu, source: 'flag' }
      : backend
        ? { model: `${backend} device`, count: null, source: 'runtime' }
        : null,
    cpu: machineCpu(),
    device: onGpu ? 'gpu' : 'cpu',
  };
}

/**
 * The hardware of an HTTP endpoint: the GPUs the user named, and the engine and version if the
 * server answers one of the engines' own version routes (vLLM `/version`, TGI `/info`, Ollama
 * `/api/version`, llama.cpp server `/props`). Only the target's own origin is asked, briefly.
 */
export async function endpointHardware(
  target: LoadTarget,
  endpoint: string,
  gpu: { model: string; count: number } | null,
  timeoutMs = 1500,
): Promise<LoadHardware> {
  const engine = await probeEngine(target, timeoutMs).catch(() => null);
  return {
    endpoint,
    engine: engine?.engine ?? null,
    engineVersion: engine?.version ?? null,
    gpu: gpu ? { ...gpu, source: 'flag' } : null,
    cpu: null,
    device: gpu ? 'gpu' : 'unknown',
  };
}

const ROUTES: Array<{
  path: string;
  read: (body: Record<string, unknown>) => { engine: string; version: string | null } | null;
}> = [
  {
    path: '/version',
    read: (b) => (typeof b.version === 'string' ? { engine: 'vllm', version: b.version } : null),
  },
  {
    path: '/info',
    read: (b) =>
      typeof b.model_id === 'string' && typeof b.version === 'string'
        ? { engine: 'text-generation-inference', version: b.version }
        : null,
  },
  {
    path: '/api/version',
    read: (b) => (typeof b.version === 'string' ? { engine: 'ollama', version: b.version } : null),
  },
  {
    path: '/props',
    read: (b) =>
      'default_generation_settings' in b
        ? { engine: 'llama.cpp server', version: typeof b.build_info === 'string' ? b.build_info : null }
        : null,
  },
];

async function probeEngine(
  target: LoadTarget,
  timeoutMs: number,
): Promise<{ engine: string; version: string | null } | null> {
  const origin = new URL(target.baseUrl).origin;
  const headers: Record<string, string> = { ...(target.headers ?? {}) };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  for (const route of ROUTES) {
    try {
      const response = await fetch(origin + route.path, { headers, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) continue;
      const body = (await response.json()) as unknown;
      if (body === null || typeof body !== 'object') continue;
      const found = route.read(body as Record<string, unknown>);
      if (found) return found;
    } catch {
      // Not this engine, or no answer in time: the engine stays unknown.
    }
  }
  return null;
}

/** One line for the terminal: `1 × l4 (given), vllm 0.6.3, http://…` or `CPU: AMD EPYC … × 2 cores`. */
export function describeHardware(h: LoadHardware): string {
  const parts: string[] = [];
  if (h.gpu)
    parts.push(
      `${h.gpu.count ?? '?'} × ${h.gpu.model}${h.gpu.source === 'flag' ? ' (given with --gpu)' : ''}`,
    );
  else if (h.device === 'cpu' && h.cpu)
    parts.push(`this machine's CPU, ${h.cpu.model} (${h.cpu.cores} cores)`);
  else parts.push('GPU not recorded (give --gpu TYPE[:COUNT])');
  if (h.engine) parts.push(`${h.engine}${h.engineVersion ? ` ${h.engineVersion}` : ''}`);
  parts.push(h.endpoint);
  return parts.join(', ');
}
