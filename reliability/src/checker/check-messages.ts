import type { AcknowledgedMessage, TicketHistory, Violation } from './history.js';
import type { LifeEnds, MessageLife } from './life-ends.js';

/** Result of {@link checkMessages}. */
export interface MessageFindings {
  violations: Violation[];
  lost: number;
  duplicated: number;
  /** Tickets where something of an erased life, or a refused text, is in the store. */
  erasureBroken: Set<string>;
  /** `message.received` events that re-used the entry of an earlier attempt. */
  retried: number;
  /** Acknowledged messages in flight while a life of their ticket ended. */
  erasable: number;
}

/** What {@link checkMessages} reads. */
export interface MessageInput {
  tickets: readonly TicketHistory[];
  acknowledged: readonly AcknowledgedMessage[];
  lives: LifeEnds;
  erasedAnswers: readonly AcknowledgedMessage[];
  refusedTexts: readonly string[];
}

/**
 * Rules `acknowledged-once` and `erasure-respected`. The full transcript is the event log (the
 * document keeps only a window): a message is *in* it as a `message.received` event with its
 * `messageId` and no `retry` flag (a retried attempt after a crash re-uses that entry and is
 * flagged `retry`). Every acknowledged message of the current life must be there exactly once
 * (0: lost, 2+: duplicated) — T7 without a window: resends of old `messageId`s are in the
 * acknowledgements too; no `messageId` at all may be there twice, complete twice
 * (`turn.completed`), or have two entries in the document's transcript window; and a retry must
 * follow an entry of the same message.
 *
 * `erasure-respected` (P3, T7): a message acknowledged before its ticket's life ended is not
 * in the current life (no commit across lives), one whose `handle` answered that the ticket
 * was erased meanwhile is nowhere, and no text the system refused (a reused `messageId` with
 * another text) is in any event or transcript. Messages in flight while a life ended may be
 * there once, or not at all.
 */
export function checkMessages(input: MessageInput): MessageFindings {
  const findings: MessageFindings = { violations: [], lost: 0, duplicated: 0, erasureBroken: new Set(), retried: 0, erasable: 0 };
  const byTicket = new Map(input.tickets.map((ticket) => [ticket.ticketId, ticket]));
  const duplicatedIds = new Set<string>();
  const fail = (ticketId: string, detail: string, unit?: string, count?: 'lost') =>
    findings.violations.push({ rule: 'acknowledged-once', ticketId, detail, ...(unit ? { unit } : {}), ...(count ? { count } : {}) });
  const erasureBroken = (ticketId: string, detail: string) => {
    findings.erasureBroken.add(ticketId);
    findings.violations.push({ rule: 'erasure-respected', ticketId, detail });
  };

  const received = new Map<string, Map<string, number>>();
  for (const ticket of input.tickets) {
    received.set(
      ticket.ticketId,
      countReceived(ticket, findings, fail, (messageId) => duplicatedIds.add(`${ticket.ticketId}\u0000${messageId}`)),
    );
    for (const text of input.refusedTexts) {
      if (ticket.events.some((event) => typeof event.data?.text === 'string' && event.data.text.includes(text)))
        erasureBroken(ticket.ticketId, `a refused text (${JSON.stringify(text)}) is in the event log`);
    }
  }

  // A message id may be acknowledged more than once (a resend after an erasure starts the new
  // life with it): the latest life any of its acknowledgments belongs to decides.
  const lifeOfId = new Map<string, MessageLife>();
  for (const message of input.acknowledged) {
    const id = `${message.ticketId}\u0000${message.messageId}`;
    lifeOfId.set(id, latestLife(lifeOfId.get(id), input.lives.lifeOf(message)));
  }
  const seen = new Set<string>();
  for (const message of input.acknowledged) {
    const { ticketId, messageId } = message;
    const id = `${ticketId}\u0000${messageId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const count = received.get(ticketId)?.get(messageId) ?? 0;
    const life = lifeOfId.get(id)!;
    if (life === 'erased') {
      if (count > 0)
        erasureBroken(ticketId, `message ${messageId}, acknowledged before the ticket's life ended, is in the current life (a commit across lives)`);
      continue;
    }
    if (life === 'either') {
      findings.erasable += 1;
      continue;
    }
    if (!byTicket.get(ticketId)?.document) fail(ticketId, `acknowledged message ${messageId} belongs to a ticket the store does not have`, id, 'lost');
    else if (count === 0) fail(ticketId, `acknowledged message ${messageId} is not in the transcript (lost)`, id, 'lost');
    if (count === 0) findings.lost += 1;
  }
  for (const { ticketId, messageId } of input.erasedAnswers) {
    if ((received.get(ticketId)?.get(messageId) ?? 0) > 0)
      erasureBroken(ticketId, `message ${messageId} was answered "erased" but is in the store (the erased ticket was re-created)`);
  }
  findings.duplicated = duplicatedIds.size;
  return findings;
}

function latestLife(known: MessageLife | undefined, next: MessageLife): MessageLife {
  const order: readonly MessageLife[] = ['erased', 'either', 'current'];
  return known === undefined || order.indexOf(next) > order.indexOf(known) ? next : known;
}

/** How often each `messageId` was received (retries aside), failing the per-ticket duplicates. */
function countReceived(
  ticket: TicketHistory,
  findings: MessageFindings,
  fail: (ticketId: string, detail: string, unit?: string) => void,
  duplicated: (messageId: string) => void,
): Map<string, number> {
  const counts = new Map<string, number>();
  const completed = new Map<string, number>();
  for (const event of ticket.events) {
    const messageId = event.data?.messageId;
    if (typeof messageId !== 'string') continue;
    if (event.type === 'message.received') {
      if (event.data?.retry === true) {
        findings.retried += 1;
        if (!counts.has(messageId))
          fail(ticket.ticketId, `seq ${event.seq}: a retry of message ${messageId}, which was never received`, `${ticket.ticketId}\u0000${messageId}`);
      } else counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
    } else if (event.type === 'turn.completed') completed.set(messageId, (completed.get(messageId) ?? 0) + 1);
  }
  const duplicate = (messageId: string, detail: string) => {
    fail(ticket.ticketId, `message ${messageId} ${detail}`, `${ticket.ticketId}\u0000${messageId}`);
    duplicated(messageId);
  };
  for (const [messageId, count] of counts) if (count > 1) duplicate(messageId, `was received ${count} times`);
  for (const [messageId, count] of completed) if (count > 1) duplicate(messageId, `completed ${count} turns`);
  for (const [messageId, count] of transcriptCounts(ticket.document)) if (count > 1) duplicate(messageId, `has ${count} entries in the transcript`);
  return counts;
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
