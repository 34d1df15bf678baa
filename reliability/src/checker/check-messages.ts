import type { AcknowledgedMessage, TicketHistory, Violation } from './history.js';

/** Result of {@link checkMessages}. */
export interface MessageFindings {
  violations: Violation[];
  lost: number;
  duplicated: number;
  /** `message.received` events that re-used the entry of an earlier attempt. */
  retried: number;
}

/**
 * Rule `acknowledged-once`. The full transcript is the event log (the document keeps only
 * a window): a message is *in* it as a `message.received` event with its `messageId`
 * and no `retry` flag (a retried attempt after a crash re-uses that entry and is flagged
 * `retry`). Every acknowledged message must be there exactly once (0: lost, 2+:
 * duplicated); no `messageId` at all may be there twice, complete twice
 * (`turn.completed`), or have two entries in the document's transcript window; and a
 * retry must follow an entry of the same message.
 */
export function checkMessages(tickets: readonly TicketHistory[], acknowledged: readonly AcknowledgedMessage[]): MessageFindings {
  const findings: MessageFindings = { violations: [], lost: 0, duplicated: 0, retried: 0 };
  const byTicket = new Map(tickets.map((ticket) => [ticket.ticketId, ticket]));
  const duplicatedIds = new Set<string>();
  const fail = (ticketId: string, detail: string) => findings.violations.push({ rule: 'acknowledged-once', ticketId, detail });

  const received = new Map<string, Map<string, number>>();
  for (const ticket of tickets) {
    const counts = new Map<string, number>();
    received.set(ticket.ticketId, counts);
    const completed = new Map<string, number>();
    for (const event of ticket.events) {
      const messageId = event.data?.messageId;
      if (typeof messageId !== 'string') continue;
      if (event.type === 'message.received') {
        if (event.data?.retry === true) {
          findings.retried += 1;
          if (!counts.has(messageId)) fail(ticket.ticketId, `seq ${event.seq}: a retry of message ${messageId}, which was never received`);
        } else counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
      } else if (event.type === 'turn.completed') completed.set(messageId, (completed.get(messageId) ?? 0) + 1);
    }
    const duplicate = (messageId: string, detail: string) => {
      fail(ticket.ticketId, `message ${messageId} ${detail}`);
      duplicatedIds.add(`${ticket.ticketId}\u0000${messageId}`);
    };
    for (const [messageId, count] of counts) if (count > 1) duplicate(messageId, `was received ${count} times`);
    for (const [messageId, count] of completed) if (count > 1) duplicate(messageId, `completed ${count} turns`);
    for (const [messageId, count] of transcriptCounts(ticket.document)) if (count > 1) duplicate(messageId, `has ${count} entries in the transcript`);
  }

  const seen = new Set<string>();
  for (const { ticketId, messageId } of acknowledged) {
    const id = `${ticketId}\u0000${messageId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const ticket = byTicket.get(ticketId);
    const count = received.get(ticketId)?.get(messageId) ?? 0;
    if (!ticket) fail(ticketId, `acknowledged message ${messageId} belongs to a ticket the store does not have`);
    else if (count === 0) fail(ticketId, `acknowledged message ${messageId} is not in the transcript (lost)`);
    if (count === 0) findings.lost += 1;
  }
  findings.duplicated = duplicatedIds.size;
  return findings;
}

function transcriptCounts(document: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  const transcript = (document as { transcript?: unknown } | null)?.transcript;
  if (!Array.isArray(transcript)) return counts;
  for (const entry of transcript as { role?: unknown; messageId?: unknown }[]) {
    if (entry?.role === 'user' && typeof entry.messageId === 'string') counts.set(entry.messageId, (counts.get(entry.messageId) ?? 0) + 1);
  }
  return counts;
}
