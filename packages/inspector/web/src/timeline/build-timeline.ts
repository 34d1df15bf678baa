import type { StoredEvent } from '../api/types.js';

/** What a group of the timeline is: a customer turn, an operator's decision, a recovery, the sweeper. */
export type GroupKind = 'turn' | 'operator' | 'recovery' | 'system';

/** Events that open a new group, and which kind. Everything else belongs to the open group. */
const GROUP_STARTS: Record<string, GroupKind> = {
  'message.received': 'turn',
  'approval.granted': 'operator',
  'approval.rejected': 'operator',
  'ticket.released': 'operator',
  'execution.recovery_started': 'recovery',
  'approval.expired': 'system',
  'input.expired': 'system',
};

/** The run of a tool step (write-ahead journal events), gathered into one card by its key. */
export const STEP_RUN_EVENTS: ReadonlySet<string> = new Set(['approval.requested', 'step.started', 'step.retried', 'step.completed', 'step.failed']);
/** What undoing a step records; shown next to the step and in the group where it happened. */
export const UNDO_EVENTS: ReadonlySet<string> = new Set(['step.compensated', 'step.not_compensable', 'compensation.failed']);

/** One tool step of an execution, from all of its events. */
export interface StepRecord {
  key: string;
  index: number | null;
  tool: string;
  workflow: string | null;
  input: unknown;
  output: unknown;
  attempts: number | null;
  startedAt: string | null;
  endedAt: string | null;
  /** As the engine measured it (`durationMs`), else from the events' times. */
  durationMs: number | null;
  outcome: 'running' | 'completed' | 'failed' | 'awaiting_approval';
  error: unknown;
  /** For a failed step: false when the tool never ran (e.g. its input was refused). */
  ran: boolean | null;
  /** The index of the step this one re-runs (a replayed journal), if any. */
  replaces: number | null;
  retries: { attempt: unknown; error: unknown; at: string }[];
  approval: { requestedAt: string; verdict: 'granted' | 'rejected' | 'expired' | null; by: string | null; note: string | null; at: string | null } | null;
  undo: {
    outcome: 'compensated' | 'not_compensable' | 'failed';
    at: string;
    attempts: unknown;
    error: unknown;
    outcomeKnown: unknown;
    reason: string | null;
    durationMs: number | null;
    group: number;
  } | null;
  /** The group whose card shows it (where its first event is). */
  group: number;
}

/** One line of a group. */
export type TimelineItem =
  | { kind: 'event'; event: StoredEvent }
  | { kind: 'step'; key: string; event: StoredEvent }
  | { kind: 'step-ref'; key: string; event: StoredEvent }
  | { kind: 'undo'; events: StoredEvent[] };

/** A customer turn (from its message to its reply), or what happened between turns. */
export interface TimelineGroup {
  index: number;
  kind: GroupKind;
  turn: number | null;
  at: string;
  opener: StoredEvent | null;
  items: TimelineItem[];
  degraded: boolean;
}

/** The whole life of a ticket, ready to render. */
export interface Timeline {
  groups: TimelineGroup[];
  steps: Map<string, StepRecord>;
}

const numberOr = (value: unknown, fallback: number | null) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const stringOr = (value: unknown, fallback: string | null) => (typeof value === 'string' ? value : fallback);

/**
 * Groups a ticket's events (in `seq` order) into turns and operator episodes; gathers each
 * tool step's journal into one record (input, output, attempts, duration, outcome, approval,
 * undo) keyed by its idempotency key; and merges each run of compensations into one "undo"
 * item, so that a reader sees the steps, then what was undone and in which order. No event
 * is dropped: every one is an item, part of a step card, or part of an undo item.
 */
export function buildTimeline(events: readonly StoredEvent[]): Timeline {
  const groups: TimelineGroup[] = [];
  const steps = new Map<string, StepRecord>();
  let current: TimelineGroup | null = null;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    const data = event.data ?? {};
    const starts = GROUP_STARTS[event.type];
    if (starts || !current) {
      current = {
        index: groups.length,
        kind: starts ?? 'system',
        turn: starts === 'turn' ? numberOr(data.turn, null) : null,
        at: event.at,
        opener: starts ? event : null,
        items: [],
        degraded: false,
      };
      groups.push(current);
    }
    if (event.type === 'turn.degraded') current.degraded = true;
    placeEvent(current, event, steps);
  }
  return { groups, steps };
}

