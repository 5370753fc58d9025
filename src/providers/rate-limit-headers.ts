// Reads what providers say about rate limits in their response headers: OpenAI's (and Azure's,
// Mistral's, many OpenAI-compatible servers') `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`,
// and the standard `Retry-After` (seconds or an HTTP date) plus `retry-after-ms`.
import type { RateLimitInfo } from '../spec/provider.ts';

/** `1s`, `6m0s`, `20ms`, `1.5s`, `2h3m` → milliseconds; a bare number is seconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let matched = '';
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(match[1]) * units[match[2]!]!;
    matched += match[0];
  }
  return matched.length === trimmed.length && matched.length > 0 ? total : undefined;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** An RFC 3339 / HTTP date, or a duration, as milliseconds from `now`. */
function untilOrDuration(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const duration = parseDuration(value);
  if (duration !== undefined) return duration;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Parses rate-limit headers (names in any case); returns undefined when there are none. */
export function parseRateLimitHeaders(
  raw: Record<string, string | undefined> | undefined,
  now = Date.now(),
): RateLimitInfo | undefined {
  if (!raw) return undefined;
  // Most responses carry none of these headers: say so without building anything.
  if (!Object.keys(raw).some((name) => /ratelimit|retry-after/i.test(name))) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  const pick = (...names: string[]) =>
    names.map((name) => headers[name]).find((value) => value !== undefined);
  const retryAfterMs =
    number(pick('retry-after-ms')) ??
    ((value) => (value === undefined ? undefined : untilOrDuration(value, now)))(pick('retry-after'));
  const info: RateLimitInfo = {
    limitRequests: number(pick('x-ratelimit-limit-requests', 'anthropic-ratelimit-requests-limit')),
    remainingRequests: number(
      pick('x-ratelimit-remaining-requests', 'anthropic-ratelimit-requests-remaining'),
    ),
    resetRequestsMs: untilOrDuration(
      pick('x-ratelimit-reset-requests', 'anthropic-ratelimit-requests-reset'),
      now,
    ),
    limitTokens: number(pick('x-ratelimit-limit-tokens', 'anthropic-ratelimit-tokens-limit')),
    remainingTokens: number(pick('x-ratelimit-remaining-tokens', 'anthropic-ratelimit-tokens-remaining')),
    resetTokensMs: untilOrDuration(pick('x-ratelimit-reset-tokens', 'anthropic-ratelimit-tokens-reset'), now),
    retryAfterMs,
  };
  const present = Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined));
  return Object.keys(present).length > 0 ? (present as RateLimitInfo) : undefined;
}

const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'x-amzn-requestid',
  'apim-request-id',
  'x-goog-request-id',
];

/** The provider's request id, from whichever header it uses. */
export function requestIdFrom(raw: Record<string, string | undefined> | undefined): string | undefined {
  if (!raw) return undefined;
  for (const [name, value] of Object.entries(raw)) {
    if (value && REQUEST_ID_HEADERS.includes(name.toLowerCase())) return value;
  }
  return undefined;
}
