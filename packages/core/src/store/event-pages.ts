import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import type { TicketStore } from './ticket-store.js';

/** Events read per call when a whole log is walked. */
const PAGE = 1_000;

/** A ticket's whole event log, page by page in `seq` order (for the rare walks of the log: resends, upgrades, replay). */
export async function* eventPages(store: Pick<TicketStore, 'events'>, ticketId: string): AsyncGenerator<StoredTicketEvent[]> {
  for (let after = 0; ;) {
    const page = (await store.events(ticketId, { after, limit: PAGE })) as StoredTicketEvent[];
    yield page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.seq;
  }
}
