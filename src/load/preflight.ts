// The one short request before a load test: an endpoint that is down fails fast with its reason
// (the CLI's exit 3) instead of a test full of errors.
import { redactSecrets } from '../providers/api-keys.ts';
import { VerdictError } from '../spec/errors.ts';
import { createHttpTransport } from './http-transport.ts';
import type { ResolvedLoadTarget } from './load-target.ts';
import type { PromptSource } from './types.ts';

/** One short request before the test: an endpoint that is down fails fast with its reason (exit 3). */
export async function preflight(
  target: ResolvedLoadTarget,
  prompts: PromptSource,
  timeoutMs: number,
): Promise<void> {
  const transport = target.transport ?? createHttpTransport(target.target, target.extraBody);
  try {
    const messages =
      prompts.kind === 'messages'
        ? prompts.conversations[0]!
        : [{ role: 'user' as const, content: 'Say hello.' }];
    const outcome = await transport.send({
      messages,
      maxTokens: 1,
      ignoreEos: false,
      requestId: 'verdict-load-preflight',
      timeoutMs,
    }).outcome;
    if (outcome.error) {
      const where = target.target.baseUrl;
      throw new VerdictError(
        'PROVIDER_ERROR',
        `the first request to ${where} (${target.target.model}) failed, so no test was run: ` +
          `${outcome.error.kind}: ${redactSecrets(outcome.error.message, target.secrets)}`,
      );
    }
  } finally {
    if (!target.transport) await transport.close();
  }
}
