const ticketflowErrorMarker = Symbol.for('ticketflow.error');

/** Brands an error with a `Symbol.for` marker so copies of the package recognise it. */
export function markError(error: Error, marker: symbol): void {
  Object.defineProperty(error, marker, { value: true, enumerable: false });
}

/** True when `value` carries the given `Symbol.for` marker. */
export function hasErrorMarker(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && marker in value;
}

/** Options shared by every ticketflow error. */
export interface TicketflowErrorOptions {
  /** Stable machine-readable code, e.g. `invalid_argument`. */
  code: string;
  /** Human-readable explanation. Never contains secrets. */
  message: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error ticketflow throws on purpose.
 *
 * Recognise it with {@link TicketflowError.isInstance} rather than `instanceof`: the check
 * works across several copies of the package in one process (a `Symbol.for` marker).
 */
export class TicketflowError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;

  constructor(options: TicketflowErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TicketflowError';
    this.code = options.code;
    markError(this, ticketflowErrorMarker);
  }

  /** True for any ticketflow error, from any copy of the package. */
  static isInstance(value: unknown): value is TicketflowError {
    return hasErrorMarker(value, ticketflowErrorMarker);
  }
}

/**
 * A programmer error in the configuration given to `createAgent` or a `define*` function.
 * Thrown synchronously, before anything runs. `issues` lists every problem found.
 */
export class ConfigurationError extends TicketflowError {
  /** Every problem found, one sentence each. */
  readonly issues: readonly string[];

  constructor(options: { message: string; issues?: readonly string[]; cause?: unknown }) {
    const issues = options.issues ?? [];
    const detail = issues.length > 0 ? `\n - ${issues.join('\n - ')}` : '';
    super({ code: 'configuration', message: `${options.message}${detail}`, cause: options.cause });
    this.name = 'ConfigurationError';
    this.issues = issues;
    markError(this, Symbol.for('ticketflow.error.configuration'));
  }

  static override isInstance(value: unknown): value is ConfigurationError {
    return hasErrorMarker(value, Symbol.for('ticketflow.error.configuration'));
  }
}

/**
 * A bad argument passed to a public method (`handle`, `approve`, …): the call changed nothing.
 * `argument` names the offending argument, `details` says what was wrong.
 */
export class InvalidArgumentError extends TicketflowError {
  /** The offending argument, e.g. `ticketId`. */
  readonly argument: string;

  /**
   * @param options.code a more precise code than `invalid_argument`, e.g. `message_id_reused`
   * (the same `messageId` sent again with another text, T7).
   */
  constructor(options: { argument: string; message: string; code?: string; cause?: unknown }) {
    super({ code: options.code ?? 'invalid_argument', message: `Invalid ${options.argument}: ${options.message}`, cause: options.cause });
    this.name = 'InvalidArgumentError';
    this.argument = options.argument;
    markError(this, Symbol.for('ticketflow.error.invalid_argument'));
  }

  static override isInstance(value: unknown): value is InvalidArgumentError {
    return hasErrorMarker(value, Symbol.for('ticketflow.error.invalid_argument'));
  }
}

/**
 * An operation that the ticket's current state does not allow, e.g. `approve` on a ticket
 * that is not awaiting approval. Nothing was changed.
 */
export class TicketStateError extends TicketflowError {
  /** The ticket's status when the operation was refused (null: no such ticket). */
  readonly status: string | null;

  /**
   * @param options.code a more precise code than `ticket_state`, e.g. `ticket_erased` (the
   * ticket was erased while the call was in flight; nothing was applied).
   */
  constructor(options: { message: string; status: string | null; code?: string }) {
    super({ code: options.code ?? 'ticket_state', message: options.message });
    this.name = 'TicketStateError';
    this.status = options.status;
    markError(this, Symbol.for('ticketflow.error.ticket_state'));
  }

  static override isInstance(value: unknown): value is TicketStateError {
    return hasErrorMarker(value, Symbol.for('ticketflow.error.ticket_state'));
  }
}
