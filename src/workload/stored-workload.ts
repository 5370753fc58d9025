// A run keeps the workload it ran as JSON (runs.workload_json), so a report, a judge pass or a
// resume months later works from what ran, not from the file as it is now. This is the one place
// that reads it back. It is checked once here (CONVENTIONS: validation at the edge; the store is
// an edge across versions of verdict), so a run stored by another format version is refused with
// both versions named instead of failing deep inside a report.
import { z } from 'zod';
import { VerdictError } from '../spec/errors.ts';
import type { Workload } from '../spec/workload.ts';

/** The format version of the workload a run stores: `Workload.version`. */
export const STORED_WORKLOAD_VERSION = 1;

// The fields every reader relies on; the rest is trusted as the writer of the same version wrote it.
const storedWorkload = z.looseObject({
  version: z.literal(STORED_WORKLOAD_VERSION),
  name: z.string(),
  prompt: z.looseObject({ kind: z.enum(['text', 'chat']) }),
  cases: z.looseObject({ kind: z.string() }),
  graders: z.array(z.looseObject({ type: z.string(), options: z.record(z.string(), z.unknown()) })),
  candidates: z.array(
    z.looseObject({ id: z.string(), model: z.string(), provider: z.string(), modelName: z.string() }),
  ),
  constraints: z.looseObject({}),
});

/** The workload run `runId` stored, checked; a STORE_ERROR naming the run when it cannot be read. */
export function readStoredWorkload(workloadJson: string, runId: string): Workload {
  const fail = (why: string) => new VerdictError('STORE_ERROR', `run ${runId}: its stored workload ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(workloadJson);
  } catch (error) {
    throw fail(`is not JSON (${(error as Error).message})`);
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== STORED_WORKLOAD_VERSION)
    throw fail(
      `has format version ${version}; this verdict reads version ${STORED_WORKLOAD_VERSION}: use the verdict that ran it`,
    );
  const parsed = storedWorkload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw fail(`is not a workload: ${issue.path.join('.') || 'the value'}: ${issue.message}`);
  }
  return parsed.data as unknown as Workload;
}
