import { didYouMean } from '../config/closest-name.js';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import { hasLoneSurrogate } from '../util/lone-surrogate.js';
import type { EventsQuery } from '../store/ticket-store.js';

/** What `agent.handle` takes. */
export interface HandleInput {
  /** 1–1,024 characters, no control characters. An unknown id starts a new ticket (T2). */
  ticketId: string;
  /** The customer's message: 1 to `maxMessageLength` characters (default 16,000). */
  message: string;
  /** Optional de-duplication key (T7): 1–256 characters, no control characters. */
  messageId?: string | undefined;
}

const controlCharacters = /[\u0000-\u001f\u007f]/;

/**
 * Checks `handle`'s arguments; bad ones are programmer errors and change nothing.
 * @throws {InvalidArgumentError}
 */
export function validateHandleInput(input: unknown, maxMessageLength: number): { ticketId: string; message: string; messageId: string | null } {
  if (typeof input !== 'object' || input === null)
    throw new InvalidArgumentError({ argument: 'input', message: 'handle takes { ticketId, message, messageId? }' });
  const { ticketId, message, messageId } = input as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (key === 'ticketId' || key === 'message' || key === 'messageId') continue;
    throw new InvalidArgumentError({
      argument: 'input',
      message: `unknown field ${JSON.stringify(key)}${didYouMean(key, ['ticketId', 'message', 'messageId'])} (handle takes { ticketId, message, messageId? })`,
    });
  }
  const id = validateIdentifier('ticketId', ticketId, 1_024);
  if (typeof message !== 'string') throw new InvalidArgumentError({ argument: 'message', message: 'must be a string' });
  if (message.trim() === '') throw new InvalidArgumentError({ argument: 'message', message: 'must not be empty' });
  if (message.length > maxMessageLength)
    throw new InvalidArgumentError({ argument: 'message', message: `must be at most ${maxMessageLength} characters (got ${message.length})` });
  if (message.includes('\u0000')) throw new InvalidArgumentError({ argument: 'message', message: 'must not contain NUL characters' });
  if (hasLoneSurrogate(message)) throw new InvalidArgumentError({ argument: 'message', message: 'must be well-formed Unicode (it has a lone surrogate)' });
  const messageKey = messageId === undefined || messageId === null ? null : validateIdentifier('messageId', messageId, 256);
  return { ticketId: id, message, messageId: messageKey };
}

/** Checks a ticket id or similar key. */
export function validateIdentifier(argument: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidArgumentError({ argument, message: 'must be a string' });
  if (value.length === 0 || value.length > maxLength)
    throw new InvalidArgumentError({ argument, message: `must have 1 to ${maxLength} characters (got ${value.length})` });
  if (controlCharacters.test(value)) throw new InvalidArgumentError({ argument, message: 'must not contain control characters' });
  if (hasLoneSurrogate(value)) throw new InvalidArgumentError({ argument, message: 'must be well-formed Unicode' });
  return value;
}

/** The `range` of `agent.inspect`: `after` a non-negative integer, `limit` a positive one, nothing else. */
export function validateEventRange(range: unknown): EventsQuery {
  if (range === undefined) return {};
  if (typeof range !== 'object' || range === null) throw new InvalidArgumentError({ argument: 'range', message: 'must be an object { after?, limit? }' });
  const { after, limit, ...rest } = range as { after?: unknown; limit?: unknown };
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new InvalidArgumentError({ argument: 'range', message: `unknown field ${JSON.stringify(unknown[0])} (takes { after?, limit? })` });
  if (after !== undefined && (!Number.isSafeInteger(after) || (after as number) < 0))
    throw new InvalidArgumentError({ argument: 'after', message: 'must be a non-negative integer' });
  if (limit !== undefined && (!Number.isSafeInteger(limit) || (limit as number) < 1))
    throw new InvalidArgumentError({ argument: 'limit', message: 'must be a positive integer' });
  return { ...(after !== undefined ? { after: after as number } : {}), ...(limit !== undefined ? { limit: limit as number } : {}) };
}
