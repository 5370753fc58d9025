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
