import { catchRejection } from '../util/thenable.js';
import type { Runtime } from './runtime.js';

/** What is kept of a message or reply the app's `redact` could not redact: nothing of it (P2). */
export const WITHHELD_TEXT = '(text withheld: redact failed)';

/**
 * `runtime.redact(text)`, or why it gave no text: an app's `redact` may throw, or return
 * something else than a string (an `async` one returns a promise). Never throws.
 */
export function tryRedact(runtime: Pick<Runtime, 'redact'>, text: string): { ok: true; text: string } | { ok: false; problem: string } {
  let redacted: unknown;
  try {
    redacted = runtime.redact(text);
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  if (typeof redacted === 'string') return { ok: true, text: redacted };
  return { ok: false, problem: `redact returned ${redacted === null ? 'null' : typeof redacted}, not a string (it must be synchronous)` };
}

/**
 * `runtime.redact(text)` for a text that is stored, logged or shown: an app's `redact` that
 * fails ({@link tryRedact}) withholds the text instead of failing the turn. The agent's logger
 * is told once per failure.
 */
export function redactOrWithhold(runtime: Pick<Runtime, 'redact' | 'settings'>, text: string): string {
  const redacted = tryRedact(runtime, text);
  if (redacted.ok) return redacted.text;
  try {
    runtime.settings.logger?.warn({ problem: redacted.problem.slice(0, 200) }, 'ticketflow: redact failed; the text was withheld');
  } catch {
    // a logger that throws changes nothing
  }
  return WITHHELD_TEXT;
}

/**
 * The app's `redact` as the runtime calls it: a promise it returns (an `async` redact, which
 * the option's type does not allow but JavaScript does) has its rejection caught, so it can
 * never end the process; every caller treats a result that is not a string as a failure.
 */
export function catchingAsyncRedact(redact: (text: string) => string): (text: string) => string {
  return (text) => {
    const result: unknown = redact(text);
    catchRejection(result);
    return result as string;
  };
}
