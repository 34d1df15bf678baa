import type { StoredTicketEvent } from '@ticketflow/core';
import type { TicketHistory, Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/** How an execution ended in the event log (`open`: it has not, e.g. parked for approval). */
export type ExecutionEnd = 'completed' | 'failed' | 'recovered' | 'open';

/** One execution as the event log tells it. */
export interface LoggedExecution {
  ticketId: string;
  turn: number;
  end: ExecutionEnd;
  /** True while it waits for an approval. */
  parked: boolean;
  /** Keys journaled as started, in order. */
  keys: string[];
}

/** What the walk over one ticket's log learned, for the other rules. */
export interface SequenceFindings {
  violations: Violation[];
  executions: LoggedExecution[];
  /** The execution each journaled key belongs to. */
  executionOfKey: Map<string, LoggedExecution>;
  /** How many `step.started` events name each key. */
  startedCount: Map<string, number>;
  /** Keys with a `step.compensated` / `step.not_compensable` event. */
  compensatedKeys: Set<string>;
  notCompensableKeys: Set<string>;
}

/**
 * Event types of which every commit of the current core holds exactly one: the turn's
 * result (`turn.completed`), the result of an execution resumed by an approval or a
 * recovery (`reply.sent`), each write-ahead journal entry (`step.started`,
 * `step.retried`, `approval.requested`), an approval's claim (`approval.granted`,
 * `approval.rejected`) and a recovery's claim (`execution.recovery_started`). A ticket's
 * version (its number of commits) must equal their count. If the core adds a new kind
 * of commit, its marker belongs here.
 */
export const COMMIT_MARKERS: ReadonlySet<string> = new Set([
  'turn.completed',
  'reply.sent',
  'step.started',
  'step.retried',
  'approval.requested',
  'approval.granted',
  'approval.rejected',
  'execution.recovery_started',
]);

const ENDS: Record<string, ExecutionEnd> = { 'execution.completed': 'completed', 'execution.failed': 'failed', 'execution.recovered': 'recovered' };

/**
 * Rule `sequence-agrees` for one ticket: `seq` runs 1..n without gap; the version equals
 * the number of commits the log shows ({@link COMMIT_MARKERS}) and so is at most n; the
 * `message.received` turns run 1, 2, … up to the document's `turn`; each turn completes
 * at most once and never before it started; executions never interleave (T6): each
 * `execution.started` belongs to the turn just received and ends with exactly one of
 * completed / failed / recovered before the next one starts, no turn runs inside another's
 * execution (except a reply while it waits for an approval), every journaled key belongs
 * to its execution's turn; and an execution left open is exactly the document's.
 */
export function checkSequence(history: TicketHistory, document: { turn?: unknown; execution?: { turn?: unknown } | null } | null): SequenceFindings {
  const { ticketId, events } = history;
  const findings: SequenceFindings = { violations: [], executions: [], executionOfKey: new Map(), startedCount: new Map(), compensatedKeys: new Set(), notCompensableKeys: new Set() };
  const fail = (detail: string) => findings.violations.push({ rule: 'sequence-agrees', ticketId, detail });

  events.forEach((event, index) => {
    if (event.seq !== index + 1) fail(`event #${index + 1} has seq ${event.seq}: the sequence is not 1..n without gaps`);
  });
  const markers = events.filter((event) => COMMIT_MARKERS.has(event.type)).length;
  if (history.version !== null && (history.version !== markers || history.version > events.length)) {
    fail(`version ${history.version} does not match the ${markers} commits in ${events.length} events`);
  }

  let lastTurn = 0;
  const completedTurns = new Set<number>();
  let open: LoggedExecution | null = null;
  for (const event of events) {
    const data = event.data ?? {};
    const at = `seq ${event.seq} ${event.type}`;
    switch (event.type) {
      case 'message.received': {
        if (data.turn !== lastTurn + 1) fail(`${at}: turn ${String(data.turn)} follows turn ${lastTurn}`);
        lastTurn = typeof data.turn === 'number' ? data.turn : lastTurn + 1;
        if (open && !open.parked) fail(`${at}: a turn ran inside the execution of turn ${open.turn} (T6)`);
        break;
      }
      case 'execution.started': {
        if (open) fail(`${at}: an execution started while the one of turn ${open.turn} had not ended`);
        if (data.turn !== lastTurn) fail(`${at}: execution of turn ${String(data.turn)} started in turn ${lastTurn}`);
        open = { ticketId, turn: Number(data.turn), end: 'open', parked: false, keys: [] };
        findings.executions.push(open);
        break;
      }
      case 'step.started': {
        const key = String(data.key);
        findings.startedCount.set(key, (findings.startedCount.get(key) ?? 0) + 1);
        if (!open || open.parked) {
          fail(`${at}: step ${key} started outside a running execution`);
          break;
        }
        const parsed = parseIdempotencyKey(key);
        if (!parsed || parsed.ticketId !== ticketId || parsed.turn !== open.turn) fail(`${at}: key ${key} does not belong to the execution of turn ${open.turn}`);
        open.keys.push(key);
        findings.executionOfKey.set(key, open);
        break;
      }
      case 'approval.requested':
        if (!open) fail(`${at}: outside an execution`);
        else open.parked = true;
        break;
      case 'approval.granted':
      case 'approval.rejected':
        if (!open?.parked) fail(`${at}: no approval was pending`);
        else open.parked = false;
        break;
      case 'step.retried':
      case 'execution.recovery_started':
        if (!open) fail(`${at}: outside an execution`);
        break;
      case 'step.compensated':
        findings.compensatedKeys.add(String(data.key));
        break;
      case 'step.not_compensable':
        findings.notCompensableKeys.add(String(data.key));
        break;
      case 'turn.completed': {
        const turn = Number(data.turn);
        if (completedTurns.has(turn)) fail(`${at}: turn ${turn} completed twice`);
        if (!(turn >= 1 && turn <= lastTurn)) fail(`${at}: turn ${turn} completed before it started (last turn ${lastTurn})`);
        completedTurns.add(turn);
        break;
      }
      default: {
        const end = ENDS[event.type];
        if (end === undefined) break;
        if (!open) fail(`${at}: no execution was running`);
        else {
          open.end = end;
          open = null;
        }
      }
    }
  }
  checkAgainstDocument(document, lastTurn, open, fail);
  return findings;
}

function checkAgainstDocument(document: { turn?: unknown; execution?: { turn?: unknown } | null } | null, lastTurn: number, open: LoggedExecution | null, fail: (detail: string) => void): void {
  if (document === null) return;
  if (document.turn !== lastTurn) fail(`the document is at turn ${String(document.turn)} but the log received ${lastTurn} turns`);
  const execution = document.execution ?? null;
  if (open && execution?.turn !== open.turn) fail(`the execution of turn ${open.turn} never ended, and the document does not hold it`);
  if (!open && execution !== null) fail(`the document holds an execution of turn ${String(execution.turn)} the log does not have open`);
}

/** The ticket's events of one type, for the other rules. */
export function eventsOfType(events: readonly StoredTicketEvent[], type: string): StoredTicketEvent[] {
  return events.filter((event) => event.type === type);
}
