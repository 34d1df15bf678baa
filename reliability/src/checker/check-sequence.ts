import type { LoggedEvent, TicketHistory, Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/** How an execution ended in the event log (`open`: it has not — running, or parked). */
export type ExecutionEnd = 'completed' | 'failed' | 'recovered' | 'open';

/** What an open execution is doing: running under a lease, or parked without one. */
export type ExecutionState = 'running' | 'awaiting_approval' | 'awaiting_input';

/** One execution as the event log tells it. */
export interface LoggedExecution {
  ticketId: string;
  turn: number;
  workflow: string;
  end: ExecutionEnd;
  /** Its state while open (the last one once it ended). */
  state: ExecutionState;
  /** Keys journaled as started, in order. */
  keys: string[];
  /** Set by `execution.abandoned` (E6): the policy the procedure was left with. */
  abandoned: 'keep' | 'compensate' | null;
  /** Set by a later `execution.superseded` naming its turn (E2a): its effects are undone. */
  superseded: boolean;
  /** Journaled failures (`step.failed`) — a caught one lets the execution go on. */
  failedSteps: number;
  suspensions: number;
}

/** What the walk over one ticket's log learned, for the other rules. */
export interface SequenceFindings {
  violations: Violation[];
  executions: LoggedExecution[];
  /** The execution each journaled key belongs to. */
  executionOfKey: Map<string, LoggedExecution>;
  /** How many `step.started` events name each key. */
  startedCount: Map<string, number>;
  /** Keys with a `step.compensated` / `step.not_compensable` / `step.completed` / `step.failed` event. */
  compensatedKeys: Set<string>;
  notCompensableKeys: Set<string>;
  completedKeys: Set<string>;
  failedKeys: Set<string>;
  /** The execution still open at the end of the log, if any. */
  open: LoggedExecution | null;
  /** `message.received` events. */
  turns: number;
}

/**
 * Event types of which no two are ever written by one commit of the current core: the result
 * of a turn (`turn.completed`) or of an operator's, a recovery's or the sweeper's work
 * (`reply.sent`), each write-ahead journal entry (`step.started`, `step.retried`) and a
 * recovery's claim (`execution.recovery_started`). A ticket's version (its number of commits)
 * is therefore at least their count. It may be more: the claim heartbeat renews a lease with a
 * commit that may carry no event, and a staged checkpoint, an approval's or a resumption's
 * claim ride on the next write.
 */
export const COMMIT_MARKERS: ReadonlySet<string> = new Set(['turn.completed', 'reply.sent', 'step.started', 'step.retried', 'execution.recovery_started']);

const ENDS: Readonly<Record<string, ExecutionEnd>> = { 'execution.completed': 'completed', 'execution.failed': 'failed', 'execution.recovered': 'recovered' };

/** Parks and un-parks: event type → [state it requires, state it leads to]. */
const TRANSITIONS: Readonly<Record<string, readonly [ExecutionState, ExecutionState]>> = {
  'approval.requested': ['running', 'awaiting_approval'],
  'approval.granted': ['awaiting_approval', 'running'],
  'approval.rejected': ['awaiting_approval', 'running'],
  'approval.expired': ['awaiting_approval', 'running'],
  'execution.suspended': ['running', 'awaiting_input'],
  'execution.resumed': ['awaiting_input', 'running'],
  'input.expired': ['awaiting_input', 'running'],
};

/** The document fields the walk compares with the log. */
export interface SequenceDocument {
  turn?: unknown;
  status?: unknown;
  execution?: { turn?: unknown; awaiting?: unknown } | null;
}

/**
 * Rule `sequence-agrees` for one ticket: `seq` runs 1..n without gap; the version is at least
 * the number of commits the log proves ({@link COMMIT_MARKERS}); `message.received` turns run
 * 1, 2, … up to the document's `turn`; each turn completes at most once and never before it
 * started; executions never interleave (T6): each `execution.started` belongs to the turn just
 * received and ends with exactly one of completed / failed / recovered before the next one
 * starts; no turn runs inside a *running* execution (a parked one — waiting for an approval or
 * for the customer's answer, E6 — lets turns through); parks and resumptions come in order
 * (`approval.requested` → granted / rejected / expired; `execution.suspended` → resumed /
 * `input.expired` / an end; a parked execution claimed again — `status.changed` to
 * `executing`, e.g. to be abandoned — runs under a lease and may be recovered); `execution.abandoned` follows the failure of the procedure it
 * names; `execution.superseded` names a completed earlier run; every journaled key belongs to
 * its execution's turn; an execution left open is exactly the document's, in the same state.
 */
export function checkSequence(history: TicketHistory, document: SequenceDocument | null): SequenceFindings {
  const walk = new SequenceWalk(history.ticketId);
  const { events } = history;
  events.forEach((event, index) => {
    if (event.seq !== index + 1) walk.fail(`event #${index + 1} has seq ${event.seq}: the sequence is not 1..n without gaps`);
  });
  const markers = events.filter((event) => COMMIT_MARKERS.has(event.type)).length;
  if (history.version !== null && history.version < markers) walk.fail(`version ${history.version} is below the ${markers} commits the log proves`);
  for (const event of events) walk.step(event);
  walk.compareWithDocument(document);
  return walk.findings;
}

class SequenceWalk {
  readonly findings: SequenceFindings;
  private lastTurn = 0;
  private readonly completedTurns = new Set<number>();
  private lastEnded: LoggedExecution | null = null;

  constructor(private readonly ticketId: string) {
    this.findings = {
      violations: [],
      executions: [],
      executionOfKey: new Map(),
      startedCount: new Map(),
      compensatedKeys: new Set(),
      notCompensableKeys: new Set(),
      completedKeys: new Set(),
      failedKeys: new Set(),
      open: null,
      turns: 0,
    };
  }

  fail(detail: string): void {
    this.findings.violations.push({ rule: 'sequence-agrees', ticketId: this.ticketId, detail });
  }

  step(event: LoggedEvent): void {
    const data = event.data ?? {};
    const at = `seq ${event.seq} ${event.type}`;
    const open = this.findings.open;
    const transition = TRANSITIONS[event.type];
    if (transition) return this.transition(at, transition);
    const end = ENDS[event.type];
    if (end) return this.end(at, end);
    switch (event.type) {
      case 'message.received':
        return this.received(at, data);
      case 'execution.started':
        return this.started(at, data);
      case 'step.started':
        return this.journaled(at, String(data.key));
      case 'step.retried':
      case 'execution.recovery_started':
        if (open?.state !== 'running') this.fail(`${at}: outside a running execution (${open ? open.state : `none open; it names turn ${String(data.turn)}`})`);
        return;
      case 'execution.superseded':
        return this.superseded(at, data);
      case 'execution.abandoned':
        return this.abandoned(at, data);
      case 'step.failed':
        this.findings.failedKeys.add(String(data.key));
        if (open) open.failedSteps += 1;
        return;
      case 'step.completed':
        this.findings.completedKeys.add(String(data.key));
        return;
      case 'step.compensated':
        this.findings.compensatedKeys.add(String(data.key));
        return;
      case 'step.not_compensable':
        this.findings.notCompensableKeys.add(String(data.key));
        return;
      case 'turn.completed':
        return this.turnCompleted(at, Number(data.turn));
      case 'status.changed':
        // A parked execution claimed again (to be resumed, abandoned, expired or decided) runs under a lease.
        if (data.to === 'executing' && open && open.state !== 'running') open.state = 'running';
        return;
    }
  }

  private received(at: string, data: Record<string, unknown>): void {
    if (data.turn !== this.lastTurn + 1) this.fail(`${at}: turn ${String(data.turn)} follows turn ${this.lastTurn}`);
    this.lastTurn = typeof data.turn === 'number' ? data.turn : this.lastTurn + 1;
    this.findings.turns += 1;
    const open = this.findings.open;
    if (open?.state === 'running') this.fail(`${at}: a turn ran inside the running execution of turn ${open.turn} (T6)`);
  }

  private started(at: string, data: Record<string, unknown>): void {
    const open = this.findings.open;
    if (open) this.fail(`${at}: an execution started while the one of turn ${open.turn} had not ended`);
    if (data.turn !== this.lastTurn) this.fail(`${at}: execution of turn ${String(data.turn)} started in turn ${this.lastTurn}`);
    const execution: LoggedExecution = {
      ticketId: this.ticketId,
      turn: Number(data.turn),
      workflow: String(data.workflow ?? ''),
      end: 'open',
      state: 'running',
      keys: [],
      abandoned: null,
      superseded: false,
      failedSteps: 0,
      suspensions: 0,
    };
    this.findings.executions.push(execution);
    this.findings.open = execution;
  }

  private journaled(at: string, key: string): void {
    const { findings } = this;
    findings.startedCount.set(key, (findings.startedCount.get(key) ?? 0) + 1);
    const open = findings.open;
    if (open?.state !== 'running') {
      this.fail(`${at}: step ${key} started outside a running execution`);
      return;
    }
    const parsed = parseIdempotencyKey(key);
    if (!parsed || parsed.ticketId !== this.ticketId || parsed.turn !== open.turn)
      this.fail(`${at}: key ${key} does not belong to the execution of turn ${open.turn}`);
    open.keys.push(key);
    findings.executionOfKey.set(key, open);
  }

  private transition(at: string, [from, to]: readonly [ExecutionState, ExecutionState]): void {
    const open = this.findings.open;
    if (!open || open.state !== from) {
      this.fail(`${at}: needs an execution ${from.replace('_', ' ')}, found ${open ? open.state.replace('_', ' ') : 'none'}`);
      return;
    }
    if (to === 'awaiting_input') open.suspensions += 1;
    open.state = to;
  }

  private end(at: string, end: ExecutionEnd): void {
    const open = this.findings.open;
    if (!open) {
      this.fail(`${at}: no execution was open`);
      return;
    }
    open.end = end;
    this.lastEnded = open;
    this.findings.open = null;
  }

  private superseded(at: string, data: Record<string, unknown>): void {
    if (this.findings.open?.state !== 'running') this.fail(`${at}: outside a running execution`);
    // E2a: what a run supersedes is the calls that still stand — of a completed run (also after a correction was declined
    // since), or of a procedure left with onAbandon 'keep' that runs again.
    const earlier = [...this.findings.executions].reverse().find((execution) => execution !== this.findings.open && execution.turn === data.supersededTurn);
    if (!earlier || (earlier.end !== 'completed' && earlier.abandoned !== 'keep'))
      this.fail(`${at}: turn ${String(data.supersededTurn)} has no completed run or kept procedure to supersede`);
    else earlier.superseded = true;
  }

  private abandoned(at: string, data: Record<string, unknown>): void {
    const last = this.lastEnded;
    if (this.findings.open || !last || last.end !== 'failed' || last.turn !== data.turn || last.abandoned !== null) {
      this.fail(`${at}: does not follow the failure of the procedure of turn ${String(data.turn)}`);
      return;
    }
    last.abandoned = data.policy === 'compensate' ? 'compensate' : 'keep';
  }

  private turnCompleted(at: string, turn: number): void {
    if (this.completedTurns.has(turn)) this.fail(`${at}: turn ${turn} completed twice`);
    if (!(turn >= 1 && turn <= this.lastTurn)) this.fail(`${at}: turn ${turn} completed before it started (last turn ${this.lastTurn})`);
    this.completedTurns.add(turn);
  }

  compareWithDocument(document: SequenceDocument | null): void {
    if (document === null) return;
    const open = this.findings.open;
    if (document.turn !== this.lastTurn) this.fail(`the document is at turn ${String(document.turn)} but the log received ${this.lastTurn} turns`);
    const execution = document.execution ?? null;
    if (open && execution?.turn !== open.turn) this.fail(`the execution of turn ${open.turn} never ended, and the document does not hold it`);
    if (!open && execution !== null) this.fail(`the document holds an execution of turn ${String(execution.turn)} the log does not have open`);
    if (open && open.state !== 'running' && document.status !== open.state)
      this.fail(`the log leaves the execution of turn ${open.turn} ${open.state}, the document says ${String(document.status)}`);
  }
}
