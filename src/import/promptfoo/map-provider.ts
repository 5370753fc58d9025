// One promptfoo provider (`openai:chat:gpt-4o-mini`, `{ id, label, config }`) → one verdict
// candidate entry, or the reason it cannot be one. Generation settings carry over; settings verdict
// does not send (tools, response_format…) are listed, and an API key in the config is never copied.

export type ProviderMapping =
  | { ok: true; entry: Record<string, unknown>; notes: string[] }
  | { ok: false; reason: string };

const PARAMS: Record<string, string> = {
  temperature: 'temperature',
  max_tokens: 'max_tokens',
  maxTokens: 'max_tokens',
  max_output_tokens: 'max_tokens',
  top_p: 'top_p',
  topP: 'top_p',
  seed: 'seed',
  stop: 'stop',
};

/** Config keys that say where the endpoint is or how to authenticate, handled apart. */
const ENDPOINT_KEYS = new Set(['apiBaseUrl', 'apiHost', 'baseUrl', 'base_url', 'apiKeyEnvar', 'headers']);

/** The candidate id: the label, else the model name, as letters, digits, ".", "_" and "-". */
export function candidateIdOf(label: string): string {
  const id = label
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return id || 'candidate';
}

/** The verdict model id (`provider:model`) and default endpoint for a promptfoo provider id. */
function modelOf(id: string): { model: string; baseUrl?: string; reason?: string } {
  const parts = id.split(':');
  const [prefix] = parts;
  const rest = (skip: string[]) => {
    const tail = parts.slice(1);
    while (tail.length > 1 && skip.includes(tail[0]!)) tail.shift();
    return tail.join(':');
  };
  switch (prefix) {
    case 'openai':
      return { model: `openai:${rest(['chat', 'responses'])}` };
    case 'anthropic':
      return { model: `anthropic:${rest(['messages'])}` };
    case 'google':
    case 'vertex':
    case 'mistral':
      return { model: `${prefix}:${rest(['chat'])}` };
    case 'bedrock':
      return { model: `bedrock:${rest(['converse'])}` };
    case 'azure':
    case 'azureopenai':
      return { model: `azure:${rest(['chat'])}` };
    case 'ollama':
      return {
        model: `openai-compatible:${rest(['chat', 'completion'])}`,
        baseUrl: 'http://127.0.0.1:11434/v1',
      };
    case 'vllm':
    case 'localai':
    case 'openai-compatible':
      return { model: `openai-compatible:${rest(['chat'])}` };
    case 'groq':
      return { model: `openai-compatible:${rest(['chat'])}`, baseUrl: 'https://api.groq.com/openai/v1' };
    case 'togetherai':
      return { model: `openai-compatible:${rest(['chat'])}`, baseUrl: 'https://api.together.xyz/v1' };
    case 'fireworks':
      return {
        model: `openai-compatible:${rest(['chat'])}`,
        baseUrl: 'https://api.fireworks.ai/inference/v1',
      };
    case 'deepinfra':
      return { model: `openai-compatible:${rest(['chat'])}`, baseUrl: 'https://api.deepinfra.com/v1/openai' };
    case 'openrouter':
      return { model: `openai-compatible:${rest(['chat'])}`, baseUrl: 'https://openrouter.ai/api/v1' };
    default:
      return {
        model: '',
        reason:
          id.startsWith('file://') || /^(exec|python|http|https|ws|echo|script|golang|custom):?/.test(id)
            ? `${id}: a script or HTTP provider is not a model verdict can call; point an openai-compatible candidate at its endpoint instead`
            : `${id}: provider "${prefix}" has no verdict counterpart (openai, anthropic, google, vertex, mistral, bedrock, azure, ollama, vllm, groq, togetherai, fireworks, deepinfra, openrouter)`,
      };
  }
}

/** Maps a provider given as a string or `{ id, label, config }`. */
export function mapProvider(provider: unknown): ProviderMapping {
  const spec =
    typeof provider === 'string'
      ? { id: provider }
      : provider && typeof provider === 'object'
        ? (provider as { id?: unknown; label?: unknown; config?: unknown })
        : undefined;
  if (!spec || typeof spec.id !== 'string') return { ok: false, reason: 'a provider without an id' };
  const { model, baseUrl, reason } = modelOf(spec.id);
  if (reason) return { ok: false, reason };
  if (model.endsWith(':')) return { ok: false, reason: `${spec.id}: no model name` };
  const config = (spec.config && typeof spec.config === 'object' ? spec.config : {}) as Record<
    string,
    unknown
  >;
  const notes: string[] = [];
  const label =
    typeof spec.label === 'string'
      ? spec.label
      : model
          .slice(model.indexOf(':') + 1)
          .split('/')
          .pop()!;
  const entry: Record<string, unknown> = { id: candidateIdOf(label), model };
  const configured = config.apiBaseUrl ?? config.baseUrl ?? config.base_url;
  const host = typeof config.apiHost === 'string' ? `https://${config.apiHost}/openai` : undefined;
  let url = typeof configured === 'string' ? configured : (host ?? baseUrl);
  // An OpenAI provider pointed at another server is an OpenAI-compatible endpoint (vLLM, a proxy…).
  if (model.startsWith('openai:') && url && !/(^|\.)openai\.com/.test(url))
    entry.model = `openai-compatible:${model.slice('openai:'.length)}`;
  if (url) {
    url = url.replace(/\/+$/, '');
    entry.base_url = url;
  }
  if (typeof config.apiKeyEnvar === 'string') entry.api_key_env = config.apiKeyEnvar;
  if (config.headers && typeof config.headers === 'object') entry.headers = config.headers;
  if (typeof spec.label === 'string') entry.label = spec.label;
  for (const [key, value] of Object.entries(config)) {
    if (ENDPOINT_KEYS.has(key)) continue;
    const param = PARAMS[key];
    if (param) {
      entry[param] = param === 'stop' && typeof value === 'string' ? [value] : value;
      continue;
    }
    if (key === 'apiKey') {
      notes.push(`config.apiKey is not copied: verdict reads keys from the environment (set api_key_env)`);
      continue;
    }
    notes.push(`config.${key} is not sent by verdict`);
  }
  return { ok: true, entry, notes };
}
