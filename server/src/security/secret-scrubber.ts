// Secret values this process has seen (decrypted credentials, freshly issued
// tokens). The logger replaces any of them that slips into a log line, as a
// second line of defence behind path-based redaction.
const secrets = new Set<string>();
const MIN_LENGTH = 8;

export function rememberSecret(value: string): void {
  if (value.length >= MIN_LENGTH) secrets.add(value);
}

export function forgetSecrets(): void {
  secrets.clear();
}

export function scrubSecrets(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[REDACTED]');
  return out;
}
