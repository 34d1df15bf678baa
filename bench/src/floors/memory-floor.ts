import { floorBytes, lostFloor, type FloorFactory } from './floor.js';

interface FloorEntry {
  document: string;
  version: number;
  events: string[];
}

/**
 * Memory floor: what any in-memory store must do to keep a ticket safe from its caller —
 * hold it as JSON text. A load is one `JSON.parse` of the stored text (a fresh copy); each
 * write is a version check, `JSON.stringify` of the document and of each event (the same
 * bytes as ticketflow writes) and a `Map.set`. Synchronous: no promise, no validation.
 */
export function memoryFloor(): FloorFactory {
  const tickets = new Map<string, FloorEntry>();
  return async (ticketId, turns) => {
    tickets.set(ticketId, { document: floorBytes(turns[0]![0]!).document, version: 1, events: [] });
    return (index) => {
      const loaded = tickets.get(ticketId)!;
      JSON.parse(loaded.document);
      let version = loaded.version;
      for (const commit of turns[index % turns.length]!) {
        const stored = tickets.get(ticketId)!;
        if (stored.version !== version) throw lostFloor('memory');
        const { document, events } = floorBytes(commit);
        for (const event of events) stored.events.push(event);
        tickets.set(ticketId, { document, version: (version += 1), events: stored.events });
      }
    };
  };
}
