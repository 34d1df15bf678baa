import { randomUUID } from 'node:crypto';
import { type TicketDoc, type TicketView, type TranscriptEntry, TICKET_SCHEMA_VERSION } from '../model/ticket.js';
import { StoreError } from '../store/store-error.js';
import { UNKNOWN_SEEN } from './seen-messages.js';
import { executionWithoutCiphertexts, outcomesWithoutCiphertexts, slotsWithoutCiphertexts } from './without-ciphertexts.js';

/** A new, empty ticket: a new life of the id, with a random incarnation. */
export function newTicket(id: string, at: string, incarnation: string = randomUUID()): TicketDoc {
  return {
    schemaVersion: TICKET_SCHEMA_VERSION,
    id,
    incarnation,
    createdAt: at,
    updatedAt: at,
    turn: 0,
    status: 'open',
    intent: null,
    workflow: null,
    slots: {},
    deferred: [],
    pending: null,
    confirmation: null,
    outcomes: {},
    transcript: [],
    processed: [],
    seen: '',
    clarification: null,
    execution: null,
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
  };
}

type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upgrades from each older schema version to the next. Version 0 is a document written
 * before the version field existed (it lacked `schemaVersion`, `usage` and `processed`).
 * Version 1 had no incarnation (the store derives `legacy:<createdAt>` for such rows, so the
 * upgraded document keeps committing), no `seen`, no `clarification`, and executions
 * without `leaseMs`, `answers`, `awaiting` and `supersedes`.
 */
const migrations: Record<number, Migration> = {
  0: (document) => ({
    ...document,
    schemaVersion: 1,
    usage: document.usage ?? { llmCalls: 0, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
    processed: document.processed ?? [],
    outcomes: document.outcomes ?? {},
    deferred: document.deferred ?? [],
    pending: document.pending ?? null,
    confirmation: document.confirmation ?? null,
    execution: document.execution ?? null,
  }),
  1: (document) => {
    const execution = document.execution as Record<string, unknown> | null;
    return {
      ...document,
      schemaVersion: 2,
      incarnation: typeof document.incarnation === 'string' ? document.incarnation : `legacy:${String(document.createdAt ?? '')}`,
      // Which ids left the old window is in the event log only: rebuilt from it at the first lookup.
      seen: UNKNOWN_SEEN,
      clarification: null,
      processed: ((document.processed as Record<string, unknown>[]) ?? []).map((entry) => ({ textHash: '', ...entry })),
      execution: execution ? { leaseMs: 30_000, answers: [], awaiting: null, supersedes: null, ...execution } : null,
    };
  },
};

/**
 * Reads a stored document: upgrades older schema versions and checks the shape the engine
 * relies on.
 * @throws {StoreError} `corrupt` for a newer schema version or a document that is not a ticket.
 */
export function readTicket(stored: unknown, ticketId: string): TicketDoc {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw corrupt(ticketId, 'the document is not an object');
  let document = stored as Record<string, unknown>;
  let version = typeof document.schemaVersion === 'number' ? document.schemaVersion : 0;
  if (version > TICKET_SCHEMA_VERSION)
    throw corrupt(ticketId, `schema version ${version} is newer than this engine (${TICKET_SCHEMA_VERSION}); upgrade @ticketflow/core`);
  while (version < TICKET_SCHEMA_VERSION) {
    const migrate = migrations[version];
    if (!migrate) throw corrupt(ticketId, `no upgrade from schema version ${version}`);
    document = migrate(document);
    version = document.schemaVersion as number;
  }
  const ticket = document as unknown as TicketDoc;
  if (
    typeof ticket.id !== 'string' ||
    typeof ticket.turn !== 'number' ||
    typeof ticket.status !== 'string' ||
    typeof ticket.slots !== 'object' ||
    ticket.slots === null ||
    !Array.isArray(ticket.transcript)
  ) {
    throw corrupt(ticketId, 'the document does not have the shape of a ticket');
  }
  return ticket;
}

function corrupt(ticketId: string, reason: string): StoreError {
  return new StoreError({ kind: 'corrupt', adapter: 'core', message: `ticket ${JSON.stringify(ticketId.slice(0, 80))}: ${reason}` });
}

/** The public view of a ticket: no engine bookkeeping, sensitive values only as masks (P1). */
export function toView(ticket: TicketDoc, version: number): TicketView {
  return {
    id: ticket.id,
    version,
    status: ticket.status,
    intent: ticket.intent,
    workflow: ticket.workflow,
    slots: slotsWithoutCiphertexts(ticket.slots),
    deferred: ticket.deferred,
    transcript: ticket.transcript,
    turn: ticket.turn,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    pending: ticket.pending,
    confirmation: ticket.confirmation,
    outcomes: outcomesWithoutCiphertexts(ticket.outcomes),
    execution: executionWithoutCiphertexts(ticket.execution),
    usage: ticket.usage,
  };
}

/** Appends transcript entries, keeping the latest `window` (the full history is in the event log). */
export function appendTranscript(transcript: readonly TranscriptEntry[], entries: readonly TranscriptEntry[], window: number): TranscriptEntry[] {
  const next = transcript.concat(entries);
  return next.length > window ? next.slice(next.length - window) : next;
}
