import { callPlaceOfKey } from '../execute/idempotency-key.js';
import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import type { LLMErrorKind } from '../llm/llm-error.js';
import type { Action } from '../model/action.js';
import type { RecordedError } from '../model/ticket.js';

/** A tool call as recorded or replayed: which tool, with which input. */
export interface ToolCallRecord {
  tool: string;
  input: unknown;
}

/** What the recording says one operation did. */
export interface RecordedOperation {
  action: Action | null;
  reply: string | null;
  toolCalls: ToolCallRecord[];
}

/** One operation of a recorded ticket, in order: a customer message or a person's decision. */
export type ScriptStep =
  | {
      kind: 'message';
      turn: number;
      text: string;
      messageId: string | null;
      decision: { intent: string | null; confidence: number; entities: Record<string, unknown>; sealedEntities?: Record<string, string> } | null;
      degraded: LLMErrorKind | null;
      recorded: RecordedOperation;
    }
  | { kind: 'approve' | 'reject' | 'release'; turn: number; by: string; note?: string; recorded: RecordedOperation }
  /** What `agent.recover()` did between turns: an approval or an awaited answer expired. */
  | { kind: 'expire_approval' | 'expire_input'; turn: number; waitedMs: number; recorded: RecordedOperation }
  /** A worker stopped (crashed, or lost its claim) in the middle of an execution; another took it over and rolled it back (E4). */
  | { kind: 'recover'; turn: number; recorded: RecordedOperation };

/** The recorded result of each tool call, by its place `<turn>:<step>` (the last attempt’s outcome). */
export type RecordedOutputs = Map<
  string,
  { tool: string; input: unknown } & ({ ok: true; output: unknown } | { ok: false; error: string; errorDetail?: RecordedError })
>;

/** Every call journaled as started, by its place `<turn>:<step>`: one without an outcome is where its worker stopped. */
export type StartedCalls = Map<string, { tool: string; input: unknown }>;

/** The compensations that failed, by the place `<turn>:<step>` of the call they undid: their error. */
export type FailedCompensations = Map<string, string>;

/**
 * Reads a ticket's event log into the operations to replay, in order, with what each
 * recorded (action, reply, tool calls), every tool call's recorded outcome and the
 * compensations that failed.
 */
export function readScript(events: readonly StoredTicketEvent[]): {
  steps: ScriptStep[];
  outputs: RecordedOutputs;
  failedCompensations: FailedCompensations;
  started: StartedCalls;
} {
  const steps: ScriptStep[] = [];
  const outputs: RecordedOutputs = new Map();
  const failedCompensations: FailedCompensations = new Map();
  const inputs: StartedCalls = new Map();
  const current = () => steps[steps.length - 1];
  for (const event of events) {
    switch (event.type) {
      case 'message.received':
        steps.push(messageStep(event));
        break;
      case 'decision.made': {
        const step = current();
        if (step?.kind === 'message') step.decision = recordedDecision(event);
        break;
      }
      case 'turn.degraded': {
        const step = current();
        if (step?.kind === 'message') step.degraded = event.data.reason;
        break;
      }
      case 'approval.granted':
      case 'approval.rejected':
      case 'ticket.released':
        steps.push(personStep(event, current()?.turn ?? 0));
        break;
      case 'approval.expired':
      case 'input.expired':
        steps.push({
          kind: event.type === 'approval.expired' ? 'expire_approval' : 'expire_input',
          turn: current()?.turn ?? 0,
          waitedMs: event.data.waitedMs,
          recorded: emptyRecord(),
        });
        break;
      case 'execution.recovery_started':
        steps.push({ kind: 'recover', turn: event.data.turn, recorded: emptyRecord() });
        break;
      case 'compensation.failed':
        failedCompensations.set(callPlaceOfKey(event.data.key), event.data.error);
        break;
      default:
        recordOutcome(event, current(), outputs, inputs);
    }
  }
  return { steps, outputs, failedCompensations, started: inputs };
}

/** A customer's message, to replay as recorded. */
function messageStep(event: Extract<StoredTicketEvent, { type: 'message.received' }>): ScriptStep {
  const { turn, text, messageId } = event.data;
  return { kind: 'message', turn, text, messageId, decision: null, degraded: null, recorded: emptyRecord() };
}

/** The decision a message got, as recorded (sealed entities included, for a replay with the key). */
function recordedDecision(event: Extract<StoredTicketEvent, { type: 'decision.made' }>): Extract<ScriptStep, { kind: 'message' }>['decision'] {
  const { intent, confidence, entities, sealedEntities } = event.data;
  return { intent, confidence, entities, ...(sealedEntities ? { sealedEntities } : {}) };
}

function recordOutcome(event: StoredTicketEvent, step: ScriptStep | undefined, outputs: RecordedOutputs, inputs: StartedCalls): void {
  if (event.type === 'step.started') {
    step?.recorded.toolCalls.push({ tool: event.data.tool, input: event.data.input });
    inputs.set(callPlaceOfKey(event.data.key), { tool: event.data.tool, input: event.data.input });
  } else if (event.type === 'step.completed')
    outputs.set(callPlaceOfKey(event.data.key), {
      tool: event.data.tool,
      input: inputs.get(callPlaceOfKey(event.data.key))?.input,
      ok: true,
      output: event.data.output,
    });
  else if (event.type === 'step.failed' && event.data.ran)
    outputs.set(callPlaceOfKey(event.data.key), {
      tool: event.data.tool,
      input: inputs.get(callPlaceOfKey(event.data.key))?.input,
      ok: false,
      error: event.data.error,
      ...(event.data.errorDetail ? { errorDetail: event.data.errorDetail } : {}),
    });
  else if ((event.type === 'turn.completed' || event.type === 'reply.sent') && step && step.recorded.action === null) {
    step.recorded.action = event.data.action;
    step.recorded.reply = event.data.reply;
  }
}

/** A person's decision on the ticket (an approval, a rejection, a release), to replay as recorded. */
function personStep(event: Extract<StoredTicketEvent, { type: 'approval.granted' | 'approval.rejected' | 'ticket.released' }>, turn: number): ScriptStep {
  const kind = event.type === 'approval.granted' ? 'approve' : event.type === 'approval.rejected' ? 'reject' : 'release';
  return { kind, turn, by: event.data.by, ...(event.data.note !== undefined ? { note: event.data.note } : {}), recorded: emptyRecord() };
}

function emptyRecord(): RecordedOperation {
  return { action: null, reply: null, toolCalls: [] };
}
