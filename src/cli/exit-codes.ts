import type { VerdictErrorCode } from '../spec/errors.ts';

/** Exit codes, documented in the README: CI scripts branch on them. */
export const ExitCode = {
  ok: 0,
  /** Something verdict did not expect: a bug. Run with --debug and report it. */
  internal: 1,
  /** Bad input: usage, workload, cases, a catalogue file. Nothing was called. */
  badInput: 2,
  /** A provider or infrastructure failure: every call of a candidate failed, a model did not load, the store failed. */
  providerFailure: 3,
  /** verdict load: the endpoint answered but missed the latency objective (no rate or step met it). */
  sloMissed: 4,
  /** verdict load: the load generator itself was the bottleneck, so the figures may not be the server's. */
  generatorBound: 5,
  /** verdict gate: a check failed; verdict recheck: a decision changed or a trigger was crossed; verdict canary: drift. */
  changed: 6,
} as const;

/** The exit code for an error code. */
export function exitCodeFor(code: VerdictErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'WORKLOAD_INVALID':
    case 'CASES_INVALID':
    case 'CATALOGUE_INVALID':
    case 'PROVIDER_UNKNOWN':
    case 'RUN_NOT_FOUND':
    case 'RUN_BUSY':
      return ExitCode.badInput;
    default:
      return ExitCode.providerFailure;
  }
}
