/** Splits `provider:model` at the first colon; model names may contain colons (`llama3.1:8b`). */
export function splitModelId(id: string): { provider: string; modelName: string } {
  const colon = id.indexOf(':');
  return colon < 0
    ? { provider: '', modelName: id }
    : { provider: id.slice(0, colon), modelName: id.slice(colon + 1) };
}
