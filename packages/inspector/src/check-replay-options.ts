import { ConfigurationError, createAgent, type LLM, MemoryTicketStore, REPLAY_OPTION_NAMES } from '@ticketflow/core';
import type { InspectorReplayOptions } from './inspector-options.js';

/** Never asked: the check below builds an agent only to have the core validate the definitions. */
const unusedLLM: LLM = {
  name: 'replay-check',
  generate: () => Promise.reject(new Error('the replay check never calls the LLM')),
};

/** The options `replayTicket` takes besides the ticket id (given per request). */
const REPLAY_KEYS = REPLAY_OPTION_NAMES.filter((name) => name !== 'ticketId');

/**
 * Problems of the replay definitions, found by the check `replayTicket` runs on every replay
 * (the core's `createAgent` check: definitions, sensitive slots without an `encryptionKey`, a
 * malformed key), so that they are refused at registration rather than answered on each replay.
 */
export function replayIssues(replay: InspectorReplayOptions): string[] {
  const unknown = Object.keys(replay).filter((key) => !REPLAY_KEYS.includes(key) && (replay as Record<string, unknown>)[key] !== undefined);
  if (unknown.length > 0) return unknown.map((key) => `replay: unknown option ${JSON.stringify(key)} (replayTicket takes ${REPLAY_KEYS.join(', ')})`);
  try {
    createAgent({
      store: new MemoryTicketStore(),
      llm: unusedLLM,
      intents: replay.intents,
      workflows: replay.workflows,
      ...(replay.slots ? { slots: replay.slots } : {}),
      ...(replay.encryptionKey !== undefined ? { encryptionKey: replay.encryptionKey } : {}),
      ...(replay.confidenceThreshold !== undefined ? { confidenceThreshold: replay.confidenceThreshold } : {}),
      ...(replay.maxClarifications !== undefined ? { maxClarifications: replay.maxClarifications } : {}),
      ...(replay.leaseMs !== undefined ? { leaseMs: replay.leaseMs } : {}),
      ...(replay.executionTimeoutMs !== undefined ? { executionTimeoutMs: replay.executionTimeoutMs } : {}),
    });
    return [];
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return (error.issues.length > 0 ? error.issues : [error.message]).map((issue) => `replay: ${issue}`);
    throw error;
  }
}
