import type { CommitRequest } from '@ticketflow/core';

/** One floor turn (iteration `index`): the load and the writes of a real turn, sent directly with the driver. */
export type FloorTurn = (index: number) => Promise<void> | void;

/**
 * Builds a floor turn on its own ticket for captured turns (each a list of commits);
 * iteration `index` replays turn `index % turns.length`, so documents change as in real turns.
 */
export type FloorFactory = (ticketId: string, turns: readonly (readonly CommitRequest[])[]) => Promise<FloorTurn>;

/** The commit writes nothing: the floor's compare-and-set must always win (one writer). */
export function lostFloor(store: string): Error {
  return new Error(`[bench] the ${store} floor lost its compare-and-set: another writer on the floor's ticket`);
}
