/** The password of a Redis URL, raw and decoded, so that neither reaches an error. */
export function passwordsOf(url: string): string[] {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    // A URL that does not parse is refused later; redactSecrets still masks `user:pass@`.
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*?:([^/@]*)@/i.exec(url);
    password = match?.[1] ?? '';
  }
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // keep the raw form only
  }
  return [...new Set([password, decoded])];
}
