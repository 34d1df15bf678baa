/**
 * Reads a `google.rpc.RetryInfo.retryDelay` (a protobuf `Duration` in its JSON form:
 * `"26s"`, `"34.4s"`, `"0.250s"`) into milliseconds. Also accepts the object form
 * `{ seconds, nanos }`. Returns `undefined` for anything else.
 */
export function parseRetryDelay(delay: unknown): number | undefined {
  if (typeof delay === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(delay);
    return match ? Math.round(Number(match[1]) * 1_000) : undefined;
  }
  if (typeof delay === 'object' && delay !== null) {
    const { seconds, nanos } = delay as { seconds?: unknown; nanos?: unknown };
    const wholeSeconds = Number(seconds ?? 0);
    const nanoseconds = Number(nanos ?? 0);
    if (!Number.isFinite(wholeSeconds) || !Number.isFinite(nanoseconds) || (seconds === undefined && nanos === undefined)) return undefined;
    return Math.round(wholeSeconds * 1_000 + nanoseconds / 1_000_000);
  }
  return undefined;
}

/**
 * Reads an HTTP `Retry-After` header (delta-seconds or an HTTP date) into milliseconds
 * from `now`. Returns `undefined` when absent or unreadable.
 */
export function parseRetryAfterHeader(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
