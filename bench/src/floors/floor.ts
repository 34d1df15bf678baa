import type { CommitRequest } from '@ticketflow/core';

/** One floor turn (iteration `index`): the load and the writes of a real turn, sent directly with the driver. */
export type FloorTurn = (index: number) => Promise<void> | void;

/**
 * Builds a floor turn on its own ticket for captured turns (each a list of commits);
 * iteration `index` replays turn `index % turns.length`, so documents change as in real turns.
 * The ticket is created at the first captured document before the factory returns.
 */
export type FloorFactory = (ticketId: string, turns: readonly (readonly CommitRequest[])[]) => Promise<FloorTurn>;

/**
 * The bytes a floor writes for one commit: `JSON.stringify` of the document and of each
 * event — the text ticketflow's stores write (`encodeCommitRequest`; checked for every
 * captured commit in `turn-shapes.ts`). A floor calls it on every write: serialising is
 * work any implementation does.
 */
export function floorBytes(commit: CommitRequest): { document: string; events: string[] } {
  return { document: JSON.stringify(commit.ticket), events: commit.events.map((event) => JSON.stringify(event)) };
}

/** The commit wrote nothing: the floor's compare-and-set must always win (one writer). */
export function lostFloor(store: string): Error {
  return new Error(`[bench] the ${store} floor lost its compare-and-set: another writer on the floor's ticket`);
}
