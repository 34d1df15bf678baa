import type { CommitRequest } from '@ticketflow/core';
import type { FloorTurn } from './floor.js';

/**
 * The floor the issue names for the core: a bare `structuredClone` of the same ticket
 * document plus a `Map` write.
 */
export function cloneFloor(documents: readonly CommitRequest['ticket'][]): FloorTurn {
  const map = new Map<string, unknown>();
  return (index) => {
    map.set('floor', structuredClone(documents[index % documents.length]!));
  };
}

/**
 * The same-writes floor in MemoryTicketStore's own terms: a load is a `JSON.parse` of the
 * stored text, each write a `JSON.stringify` of the document and of each event plus a
 * `Map.set` — what the store physically does, without its validation and bookkeeping.
 */
export function memoryStoreFloor(turns: readonly (readonly CommitRequest[])[]): FloorTurn {
  const map = new Map<string, { document: string; events: string[] }>();
  map.set('floor', { document: JSON.stringify(turns[0]![0]!.ticket), events: [] });
  return (index) => {
    JSON.parse(map.get('floor')!.document);
    for (const write of turns[index % turns.length]!) map.set('floor', { document: JSON.stringify(write.ticket), events: write.events.map((event) => JSON.stringify(event)) });
  };
}
