import { readTicket, toView } from '../document/ticket-document.js';
import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import { maskJson, sensitiveValues } from '../runtime/sensitive-values.js';
import type { Runtime } from '../runtime/runtime.js';
import type { TicketInspection } from '../turn/turn-result.js';

/**
 * A ticket and its whole event log, for `agent.inspect`. P1: every event is shown with the
 * ticket's sensitive values masked — also a message that held one before any decision named
 * it, whose `message.received` the append-only log keeps as it was written.
 */
export async function inspectTicket(runtime: Runtime, ticketId: string): Promise<TicketInspection> {
  const { store } = runtime;
  const loaded = await store.load(ticketId);
  const events: StoredTicketEvent[] = [];
  for (let after = 0; ;) {
    const page = (await store.events(ticketId, { after, limit: 1_000 })) as StoredTicketEvent[];
    events.push(...page);
    if (page.length < 1_000) break;
    after = page[page.length - 1]!.seq;
  }
  if (!loaded) return { ticket: null, events };
  const ticket = readTicket(loaded.ticket, ticketId);
  const secrets = sensitiveValues(runtime, ticket);
  const shown =
    secrets.length === 0 ? events : events.map((event) => ('data' in event ? ({ ...event, data: maskJson(event.data, secrets) } as StoredTicketEvent) : event));
  return { ticket: toView(ticket, loaded.version), events: shown };
}
