import { decide, type DecideOutcome } from '../decide/decide.js';
import { buildDecisionPrompt } from '../decide/build-prompt.js';
import { isoNow } from '../execute/execution-deps.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { executeWorkflow } from '../execute/execute-workflow.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import type { LLMAttempt } from '../llm/generate-with-retry.js';
import type { Action } from '../model/action.js';
import type { DecisionRecord, TicketDoc, TicketUsage, TranscriptEntry } from '../model/ticket.js';
import { changeStatus, requiredValues } from '../policy/choose-next-action.js';
import { planTurn } from '../policy/plan-turn.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { Engine } from './engine.js';
import { appendTranscript, rememberProcessed, toView } from './ticket-document.js';
import type { TurnResult } from './turn-result.js';

/** A hook to emit once the turn is committed. */
export type Notification = { name: 'decision' | 'turn.completed' | 'turn.degraded' | 'execution.completed' | 'execution.failed' | 'approval.requested'; payload: unknown };

/** How processing one message ended. */
export type ProcessOutcome = { type: 'conflict' } | { type: 'done'; result: TurnResult; events: TicketEvent[]; notifications: Notification[] };

interface TurnInput {
  ticket: TicketDoc;
  version: number | null;
  message: string;
  messageId: string | null;
}

/**
 * One turn on a loaded (or new) ticket: decide, plan, run the workflow when the plan says
 * so, commit with the turn's events. A lost compare-and-set before any tool ran returns
 * `conflict` (the caller re-runs the turn on fresh state); store failures propagate.
 */
