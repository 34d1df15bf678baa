import { didYouMean } from '../config/closest-name.js';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import { TICKET_STATUSES } from '../model/ticket.js';
import { StoreError } from '../store/store-error.js';
import type { ListQuery } from '../store/ticket-store.js';
import { validateListQuery } from '../store/validate-fleet-arguments.js';

/**
 * Checks `agent.list`'s query before the store is touched: the store kit's checks (unknown
 * options, limit, times, cursor) and statuses the engine has.
 * @throws {InvalidArgumentError} (argument `query`), never a `StoreError`: a bad query is a
 * programmer error, not a store that may answer later.
 */
export function validateAgentListQuery(query: unknown): ListQuery {
  let statuses: string[] | null;
  try {
    statuses = validateListQuery('agent', query as ListQuery).statuses;
  } catch (error) {
    if (StoreError.isInstance(error) && error.kind === 'invalid') throw invalidArgument('query', error.message.replace(/^\[agent\] /, ''));
    throw error;
  }
  for (const status of statuses ?? []) {
    if ((TICKET_STATUSES as readonly string[]).includes(status)) continue;
    throw invalidArgument('query', `unknown status ${JSON.stringify(status)}${didYouMean(status, TICKET_STATUSES)} (statuses: ${TICKET_STATUSES.join(', ')})`);
  }
  return (query ?? {}) as ListQuery;
}

/**
 * Checks `agent.recover`'s options: `{ limit? }`, an integer from 1 to 10,000 (default 100).
 * @throws {InvalidArgumentError}
 */
export function validateRecoverOptions(options: unknown): { limit: number } {
  const record = optionsRecord('options', options ?? {}, ['limit'], 'recover takes { limit? }');
  const limit = record.limit ?? 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw invalidArgument('limit', 'must be an integer from 1 to 10,000');
  return { limit };
}

/**
 * Checks `agent.purge`'s options: `{ olderThanMs, limit? }`.
 * @throws {InvalidArgumentError}
 */
export function validatePurgeArguments(options: unknown): { olderThanMs: number; limit?: number } {
  const record = optionsRecord('options', options, ['olderThanMs', 'limit'], 'purge takes { olderThanMs, limit? }');
  const { olderThanMs, limit } = record;
  if (typeof olderThanMs !== 'number' || !(olderThanMs >= 0) || !Number.isFinite(olderThanMs))
    throw invalidArgument('olderThanMs', 'must be a non-negative number of ms');
  if (limit === undefined) return { olderThanMs };
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) throw invalidArgument('limit', 'must be a positive integer');
  return { olderThanMs, limit };
}

/** An options object with only `known` keys (an undefined value counts as absent). */
export function optionsRecord(argument: string, value: unknown, known: readonly string[], usage: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(argument, `must be an object: ${usage}`);
  for (const [key, item] of Object.entries(value)) {
    if (known.includes(key) || item === undefined) continue;
    throw invalidArgument(argument, `unknown option ${JSON.stringify(key)}${didYouMean(key, known)} (${usage})`);
  }
  return value as Record<string, unknown>;
}

function invalidArgument(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument, message });
}
