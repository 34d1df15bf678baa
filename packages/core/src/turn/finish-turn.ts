import { appendTranscript } from '../document/ticket-document.js';
import { addSeen } from '../document/seen-messages.js';
import { type Draft, record } from '../events/draft.js';
import type { TurnOutcome } from '../execute/execution-drafts.js';
import type { DecisionRecord, ProcessedMessage, TicketDoc } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskText, sensitiveValues } from '../runtime/sensitive-values.js';
import { redactOrWithhold } from '../runtime/redact-or-withhold.js';

/** What a turn answers: a customer message (with its T7 record), or a person's or the sweeper's action. */
export type TurnOrigin = { kind: 'message'; messageId: string | null; decision: DecisionRecord | null; textHash: string } | { kind: 'operator' | 'sweeper' };

/**
 * Finishes a turn: the one writer of the agent's reply in the transcript, the `actedOn` mark
 * of the customer's message (T4), the processed-message record (T7) and `turn.completed` —
 * or, for an approval, a release or a recovery, `reply.sent`. Used by `handle`, `approve`,
 * `reject`, `release` and the sweeper alike. `turn` is the turn the reply answers.
 */
export function finishTurn(runtime: Runtime, draft: Draft, outcome: TurnOutcome, origin: TurnOrigin, turn: number): Draft {
  const { settings } = runtime;
  const reply = maskText(redactOrWithhold(runtime, outcome.reply), sensitiveValues(runtime, draft.ticket));
  const transcript = draft.ticket.transcript.map((entry) =>
    entry.role === 'user' && entry.turn === turn && entry.actedOn !== outcome.actedOn ? { ...entry, actedOn: outcome.actedOn } : entry,
  );
  let ticket: TicketDoc = {
    ...draft.ticket,
    transcript: appendTranscript(transcript, [{ role: 'agent', text: reply, at: draft.at, turn }], settings.transcriptWindow),
  };
  if (origin.kind !== 'message') {
    record(draft, 'reply.sent', { turn, action: outcome.action, reply });
    draft.ticket = ticket;
    return draft;
  }
  if (origin.messageId !== null)
    ticket = remember(
      ticket,
      { messageId: origin.messageId, turn, reply, action: outcome.action, decision: origin.decision, textHash: origin.textHash },
      settings.messageIdWindow,
    );
  record(draft, 'turn.completed', { turn, messageId: origin.messageId, action: outcome.action, reply });
  draft.ticket = ticket;
  return draft;
}

/**
 * The reply as the caller and the hooks see it (P1): the workflow's reply with every clear
 * value of the ticket's `sensitive` slots masked, as in the transcript. Not passed through
 * `redact` (P2 is about what is stored and logged): the customer still reads, say, the phone
 * number of a shop the reply recommends.
 */
export function shownReply(runtime: Runtime, reply: string, ticket: TicketDoc): string {
  return maskText(reply, sensitiveValues(runtime, ticket));
}

/** Records a processed message (T7); results leaving the window go into the `seen` filter. */
function remember(ticket: TicketDoc, entry: ProcessedMessage, window: number): TicketDoc {
  const processed = ticket.processed.filter((known) => known.messageId !== entry.messageId).concat(entry);
  if (processed.length <= window) return { ...ticket, processed };
  const evicted = processed.slice(0, processed.length - window);
  let seen = ticket.seen;
  for (const old of evicted) seen = addSeen(seen, old.messageId);
  return { ...ticket, processed: processed.slice(processed.length - window), seen };
}
