/**
 * One operator credential: a bearer token and the name it stands for. The name is what
 * approvals, rejections and releases record as `by`.
 */
export interface OperatorCredential {
  /** Who this token identifies, e.g. `alice` (1–64 characters of `[A-Za-z0-9._@-]`). */
  name: string;
  /** The bearer token (secret; at least 16 characters of RFC 6750's token alphabet). */
  token: string;
}

/** Shortest token accepted: a guessable operator token would open every operator route. */
export const MIN_OPERATOR_TOKEN_LENGTH = 16;

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;
// RFC 6750 b64token, so the token fits in `Authorization: Bearer <token>` as is.
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Parses `TICKETFLOW_OPERATOR_TOKEN`: one or several comma-separated entries, each
 * `name:token` or a bare `token` (named `operator-<n>`, its position). A name may have
 * several tokens (rotation: add the new one, deploy, remove the old one). Problems are
 * pushed to `issues` without ever repeating a token.
 *
 * @example
 * ```ts
 * parseOperatorTokens('alice:4f9c…,bob:Zx81…', issues); // [{ name: 'alice', token: '4f9c…' }, …]
 * ```
 */
export function parseOperatorTokens(value: string, issues: string[]): OperatorCredential[] {
  const credentials: OperatorCredential[] = [];
  const seen = new Set<string>();
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const position = `TICKETFLOW_OPERATOR_TOKEN entry ${index + 1}`;
    if (entry === '') {
      issues.push(`${position} is empty; use name:token pairs separated by commas`);
      return;
    }
    const colon = entry.indexOf(':');
    const name = colon >= 0 ? entry.slice(0, colon).trim() : `operator-${index + 1}`;
    const token = colon >= 0 ? entry.slice(colon + 1).trim() : entry;
    if (!NAME.test(name)) issues.push(`${position}: the name must be 1–64 characters of [A-Za-z0-9._@-] (got ${JSON.stringify(name.slice(0, 70))})`);
    if (token.length < MIN_OPERATOR_TOKEN_LENGTH)
      issues.push(
        `${position}${colon >= 0 ? ` (${name})` : ''}: the token is shorter than ${MIN_OPERATOR_TOKEN_LENGTH} characters; generate one with \`openssl rand -base64 32\``,
      );
    else if (!TOKEN.test(token))
      issues.push(`${position}${colon >= 0 ? ` (${name})` : ''}: the token may only use letters, digits and - . _ ~ + / (with = padding at the end)`);
    if (seen.has(token)) issues.push(`${position}: the same token is listed twice`);
    seen.add(token);
    credentials.push({ name, token });
  });
  return credentials;
}
