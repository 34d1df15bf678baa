let cachedMs = Number.NaN;
let cachedIso = '';

/** ISO time of an epoch-ms value, formatted once per millisecond (turns stamp many events). */
export function isoTime(ms: number): string {
  if (ms !== cachedMs) {
    cachedIso = new Date(ms).toISOString();
    cachedMs = ms;
  }
  return cachedIso;
}