function placeEvent(group: TimelineGroup, event: StoredEvent, steps: Map<string, StepRecord>): void {
  const data = event.data ?? {};
  const key = stringOr(data.key, null);
  if (key && STEP_RUN_EVENTS.has(event.type)) {
    const known = steps.get(key);
    const step = known ?? newStep(key, data, group.index);
    if (!known) steps.set(key, step);
    applyRunEvent(step, event);
    const alreadyShown = group.items.some((item) => (item.kind === 'step' || item.kind === 'step-ref') && item.key === key);
    if (!alreadyShown) group.items.push(step.group === group.index ? { kind: 'step', key, event } : { kind: 'step-ref', key, event });
    return;
  }
  if (key && UNDO_EVENTS.has(event.type)) {
    const step = steps.get(key) ?? newStep(key, data, group.index);
    if (!steps.has(key)) steps.set(key, step);
    step.undo = {
      outcome: event.type === 'step.compensated' ? 'compensated' : event.type === 'step.not_compensable' ? 'not_compensable' : 'failed',
      at: event.at,
      attempts: data.attempts,
      error: data.error,
      outcomeKnown: data.outcomeKnown,
      reason: stringOr(data.reason, null),
      durationMs: numberOr(data.durationMs, null),
      group: group.index,
    };
    const last = group.items[group.items.length - 1];
    if (last?.kind === 'undo') last.events.push(event);
    else group.items.push({ kind: 'undo', events: [event] });
    return;
  }
  if (key && (event.type === 'approval.granted' || event.type === 'approval.rejected' || event.type === 'approval.expired')) {
    const step = steps.get(key);
    if (step?.approval) {
      const verdict = event.type === 'approval.granted' ? 'granted' : event.type === 'approval.rejected' ? 'rejected' : 'expired';
      step.approval = { ...step.approval, verdict, by: stringOr(data.by, null), note: stringOr(data.note, null), at: event.at };
    }
  }
  group.items.push({ kind: 'event', event });
}

function newStep(key: string, data: Record<string, unknown>, group: number): StepRecord {
  return {
    key,
    index: numberOr(data.step, null),
    tool: stringOr(data.tool, '?')!,
    workflow: stringOr(data.workflow, null),
    input: data.input,
    output: undefined,
    attempts: null,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    outcome: 'running',
    error: undefined,
    ran: null,
    replaces: null,
    retries: [],
    approval: null,
    undo: null,
    group,
  };
}

function applyRunEvent(step: StepRecord, event: StoredEvent): void {
  const data = event.data ?? {};
  if (data.input !== undefined) step.input = data.input;
  switch (event.type) {
    case 'approval.requested':
      step.outcome = 'awaiting_approval';
      step.workflow = stringOr(data.workflow, step.workflow);
      step.approval = { requestedAt: event.at, verdict: null, by: null, note: null, at: null };
      break;
    case 'step.started':
      step.outcome = 'running';
      step.startedAt = event.at;
      step.replaces = numberOr(data.replaces, step.replaces);
      break;
    case 'step.retried':
      step.retries.push({ attempt: data.attempt, error: data.error, at: event.at });
      break;
    case 'step.completed':
      step.outcome = 'completed';
      step.output = data.output;
      step.attempts = numberOr(data.attempts, step.attempts);
      step.endedAt = event.at;
      step.durationMs = numberOr(data.durationMs, null);
      break;
    case 'step.failed':
      step.outcome = 'failed';
      step.error = data.error;
      step.attempts = numberOr(data.attempts, step.attempts);
      step.endedAt = event.at;
      step.durationMs = numberOr(data.durationMs, null);
      step.ran = typeof data.ran === 'boolean' ? data.ran : null;
      break;
  }
}
