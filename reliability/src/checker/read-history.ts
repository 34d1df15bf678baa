import type { TicketStore } from '@ticketflow/core';
import type { LoggedEvent, TicketHistory } from './history.js';

const PAGE = 1_000;

/** Reads each ticket's raw document, version and whole event log from a store. */
export async function readTicketHistories(store: TicketStore, ticketIds: readonly string[]): Promise<TicketHistory[]> {
  const histories: TicketHistory[] = [];
  for (const ticketId of ticketIds) {
    try {
      const loaded = await store.load(ticketId);
      const events: LoggedEvent[] = [];
      for (let after = 0; ;) {
        const page = (await store.events(ticketId, { after, limit: PAGE })) as unknown as LoggedEvent[];
        events.push(...page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      histories.push({ ticketId, document: loaded?.ticket ?? null, version: loaded?.version ?? null, events });
    } catch (error) {
      histories.push({ ticketId, document: null, version: null, loadError: error instanceof Error ? error.message : String(error), events: [] });
    }
  }
  return histories;
}