export async function processMessage(engine: Engine, input: TurnInput): Promise<ProcessOutcome> {
  const { options, registry } = engine;
  const started = performance.now();
  const at = isoNow(engine.deps);
  const turn = input.ticket.turn + 1;
  const retried = input.messageId !== null ? input.ticket.transcript.find((entry) => entry.role === 'user' && entry.messageId === input.messageId) : undefined;
  const userEntry: TranscriptEntry = { role: 'user', text: input.message, at, turn, ...(input.messageId !== null ? { messageId: input.messageId } : {}), actedOn: true };
  const events: TicketEvent[] = [{ type: 'message.received', at, data: { turn, messageId: input.messageId, text: input.message, ...(retried ? { retry: true } : {}) } }];
  const base: TicketDoc = {
    ...input.ticket,
    turn,
    updatedAt: at,
    transcript: retried
      ? input.ticket.transcript.map((entry) => (entry === retried ? { ...entry, turn, actedOn: true } : entry))
      : appendTranscript(input.ticket.transcript, [userEntry], options.transcriptWindow),
  };

  if (input.ticket.status === 'awaiting_approval' || input.ticket.status === 'needs_human') {
    const action: Action =
      input.ticket.status === 'awaiting_approval'
        ? { type: 'wait', workflow: input.ticket.execution?.workflow ?? input.ticket.workflow ?? '', reason: 'awaiting_approval' }
        : { type: 'escalate', reason: 'needs_human' };
    const reply = input.ticket.status === 'awaiting_approval' ? options.replies.awaitingApproval : options.replies.withHuman;
    return commitReply(engine, input, markUser(base, turn, false), events, action, reply, null, started, []);
  }

  const prompt = buildDecisionPrompt({ message: input.message, ticket: input.ticket, registry, bounds: { historyEntries: options.promptHistory, entryChars: 300 } });
  const decided = await decide({
    chain: engine.chain,
    prompt,
    jsonSchema: engine.jsonSchema,
    timeoutMs: options.llmTimeoutMs,
    policy: options.llmRetry,
    maxOutputTokens: options.llmMaxOutputTokens,
  });
  for (const attempt of decided.attempts) events.push(attemptEvent(attempt, at));
  const withUsage: TicketDoc = { ...base, usage: addUsage(engine, base.usage, decided) };

  if (!decided.ok) {
    for (const provider of decided.skipped) events.push({ type: 'llm.skipped', at, data: { provider, reason: 'circuit_open' } });
    const reason = decided.error.kind;
    events.push({ type: 'turn.degraded', at, data: { reason, provider: decided.error.provider, message: decided.error.message, attempts: decided.attempts.length } });
    const notifications: Notification[] = [{ name: 'turn.degraded', payload: { ticketId: input.ticket.id, turn, reason, attempts: decided.attempts.length } }];
    return commitReply(engine, input, markUser(withUsage, turn, false), events, { type: 'fallback', reason }, options.replies.fallback, null, started, notifications);
  }

  const decision: DecisionRecord = decided.decision;
  const plan = planTurn(withUsage, decided.decision, { registry, confidenceThreshold: options.confidenceThreshold, turn, at });
  const planned = plan.draft.ticket;
  events.push(...plan.draft.events);
  events.push({
    type: 'decision.made',
    at,
    data: {
      turn,
      intent: decision.intent,
      confidence: decision.confidence,
      entities: decision.entities,
      ticketIntent: planned.intent,
      workflow: planned.workflow,
      nextAction: plan.kind === 'reply' ? plan.action : { type: 'execute', workflow: plan.workflow.name },
      provider: decided.provider,
      model: decided.model,
      latencyMs: decided.latencyMs,
      usage: decided.usage,
      ...(decided.ignoredKeys.length > 0 ? { ignoredKeys: decided.ignoredKeys } : {}),
    },
  });
  const decisionHook = (action: Action): Notification => ({
    name: 'decision',
    payload: { ticketId: input.ticket.id, turn, decision, workflow: planned.workflow, action, provider: decided.provider, model: decided.model, latencyMs: decided.latencyMs, usage: decided.usage },
  });

  if (plan.kind === 'reply') {
    const reply = plan.action.type === 'ask' ? plan.action.question : replyFor(engine, plan.action);
    return commitReply(engine, input, planned, events, plan.action, reply, decision, started, [decisionHook(plan.action)]);
  }

  // Checkpoint + claim (E3, E4): the state with this turn's decision applied. It is staged and
  // lands with the first journal entry (or the result), so always before any tool runs.
  const workflow = plan.workflow;
  const checkpointDraft = { ticket: { ...planned }, events: [] as TicketEvent[] };
  const resumeStatus = planned.status;
  changeStatus(checkpointDraft, { type: 'start_execution' }, at);
  const checkpoint: TicketDoc = {
    ...checkpointDraft.ticket,
    execution: { id: `${input.ticket.id}:${turn}`, workflow: workflow.name, turn, owner: options.instanceId, leaseExpiresAt: options.now() + options.leaseMs, resumeStatus, messageId: input.messageId, steps: [] },
  };
  events.push({ type: 'execution.started', at, data: { workflow: workflow.name, turn, values: requiredValues(planned, workflow), deferred: planned.deferred } }, ...checkpointDraft.events);
  const writer = new TicketWriter(options.store, input.ticket, input.version);
  writer.stage(checkpoint, events);
  const result = await executeWorkflow(engine.deps, writer, workflow, { messageId: input.messageId, decision });
  if (result.type === 'conflict') return { type: 'conflict' };
  let action: Action;
  let reply: string;
  const notifications: Notification[] = [];
  if (result.type === 'finished') {
    action = result.finished.action;
    reply = result.finished.reply;
    notifications.push(
      result.failed
        ? { name: 'execution.failed', payload: { ticketId: input.ticket.id, workflow: workflow.name, error: result.error ?? '', compensated: action.type === 'execute' && action.outcome === 'failed' } }
        : { name: 'execution.completed', payload: { ticketId: input.ticket.id, workflow: workflow.name, outcome: action.type === 'execute' ? action.outcome : action.type } },
    );
  } else if (result.type === 'parked') {
    action = { type: 'execute', workflow: workflow.name, outcome: 'awaiting_approval' };
    reply = options.replies.approvalRequested;
    const pending = writer.ticket.execution?.steps.find((step) => step.state === 'awaiting_approval');
    notifications.push({ name: 'approval.requested', payload: { ticketId: input.ticket.id, workflow: workflow.name, tool: pending?.tool ?? '', input: pending?.input } });
    const at2 = isoNow(engine.deps);
    const parkedTicket: TicketDoc = {
      ...writer.ticket,
      transcript: appendTranscript(writer.ticket.transcript, [{ role: 'agent', text: reply, at: at2, turn }], options.transcriptWindow),
      processed: input.messageId !== null ? rememberProcessed(writer.ticket.processed, { messageId: input.messageId, turn, reply, action, decision }, options.messageIdWindow) : writer.ticket.processed,
    };
    try {
      await writer.commit(parkedTicket, [{ type: 'turn.completed', at: at2, data: { turn, messageId: input.messageId, action, reply } }]);
    } catch (error) {
      if (!(error instanceof ClaimLostError)) throw error;
    }
  } else {
    action = { type: 'execute', workflow: workflow.name, outcome: 'failed', reason: 'claim_lost' };
    reply = options.replies.executionFailed;
  }
  notifications.unshift(decisionHook(action), turnCompleted(input, turn, reply, action, writer, started));
  const ticket = toView(writer.ticket, writer.version ?? 0);
  return { type: 'done', result: { ticketId: input.ticket.id, reply, action, decision, ticket, duplicate: false }, events: writer.committedEvents, notifications };
}

