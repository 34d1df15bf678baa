import { toView } from '../document/ticket-document.js';
import { type Draft, record } from '../events/draft.js';
import type { TicketEvent } from '../events/ticket-event-map.js';
import { maskText, sensitiveValues } from '../runtime/sensitive-values.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import type { TurnOutcome } from '../execute/execution-drafts.js';
import { erasedEnd, type ExecutionEnd } from '../execute/execute-workflow.js';
import type { DecisionRecord, TicketDoc } from '../model/ticket.js';
import { planTurn } from '../policy/plan-turn.js';
import type { Runtime } from '../runtime/runtime.js';
import { StoreError } from '../store/store-error.js';
import { isoTime } from '../util/iso-time.js';
import { backoffDelay, sleep } from '../util/sleep.js';
import { beginTurn, type AttemptMemory, type MessageInput } from './begin-turn.js';
import { decideTurn } from './decide-turn.js';
import { recordDecision } from './record-decision.js';
import { executeTurn } from './execute-turn.js';
import { finishTurn, shownReply, type TurnOrigin } from './finish-turn.js';
import { policyContext } from './policy-context.js';
import { asOperationFailure } from './partly-applied.js';
import type { TurnResult } from './turn-result.js';

/**
 * One customer message, from begin to finish (DESIGN §4):
 * begin (load, recover, de-duplicate) → decide (LLM) → plan (pure) → execute → finish.
 * A lost compare-and-set before any tool ran re-runs the turn on fresh state.
 */
export async function handleMessage(runtime: Runtime, input: MessageInput, observer: OperationObserver | undefined): Promise<TurnResult> {
  const memory: AttemptMemory = { last: null };
  for (let conflicts = 0; ; conflicts += 1) {
    const begun = await beginTurn(runtime, input, memory, observer);
    if (begun.type === 'duplicate') return begun.result;
    if (begun.type === 'erased') return erasedResult(runtime, input, begun.last.ticket, begun.last.version);
    const started = performance.now();
    const writer = new TicketWriter(runtime.store, begun.ticket, begun.loaded?.version ?? null, runtime.settings.elapsed);
    const attempt = await processMessage(runtime, input, begun.ticket, writer, observer).catch((error: unknown) => {
      throw asOperationFailure(error, writer);
    });
    if (attempt.end.type === 'gone')
      return { ...erasedResult(runtime, input, begun.ticket, writer.version ?? 0), action: attempt.end.outcome.action, reply: attempt.end.outcome.reply };
    if (attempt.end.type === 'done') {
      const { outcome } = attempt.end;
      const view = toView(writer.ticket, writer.version ?? 0);
      const reply = shownReply(runtime, outcome.reply, writer.ticket);
      runtime.hooks.notify(input.ticketId, writer.committedEvents, {
        turn: attempt.turn,
        messageId: input.messageId,
        reply,
        action: outcome.action,
        ticket: view,
        durationMs: Math.round(performance.now() - started),
      });
      observer?.committed?.(writer.committedEvents);
      return { ticketId: input.ticketId, reply, action: outcome.action, decision: attempt.decision, ticket: view, duplicate: false };
    }
    observer?.event?.('conflict', { attempt: conflicts + 1 });
    if (conflicts + 1 > runtime.settings.maxConflictRetries) {
      throw new StoreError({
        kind: 'conflict',
        adapter: 'core',
        outcome: 'not_applied',
        message: `ticket stayed contended after ${conflicts + 1} attempts; retry later with the same messageId`,
      });
    }
    await sleep(backoffDelay(Math.min(conflicts + 1, 6), 5, 200));
  }
}

/** One attempt at the turn on a settled ticket. */
async function processMessage(
  runtime: Runtime,
  input: MessageInput,
  before: TicketDoc,
  writer: TicketWriter,
  observer: OperationObserver | undefined,
): Promise<{ end: ExecutionEnd; turn: number; decision: DecisionRecord | null }> {
  const base = openTurn(runtime, input, before);
  const turn = base.ticket.turn;
  const origin = { kind: 'message' as const, messageId: input.messageId, textHash: input.textHash };
  if (before.status === 'awaiting_approval' || before.status === 'needs_human') {
    base.events = maskMessage(runtime, base, base.events, turn);
    const end = await commitOutcome(runtime, writer, base, waitingOutcome(runtime, before), { ...origin, decision: null });
    return { end, turn, decision: null };
  }
  const decided = await decideTurn(runtime, base, before, input.message, observer);
  if (!decided.ok) {
    // Not acted on, but kept: a value the ticket already holds sealed is masked in it all the same (P1).
    base.events = maskMessage(runtime, base, base.events, turn);
    const outcome = { action: { type: 'fallback' as const, reason: decided.error.kind }, reply: runtime.settings.replies.fallback, actedOn: false };
    return { end: await commitOutcome(runtime, writer, base, outcome, { ...origin, decision: null }), turn, decision: null };
  }
  const context = policyContext(runtime, turn, base.at, input.messageId);
  const plan = planTurn(base.ticket, decided.decision, context);
  const decision = recordDecision(runtime, decided, plan, turn);
  plan.draft.events = maskMessage(runtime, plan.draft, base.events, turn).concat(decision.event, plan.draft.events);
  const end = await executeTurn({ runtime, writer, plan, policy: context, origin: { ...origin, decision: decision.record }, turn, observer });
  return { end, turn, decision: decision.record };
}

