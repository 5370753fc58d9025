// One error type for everything verdict reports to a user (CONVENTIONS: Errors).

const MARKER = Symbol.for('verdict.error');

export type VerdictErrorCode =
  | 'USAGE'
  | 'WORKLOAD_INVALID'
  | 'CASES_INVALID'
  | 'CATALOGUE_INVALID'
  | 'PROVIDER_UNKNOWN'
  | 'PROVIDER_ERROR'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_TIMEOUT'
  | 'PROVIDER_INCOMPLETE'
  | 'MODEL_LOAD_FAILED'
  | 'STORE_ERROR'
  | 'RUN_NOT_FOUND'
  | 'RUN_BUSY';

export class VerdictError extends Error {
  readonly [MARKER] = true;
  readonly code: VerdictErrorCode;
  readonly isRetryable: boolean;

  constructor(
    code: VerdictErrorCode,
    message: string,
    options: { cause?: unknown; isRetryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'VerdictError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }

  /** Works across copies of the module, where `instanceof` would not. */
  static isInstance(value: unknown): value is VerdictError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