async function commitReply(
  engine: Engine,
  input: TurnInput,
  planned: TicketDoc,
  events: TicketEvent[],
  action: Action,
  reply: string,
  decision: DecisionRecord | null,
  started: number,
  notifications: Notification[],
): Promise<ProcessOutcome> {
  const { options } = engine;
  const at = isoNow(engine.deps);
  const turn = planned.turn;
  const ticket: TicketDoc = {
    ...planned,
    transcript: appendTranscript(planned.transcript, [{ role: 'agent', text: reply, at, turn }], options.transcriptWindow),
    processed: input.messageId !== null ? rememberProcessed(planned.processed, { messageId: input.messageId, turn, reply, action, decision }, options.messageIdWindow) : planned.processed,
  };
  events.push({ type: 'turn.completed', at, data: { turn, messageId: input.messageId, action, reply } });
  const result = await options.store.commit({ ticketId: input.ticket.id, expectedVersion: input.version, ticket, events });
  if (!result.ok) return { type: 'conflict' };
  const view = toView(ticket, result.version);
  notifications.push({
    name: 'turn.completed',
    payload: { ticketId: input.ticket.id, turn, messageId: input.messageId, reply, action, ticket: view, durationMs: Math.round(performance.now() - started) },
  });
  return { type: 'done', result: { ticketId: input.ticket.id, reply, action, decision, ticket: view, duplicate: false }, events, notifications };
}

function turnCompleted(input: TurnInput, turn: number, reply: string, action: Action, writer: TicketWriter, started: number): Notification {
  return {
    name: 'turn.completed',
    payload: { ticketId: input.ticket.id, turn, messageId: input.messageId, reply, action, ticket: toView(writer.ticket, writer.version ?? 0), durationMs: Math.round(performance.now() - started) },
  };
}

/** Marks this turn's user entry as not acted on (T4: kept, not acted on). */
function markUser(ticket: TicketDoc, turn: number, actedOn: boolean): TicketDoc {
  return { ...ticket, transcript: ticket.transcript.map((entry) => (entry.role === 'user' && entry.turn === turn ? { ...entry, actedOn } : entry)) };
}

function replyFor(engine: Engine, action: Action): string {
  const replies = engine.options.replies;
  switch (action.type) {
    case 'acknowledge':
      return replies.acknowledge;
    case 'cancelled':
      return replies.cancelled;
    case 'escalate':
      return replies.escalate;
    default:
      return replies.acknowledge;
  }
}

function attemptEvent(attempt: LLMAttempt, at: string): TicketEvent {
  const { ok, ...data } = attempt;
  return { type: ok ? 'llm.called' : 'llm.failed', at, data: { ...data } };
}

function addUsage(engine: Engine, usage: TicketUsage, decided: DecideOutcome): TicketUsage {
  let cost = 0;
  for (const attempt of decided.attempts) {
    if (!attempt.usage) continue;
    const price = engine.options.llmPrices[attempt.model ?? ''] ?? engine.options.llmPrices[attempt.provider];
    if (price) cost += (attempt.usage.inputTokens * price.inputPerMillionTokens + attempt.usage.outputTokens * price.outputPerMillionTokens) / 1_000_000;
  }
  const calls = decided.attempts.filter((attempt) => attempt.latencyMs > 0 || attempt.ok).length;
  return {
    llmCalls: usage.llmCalls + calls,
    inputTokens: usage.inputTokens + decided.usage.inputTokens,
    outputTokens: usage.outputTokens + decided.usage.outputTokens,
    estimatedCost: Math.round((usage.estimatedCost + cost) * 1e8) / 1e8,
  };
}
