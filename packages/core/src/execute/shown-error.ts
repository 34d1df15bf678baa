import { redactSecrets } from '../errors/redact.js';
import { storableText } from '../model/json-value.js';
import type { TicketDoc } from '../model/ticket.js';
import { tryRedact } from '../runtime/redact-or-withhold.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskText, type SensitiveValue, sensitiveValues } from '../runtime/sensitive-values.js';
import { describeError } from './execution-errors.js';

/** Turns a thrown value into the text journaled, evented and handed to instrumentation. */
export type ShowError = (error: unknown) => string;

/** Stands in for an error text the app's `redact` could not handle (it threw or returned no string). */
export const WITHHELD_ERROR_TEXT = '(error text withheld: redact failed)';

/** The longest error text kept (after masking). */
const MAX_ERROR_TEXT = 500;

/**
 * How an execution shows the errors of its tools and workflow. A tool's error message is app
 * text that may quote what it was given — a sensitive slot's value (P1), or the customer's
 * e-mail address or phone number (P2), or credentials such as `?key=…` or an `Authorization`
 * header (O4) — so it is masked with the ticket's sensitive values, scrubbed of credentials,
 * then passed through the agent's `redact`, like message text, before it is stored, evented
 * or handed to instrumentation. The sensitive values are read (opened) only when an error is
 * shown.
 */
export function errorShower(runtime: Pick<Runtime, 'redact'>, secrets: readonly SensitiveValue[] | (() => readonly SensitiveValue[])): ShowError {
  let known = typeof secrets === 'function' ? undefined : secrets;
  const values = () => (known ??= (secrets as () => readonly SensitiveValue[])());
  return (error) => shownErrorText(runtime, describeError(error), values());
}

/** {@link errorShower} for an execution on `ticket`. */
export function ticketErrorShower(runtime: Runtime, ticket: TicketDoc): ShowError {
  return errorShower(runtime, () => sensitiveValues(runtime, ticket));
}

/** An error text (already described) masked (P1), scrubbed of keys and tokens (O4), then redacted (P2); never throws. */
export function shownErrorText(runtime: Pick<Runtime, 'redact'>, text: string, secrets: readonly SensitiveValue[]): string {
  const redacted = tryRedact(runtime, redactSecrets(maskText(text, secrets)));
  return redacted.ok ? storableText(redacted.text.slice(0, MAX_ERROR_TEXT)) : WITHHELD_ERROR_TEXT;
}
