// The one module that reads API keys, only from the environment, and the one that redacts them:
// the variable comes from the candidate (api_key_env) or its provider's table entry.
import { VerdictError } from '../spec/errors.ts';
import type { Candidate } from '../spec/workload.ts';
import { providerEntries, providerEntry } from './provider-table.ts';

type Keyed = Pick<Candidate, 'id' | 'model' | 'provider' | 'apiKeyEnv'>;

/** The variable a candidate's key is read from, or undefined when it has none. */
export function apiKeyEnvOf(candidate: Keyed): string | undefined {
  return candidate.apiKeyEnv ?? providerEntry(candidate.provider)?.keyEnv;
}

/**
 * A candidate's key from the environment; a PROVIDER_ERROR naming the variable when its provider
 * needs one and it is unset. `role` words the message (`candidate "a"`, `the judge openai:x`).
 */
export function apiKeyFor(
  candidate: Keyed,
  env: NodeJS.ProcessEnv,
  role = `candidate "${candidate.id}"`,
): string | undefined {
  const name = apiKeyEnvOf(candidate);
  const key = name ? env[name] : undefined;
  if (!key && providerEntry(candidate.provider)?.keyRequired)
    throw new VerdictError('PROVIDER_ERROR', `${role} needs an API key: set ${name} in the environment`);
  return key || undefined;
}

/** The secret values a workload's candidates may use, so logs and stored errors can redact them. */
export function secretsFor(candidates: readonly Keyed[], env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(providerEntries().flatMap((entry) => entry.otherSecretEnv ?? []));
  for (const candidate of candidates) {
    const name = apiKeyEnvOf(candidate);
    if (name) names.add(name);
  }
  return [...names].flatMap((name) => (env[name] ? [env[name]] : []));
}

/** Replaces every secret in `text` with `sk-…abcd`-style stubs (first 3 and last 4 characters hidden for short keys). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    const stub = `${secret.slice(0, 3)}…${secret.length > 16 ? secret.slice(-4) : ''}`;
    redacted = redacted.split(secret).join(stub);
  }
  return redacted;
}
