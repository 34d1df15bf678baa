import { readTicket, toView } from '../document/ticket-document.js';
import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import { maskJson, sensitiveValues } from '../runtime/sensitive-values.js';
import type { Runtime } from '../runtime/runtime.js';
import type { EventsQuery } from '../store/ticket-store.js';
import type { TicketInspection } from '../turn/turn-result.js';
import { withPlainSensitiveSealed } from '../turn/seal-plain-sensitive.js';

/**
 * A ticket and its event log (or the part of it `range` asks for), for `agent.inspect`. P1: every event is shown with the
 * ticket's sensitive values masked — also a message that held one before any decision named
 * it, whose `message.received` the append-only log keeps as it was written.
 */
export async function inspectTicket(runtime: Runtime, ticketId: string, range: EventsQuery = {}): Promise<TicketInspection> {
  const { store } = runtime;
  const loaded = await store.load(ticketId);
  const events: StoredTicketEvent[] = [];
  // At most `limit` events (one page up to 1,000); else the whole log after `after`, in pages of 1,000.
  for (let after = range.after ?? 0; ;) {
    const wanted = range.limit === undefined ? 1_000 : Math.min(1_000, range.limit - events.length);
    const page = (await store.events(ticketId, { after, limit: wanted })) as StoredTicketEvent[];
    events.push(...page);
    if (page.length < wanted || events.length === range.limit) break;
    after = page[page.length - 1]!.seq;
  }
  if (!loaded) return { ticket: null, events: events.map(withoutSealedEntities) };
  const ticket = withPlainSensitiveSealed(runtime, readTicket(loaded.ticket, ticketId));
  const secrets = sensitiveValues(runtime, ticket);
  const shown =
    secrets.length === 0 ? events : events.map((event) => ('data' in event ? ({ ...event, data: maskJson(event.data, secrets) } as StoredTicketEvent) : event));
  return { ticket: toView(ticket, loaded.version), events: shown.map(withoutSealedEntities) };
}

/** P1: `decision.made` keeps the sealed entities for replay (`replayTicket` reads the store); a reader sees the masks only. */
function withoutSealedEntities(event: StoredTicketEvent): StoredTicketEvent {
  if (event.type !== 'decision.made' || event.data.sealedEntities === undefined) return event;
  const { sealedEntities: _sealed, ...data } = event.data;
  return { ...event, data };
}
