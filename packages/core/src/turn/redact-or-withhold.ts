import type { Runtime } from '../runtime/runtime.js';

/** What is kept of a message or reply the app's `redact` could not redact: nothing of it (P2). */
export const WITHHELD_TEXT = '(text withheld: redact failed)';

/**
 * `runtime.redact(text)` for a text that is stored, logged or shown: an app's `redact` that
 * throws, or returns something else than a string (an `async` one returns a promise), withholds
 * the text instead of failing the turn — and a rejection of its promise is caught, not left
 * to end the process. The agent's logger is told once per failure.
 */
export function redactOrWithhold(runtime: Pick<Runtime, 'redact' | 'settings'>, text: string): string {
  let redacted: unknown;
  try {
    redacted = runtime.redact(text);
  } catch (error) {
    warn(runtime, error instanceof Error ? error.message : String(error));
    return WITHHELD_TEXT;
  }
  if (typeof redacted === 'string') return redacted;
  warn(runtime, `redact returned ${redacted === null ? 'null' : typeof redacted}, not a string (it must be synchronous)`);
  return WITHHELD_TEXT;
}

function warn(runtime: Pick<Runtime, 'settings'>, problem: string): void {
  try {
    runtime.settings.logger?.warn({ problem: problem.slice(0, 200) }, 'ticketflow: redact failed; the text was withheld');
  } catch {
    // a logger that throws changes nothing
  }
}

/**
 * The app's `redact` as the runtime calls it: a promise it returns (an `async` redact, which
 * the option's type does not allow but JavaScript does) has its rejection caught, so it can
 * never end the process; every caller treats a result that is not a string as a failure.
 */
export function catchingAsyncRedact(redact: (text: string) => string): (text: string) => string {
  return (text) => {
    const result: unknown = redact(text);
    if (typeof result !== 'string' && typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      try {
        (result as PromiseLike<unknown>).then(undefined, () => undefined);
      } catch {
        // a thenable whose then throws: nothing is pending
      }
    }
    return result as string;
  };
}
