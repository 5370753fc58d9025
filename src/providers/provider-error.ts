import { VerdictError, type VerdictErrorCode } from '../spec/errors.ts';
import type { RateLimitInfo } from '../spec/provider.ts';

/** A failed provider call, with what the response said that the runner's retries need. */
export class ProviderError extends VerdictError {
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly rateLimit: RateLimitInfo | undefined;

  constructor(
    code: VerdictErrorCode,
    message: string,
    options: {
      cause?: unknown;
      isRetryable?: boolean;
      httpStatus?: number;
      requestId?: string;
      rateLimit?: RateLimitInfo;
    } = {},
  ) {
    super(code, message, { cause: options.cause, isRetryable: options.isRetryable ?? false });
    this.name = 'ProviderError';
    this.httpStatus = options.httpStatus;
    this.requestId = options.requestId;
    this.rateLimit = options.rateLimit;
  }
}

/** The HTTP status, request id and rate-limit info of an error, when it carries them. */
export function providerErrorDetails(error: unknown): {
  httpStatus?: number;
  requestId?: string;
  rateLimit?: RateLimitInfo;
} {
  if (!(error instanceof ProviderError)) return {};
  return {
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.rateLimit === undefined ? {} : { rateLimit: error.rateLimit }),
  };
}