/** The ticket with this turn opened: its number, the customer's message in the transcript (redacted, P2), `message.received`. */
function openTurn(runtime: Runtime, input: MessageInput, before: TicketDoc): Draft {
  const at = isoTime(runtime.settings.now());
  const turn = before.turn + 1;
  const retried = input.messageId !== null ? before.transcript.find((entry) => entry.role === 'user' && entry.messageId === input.messageId) : undefined;
  const entry = { role: 'user' as const, text: input.storedText, at, turn, ...(input.messageId !== null ? { messageId: input.messageId } : {}), actedOn: true };
  const transcript = retried
    ? before.transcript.map((line) => (line === retried ? { ...line, turn, actedOn: true } : line))
    : before.transcript.concat(entry).slice(-runtime.settings.transcriptWindow);
  const draft: Draft = { ticket: { ...before, turn, updatedAt: at, transcript }, events: [], at };
  record(draft, 'message.received', {
    turn,
    messageId: input.messageId,
    text: input.storedText,
    ...(input.messageId !== null ? { textHash: input.textHash } : {}),
    ...(retried ? { retry: true } : {}),
  });
  return draft;
}

/** A message while the ticket waits on a person: kept, not acted on (no LLM call). */
function waitingOutcome(runtime: Runtime, before: TicketDoc): TurnOutcome {
  const { replies } = runtime.settings;
  if (before.status === 'awaiting_approval')
    return {
      action: { type: 'wait', workflow: before.execution?.workflow ?? before.workflow ?? '', reason: 'awaiting_approval' },
      reply: replies.awaitingApproval,
      actedOn: false,
    };
  return { action: { type: 'escalate', reason: 'needs_human' }, reply: replies.withHuman, actedOn: false };
}

async function commitOutcome(runtime: Runtime, writer: TicketWriter, base: Draft, outcome: TurnOutcome, origin: TurnOrigin): Promise<ExecutionEnd> {
  const draft = finishTurn(runtime, base, outcome, origin, base.ticket.turn);
  try {
    await writer.write(() => draft.ticket, draft.events);
    return { type: 'done', outcome };
  } catch (error) {
    if (error instanceof ClaimLostError) return error.gone ? erasedEnd(runtime) : { type: 'conflict' };
    throw error;
  }
}

/** P3, T2: the ticket vanished while the message was in flight — nothing applied, nothing re-created. */
function erasedResult(runtime: Runtime, input: MessageInput, last: TicketDoc, version: number): TurnResult {
  return {
    ticketId: input.ticketId,
    reply: runtime.settings.replies.erased,
    action: { type: 'erased' },
    decision: null,
    ticket: toView(last, version),
    duplicate: false,
  };
}

/**
 * P1: a sensitive value the customer typed never stays readable in the transcript or in this
 * turn's `message.received` — once a decision named it, every occurrence becomes its mask, in
 * earlier messages of the transcript too (a value typed turns before the model extracted it;
 * the transcript feeds later prompts). An earlier turn's `message.received` is already in the
 * append-only log: `inspect` masks it when read (see `maskedEvents`).
 */
function maskMessage(runtime: Runtime, draft: Draft, events: TicketEvent[], turn: number): TicketEvent[] {
  const secrets = sensitiveValues(runtime, draft.ticket);
  if (secrets.length === 0) return events;
  // Earlier messages were masked with every value known before: only a value learned now can be new in them.
  const learned = draft.events.some(
    (event) => event.type.startsWith('slot.') && runtime.registry.slots.get((event.data as { slot?: string }).slot ?? '')?.sensitive,
  );
  draft.ticket.transcript = draft.ticket.transcript.map((entry) => {
    if (entry.role !== 'user' || (entry.turn !== turn && !learned)) return entry;
    const text = maskText(entry.text, secrets);
    return text === entry.text ? entry : { ...entry, text };
  });
  return events.map((event) => (event.type === 'message.received' ? { ...event, data: { ...event.data, text: maskText(event.data.text, secrets) } } : event));
}
