import { addSeen, mayHaveSeen, sameText, storedTextHash, UNKNOWN_SEEN } from '../document/seen-messages.js';
import { newTicket, toView } from '../document/ticket-document.js';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { OperationObserver } from '../events/instrumentation.js';
import type { Action } from '../model/action.js';
import type { DecisionRecord, TicketDoc } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { isoTime } from '../util/iso-time.js';
import { hasOutcomesWithoutCalls, withLegacyCalls } from './legacy-outcome-calls.js';
import { loadSettled } from './load-settled.js';
import type { TurnResult } from './turn-result.js';
import { eventPages } from '../store/event-pages.js';

/** A customer message, validated. `storedText` is the text as stored and logged (redacted, P2). */
export interface MessageInput {
  ticketId: string;
  message: string;
  storedText: string;
  messageId: string | null;
  /** The message's fingerprint (`textHash`) when it has a `messageId`; `''` without one (nothing to de-duplicate). */
  textHash: string;
}

/** How a turn begins: the recorded result of a message seen before (T7), or a settled ticket to work on. */
export type Begun =
  { type: 'duplicate'; result: TurnResult } | { type: 'ready'; loaded: LoadedTicket | null; ticket: TicketDoc } | { type: 'erased'; last: LoadedTicket };

/** What one `handle` remembers across its attempts. */
export interface AttemptMemory {
  /** The ticket as this call last loaded it: if it is gone now, it was erased meanwhile (P3). */
  last: LoadedTicket | null;
}

/**
 * Begins a turn: loads the ticket once no other worker executes it (recovering an abandoned
 * execution first, E4), or starts a new one (T2); answers a `messageId` processed before with
 * its recorded result, however long ago (T7), and refuses it with another text.
 * @throws {InvalidArgumentError} `message_id_reused` for a known `messageId` with another text.
 */
export async function beginTurn(runtime: Runtime, input: MessageInput, memory: AttemptMemory, observer: OperationObserver | undefined): Promise<Begun> {
  const loaded = await loadSettled(runtime, input.ticketId, observer);
  if (memory.last && (!loaded || loaded.ticket.incarnation !== memory.last.ticket.incarnation)) return { type: 'erased', last: memory.last };
  if (!loaded) return { type: 'ready', loaded: null, ticket: newTicket(input.ticketId, isoTime(runtime.settings.now())) };
  memory.last = loaded;
  let ticket = loaded.ticket;
  if (input.messageId !== null) {
    const { recorded, seen } = await findProcessed(runtime, loaded.ticket, input.messageId);
    // A filter rebuilt from the log (an upgraded document's) is committed with this turn.
    if (seen !== undefined) ticket = { ...ticket, seen };
    if (recorded) {
      if (!sameText(recorded.textHash, input.textHash)) {
        throw new InvalidArgumentError({
          argument: 'messageId',
          code: 'message_id_reused',
          message: `${JSON.stringify(input.messageId.slice(0, 80))} was already used for another message on this ticket; use a new messageId for a new message`,
        });
      }
      observer?.event?.('duplicate', { turn: recorded.turn });
      const result: TurnResult = {
        ticketId: input.ticketId,
        reply: recorded.reply,
        action: recorded.action,
        decision: recorded.decision,
        ticket: toView(loaded.ticket, loaded.version),
        duplicate: true,
      };
      return { type: 'duplicate', result };
    }
  }
  // An upgraded document's completed runs get their standing calls back from the log (E2a), once.
  if (hasOutcomesWithoutCalls(ticket)) ticket = await withLegacyCalls(runtime, ticket);
  return { type: 'ready', loaded, ticket };
}

interface RecordedMessage {
  turn: number;
  reply: string;
  action: Action;
  decision: DecisionRecord | null;
  textHash: string;
}

/**
 * The recorded result of `messageId`: from the document's recent window, else (a Bloom hit) from
 * the event log. The log also serves a window entry of an older engine, which kept no text
 * fingerprint (T7 refuses a reused id with another text), and the filter of an upgraded
 * document, unknown until rebuilt from the log (`seen`: the rebuilt filter).
 */
async function findProcessed(runtime: Runtime, ticket: TicketDoc, messageId: string): Promise<{ recorded: RecordedMessage | null; seen?: string }> {
  const recent = ticket.processed.find((entry) => entry.messageId === messageId);
  if (recent && recent.textHash !== '') return { recorded: recent };
  const rebuild = ticket.seen === UNKNOWN_SEEN;
  if (!recent && !rebuild && !mayHaveSeen(ticket.seen, messageId)) return { recorded: null };
  const logged = await findInLog(runtime, ticket.id, messageId, rebuild);
  return { recorded: logged.found ?? recent ?? null, ...(logged.seen !== undefined ? { seen: logged.seen } : {}) };
}

/**
 * Scans the event log for a processed message: rare (only for resends older than the window,
 * and once per upgraded document). With `rebuild`, also collects every messageId the log
 * received into a new filter.
 */
async function findInLog(runtime: Runtime, ticketId: string, messageId: string, rebuild: boolean): Promise<{ found: RecordedMessage | null; seen?: string }> {
  let text: string | null = null;
  let found: RecordedMessage | null = null;
  let seen = rebuild ? '' : undefined;
  const decisions = new Map<number, DecisionRecord>();
  for await (const page of eventPages(runtime.store, ticketId)) {
    for (const event of page) {
      if (event.type === 'message.received' && typeof event.data.messageId === 'string') {
        if (seen !== undefined) seen = addSeen(seen, event.data.messageId);
        // An event of an older engine has no fingerprint: its stored text's serves (the raw part is unknown).
        if (event.data.messageId === messageId) text = event.data.textHash ?? storedTextHash(event.data.text);
      }
      if (event.type === 'decision.made')
        decisions.set(event.data.turn, { intent: event.data.intent, confidence: event.data.confidence, entities: event.data.entities });
      if (event.type === 'turn.completed' && event.data.messageId === messageId && text !== null) {
        found = { turn: event.data.turn, reply: event.data.reply, action: event.data.action, decision: decisions.get(event.data.turn) ?? null, textHash: text };
      }
    }
  }
  return { found, ...(seen !== undefined ? { seen } : {}) };
}
