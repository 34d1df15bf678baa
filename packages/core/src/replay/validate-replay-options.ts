import { optionsRecord } from '../agent/validate-fleet-input.js';
import { validateIdentifier } from '../agent/validate-input.js';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { ReplayOptions } from './replay-ticket.js';

/** Every option `replayTicket` takes (e.g. for a tool that passes them on, like the inspector). */
export const REPLAY_OPTION_NAMES: readonly string[] = [
  'store',
  'ticketId',
  'intents',
  'workflows',
  'slots',
  'encryptionKey',
  'confidenceThreshold',
  'maxClarifications',
  'redact',
  'leaseMs',
  'executionTimeoutMs',
];

/**
 * Checks what `replayTicket` was given before anything is read: an options object with known
 * keys only, a store that can read events, a well-formed ticket id. The definitions and the
 * agent options are checked like `createAgent`'s (a `ConfigurationError`).
 * @throws {InvalidArgumentError}
 */
export function validateReplayOptions(options: unknown): ReplayOptions {
  const record = optionsRecord('options', options, REPLAY_OPTION_NAMES, 'replayTicket takes { store, ticketId, intents, workflows, … }');
  const store = record.store as { events?: unknown; load?: unknown } | undefined;
  if (typeof store !== 'object' || store === null || typeof store.events !== 'function' || typeof store.load !== 'function')
    throw new InvalidArgumentError({ argument: 'store', message: 'must be the TicketStore holding the recorded ticket' });
  validateIdentifier('ticketId', record.ticketId, 1_024);
  return record as unknown as ReplayOptions;
}
