import type { StoredTicketEvent } from '@ticketflow/core';
import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';

/** One ticket as the store holds it after a run. */
export interface TicketHistory {
  ticketId: string;
  /** The stored document (null when the store has none). */
  document: unknown;
  version: number | null;
  /** Set when loading the ticket or its events threw. */
  loadError?: string;
  /** The ticket's whole event log, in `seq` order. */
  events: StoredTicketEvent[];
}

/** A message a worker answered: the test's own record of what the system acknowledged. */
export interface AcknowledgedMessage {
  ticketId: string;
  messageId: string;
}

/** Everything the checker reads: the store's tickets, the acknowledgements, the backend ledger. */
export interface History {
  tickets: readonly TicketHistory[];
  acknowledged: readonly AcknowledgedMessage[];
  effects: readonly LedgerEffect[];
  calls: readonly LedgerCall[];
  /** Backend operations whose tool declares a compensation (the others cannot be undone). */
  compensableOperations: ReadonlySet<string>;
}

/**
 * The rules (see the package README for their exact definitions):
 * - `acknowledged-once`: every acknowledged message is in its ticket's transcript exactly once;
 * - `settled`: no ticket is left executing or with a claim after the final recovery pass;
 * - `effects-accounted`: every backend effect belongs to a completed workflow or was compensated;
 * - `keys-once`: no idempotency key executed by two executions, or took effect twice;
 * - `sequence-agrees`: event sequence gap-free, and versions, turns and executions agree with it;
 * - `schema-valid`: every ticket loads and validates against `ticketDocSchema`.
 */
export type Rule = 'acknowledged-once' | 'settled' | 'effects-accounted' | 'keys-once' | 'sequence-agrees' | 'schema-valid';

/** One broken rule. */
export interface Violation {
  rule: Rule;
  ticketId: string;
  detail: string;
}

/** The figures the summary quotes; every one must be 0. */
export interface HistoryCounts {
  /** Acknowledged messages missing from their ticket. */
  lost: number;
  /** Messages recorded more than once, plus idempotency keys executed twice. */
  duplicated: number;
  /** Tickets that fail to load, validate, or whose versions and events disagree. */
  corrupted: number;
  /** Live backend effects of workflows that did not complete, and other unaccounted effects. */
  uncompensated: number;
  /** Tickets left executing or holding a claim. */
  unsettled: number;
}

/** What the histories contain, for the summary. */
export interface HistoryStats {
  tickets: number;
  events: number;
  turns: number;
  executions: number;
  completed: number;
  failed: number;
  recovered: number;
  compensatedSteps: number;
  effects: number;
  liveEffects: number;
  undoneEffects: number;
  replayedCalls: number;
  retriedSteps: number;
  degradedTurns: number;
  retriedMessages: number;
}

/** The checker's verdict. */
export interface CheckReport {
  ok: boolean;
  violations: Violation[];
  counts: HistoryCounts;
  stats: HistoryStats;
}
