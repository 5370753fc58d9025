// Where a model's endpoint is, for `constraints.on_prem`: judged from the endpoint, not the provider
// prefix alone, since an `openai-compatible` client pointed at api.openai.com sends every case to
// OpenAI. Used by the runner (API candidates are not called), the judge checks (an API judge is
// refused) and the decision's constraint profile (the host behind a base URL), so it lives below all.
import type { Candidate } from '../spec/workload.ts';
import { providerEntries, servingOf } from './provider-table.ts';

/** Public API hosts that have no provider entry (reached through `openai-compatible`). */
const OTHER_HOSTS_BY_DOMAIN: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|\.)together\.(xyz|ai)$/, 'together'],
  [/(^|\.)fireworks\.ai$/, 'fireworks'],
  [/(^|\.)groq\.com$/, 'groq'],
  [/(^|\.)deepinfra\.com$/, 'deepinfra'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
  [/(^|\.)x\.ai$/, 'x-ai'],
  [/(^|\.)cohere\.(ai|com)$/, 'cohere'],
  [/(^|\.)perplexity\.ai$/, 'perplexity'],
];

/** Public API hosts recognised from a base URL's domain, with the host name the catalogues use. */
export function hostsByDomain(): Array<readonly [RegExp, string]> {
  const fromTable = providerEntries().flatMap((entry) =>
    entry.domain && entry.complianceHost ? [[entry.domain, entry.complianceHost] as const] : [],
  );
  return [...fromTable, ...OTHER_HOSTS_BY_DOMAIN];
}

/** The hostname of a URL, lower-cased; '' when it does not parse. */
export function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** The public API host a base URL points at (`openai`, `together`…), or undefined for any other address. */
export function publicApiHost(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  const domain = hostnameOf(baseUrl);
  return hostsByDomain().find(([pattern]) => pattern.test(domain))?.[1];
}

/**
 * Why a model's calls would leave the premises, or undefined when its endpoint is inside them: a
 * frontier provider, a candidate stated as `serving: api`, or a base URL on a known public API host.
 * Any other address (loopback, a private network, the team's own domain) counts as inside: the
 * workload's author states where an unknown host is with `serving`.
 */
export function outsidePremises(
  model: Pick<Candidate, 'id' | 'model' | 'provider' | 'baseUrl' | 'deployment'>,
): string | undefined {
  const serving = servingOf(model.provider);
  if (serving === 'api') return `${model.model} is called through ${model.provider}'s API`;
  if (model.deployment?.serving === 'api')
    return `${model.model} is stated as a managed API (serving: api)${model.baseUrl ? ` at ${hostnameOf(model.baseUrl)}` : ''}`;
  const host = publicApiHost(model.baseUrl);
  if (host) return `${model.model}'s base_url is ${hostnameOf(model.baseUrl!)}, ${host}'s public API`;
  return undefined;
}
