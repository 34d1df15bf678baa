/**
 * Removes secrets from text meant for an error message, a log line or an event record (O4).
 *
 * - every literal in `secrets` (API keys, passwords) is replaced by `***`;
 * - the password of any URL with credentials (`scheme://user:password@host`) is replaced;
 * - `key=…` / `api_key=…` / `password=…` query or form parameters are replaced.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('***');
  }
  return result
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1***@')
    .replace(/\b((?:api[_-]?)?key|password|passwd|pwd|token|secret)=([^&\s"']+)/gi, '$1=***');
}
