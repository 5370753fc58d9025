import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Candidate, ChatMessage } from '../spec/workload.ts';

/**
 * The content address of one call: provider and model, where they are served, the generation
 * parameters, the messages and the repeat index. Two calls with the same key would be paid for
 * twice for the same answer, so the second is answered from the cache. Headers and keys are left
 * out: they change who pays, not what is asked.
 */
export function cacheKey(
  candidate: Pick<Candidate, 'model' | 'params'>,
  origin: string | undefined,
  messages: readonly ChatMessage[],
  repeat: number,
): string {
  const params = Object.fromEntries(
    Object.entries(candidate.params)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const content = JSON.stringify({
    v: 1,
    model: candidate.model,
    origin: origin ?? null,
    params,
    messages: messages.map((message) => [message.role, message.content]),
    repeat,
  });
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Where a candidate is served, for its cache key: the base URL, or for the embedded runtime the
 * model file with its size and modification time (a regenerated file must not answer from the cache).
 */
export function originOf(
  candidate: Pick<Candidate, 'provider' | 'modelName' | 'baseUrl'>,
  workloadFile: string,
): string | undefined {
  if (candidate.provider !== 'llama-cpp') return candidate.baseUrl;
  const file = path.resolve(path.dirname(workloadFile), candidate.modelName);
  try {
    const stat = statSync(file);
    return `${file}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return file;
  }
}
