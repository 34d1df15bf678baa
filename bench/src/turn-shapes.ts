import { MemoryTicketStore, type CommitRequest, type TicketDoc, type TicketStore } from '@ticketflow/core';
import { encodeCommitRequest } from '@ticketflow/core/adapter';
import { benchAgent, benchMessage, type TurnKind } from './bench-domain.js';
import { floorBytes } from './floors/floor.js';

/** What one steady-state turn of a kind sends to its store. */
export interface TurnShape {
  kind: TurnKind;
  loads: number;
  /** The commits of the turn, in order: documents and events as the core sent them. */
  commits: CommitRequest[];
  /**
   * The commits of {@link CAPTURED_TURNS} consecutive turns (the first is `commits`). Floors
   * cycle through them so that each write changes the document as a real turn does:
   * rewriting identical bytes is cheaper (SQLite skips unchanged overflow pages).
   */
  turns: CommitRequest[][];
  /** The committed document after the turn (the steady-state ticket). */
  document: TicketDoc;
}

/** Turns before a ticket is in its steady state (transcript and messageId windows full). */
export const STEADY_STATE_TURNS = 60;
/** Consecutive steady-state turns captured for the floors to cycle through. */
export const CAPTURED_TURNS = 8;

/**
 * Runs a ticket of the given kind to its steady state on a MemoryTicketStore and records
 * what the next turn loads and commits. The floors replay exactly these writes.
 */
export async function captureTurnShape(kind: TurnKind): Promise<TurnShape> {
  const inner = new MemoryTicketStore();
  let recording = false;
  let loads = 0;
  let commits: CommitRequest[] = [];
  const other = (operation: string) => {
    if (recording) throw new Error(`[bench] a steady-state ${kind} turn called store.${operation}: the floors do not model it`);
  };
  const store: TicketStore = {
    load: (ticketId) => {
      if (recording) loads += 1;
      return inner.load(ticketId);
    },
    commit: (request) => {
      if (recording) commits.push(sameBytes(structuredClone(request)));
      return inner.commit(request);
    },
    events: (ticketId, options) => (other('events'), inner.events(ticketId, options)),
    delete: (ticketId) => (other('delete'), inner.delete(ticketId)),
    list: (query) => (other('list'), inner.list(query)),
    purge: (options) => (other('purge'), inner.purge(options)),
    close: () => inner.close(),
  };
  const agent = benchAgent(kind, store);
  for (let index = 0; index < STEADY_STATE_TURNS; index += 1) await agent.handle(benchMessage('shape', index));
  recording = true;
  const turns: CommitRequest[][] = [];
  let document: TicketDoc | null = null;
  for (let turn = 0; turn < CAPTURED_TURNS; turn += 1) {
    commits = [];
    await agent.handle(benchMessage('shape', STEADY_STATE_TURNS + turn));
    turns.push(commits);
    if (turn === 0) {
      recording = false;
      document = (await inner.load('shape'))!.ticket;
      recording = true;
    }
  }
  if (turns.some((commits) => commits.length !== turns[0]!.length)) throw new Error(`[bench] the captured ${kind} turns differ in their number of writes`);
  if (loads !== CAPTURED_TURNS)
    throw new Error(`[bench] a steady-state ${kind} turn loaded its ticket ${loads / CAPTURED_TURNS} times: the floors model one load`);
  return { kind, loads: loads / CAPTURED_TURNS, commits: turns[0]!, turns, document: document! };
}

/**
 * Checks that the floors write byte for byte what ticketflow's stores write for this commit
 * (the document and event texts of `encodeCommitRequest`, which every adapter receives).
 */
function sameBytes(request: CommitRequest): CommitRequest {
  const encoded = encodeCommitRequest('bench', request);
  const floor = floorBytes(request);
  if (
    floor.document !== encoded.document ||
    floor.events.length !== encoded.events.length ||
    floor.events.some((event, index) => event !== encoded.events[index])
  ) {
    throw new Error('[bench] the floors would not write the bytes ticketflow writes for a captured commit');
  }
  return request;
}

/** A copy of a steady-state document for another ticket id (to seed a ticket with one commit). */
export function documentFor(document: TicketDoc, ticketId: string): TicketDoc {
  return { ...structuredClone(document), id: ticketId };
}
