import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';

/**
 * One record of a ticket's event log as the store returned it. The checker reads what was
 * stored, not what the engine's types promise, so `data` is an open record.
 */
export interface LoggedEvent {
  seq: number;
  type: string;
  at: string;
  data?: Record<string, unknown>;
}

/** One ticket as the store holds it after a run. */
export interface TicketHistory {
  ticketId: string;
  /** The stored document (null when the store has none). */
  document: unknown;
  version: number | null;
  /** Set when loading the ticket or its events threw. */
  loadError?: string;
  /** The ticket's whole event log, in `seq` order. */
  events: LoggedEvent[];
}

/**
 * A message a worker answered: the test's own record of what the system acknowledged.
 * `sentAt` is when the attempt that was answered was sent, `ackedAt` when its answer came
 * (driver clock, ms); both are needed only when a ticket's life ended during the run.
 */
export interface AcknowledgedMessage {
  ticketId: string;
  messageId: string;
  sentAt?: number;
  ackedAt?: number;
}

/**
 * The end of a life of a ticket id during the run: an erasure (`agent.erase`) of one
 * ticket, or a store restart that lost every ticket (Redis without persistence; `ticketId`
 * `*`). Between `startedAt` and `endedAt` (driver clock, ms) it may or may not have struck
 * what ran at the same time.
 */
export interface LifeEnd {
  ticketId: string | '*';
  cause: 'erase' | 'restart';
  startedAt: number;
  endedAt: number;
}

/** Everything the checker reads: the store's tickets, the acknowledgements, the backend ledger. */
export interface History {
  tickets: readonly TicketHistory[];
  acknowledged: readonly AcknowledgedMessage[];
  effects: readonly LedgerEffect[];
  calls: readonly LedgerCall[];
  /** Backend operations whose tool declares a compensation (the others cannot be undone). */
  compensableOperations: ReadonlySet<string>;
  /** Lives that ended during the run (erasures, store restarts that lost data). Default none. */
  lifeEnds?: readonly LifeEnd[];
  /** Messages whose `handle` answered that the ticket was erased meanwhile: none may be in the store. */
  erasedAnswers?: readonly AcknowledgedMessage[];
  /** Texts the system refused (a reused `messageId` with another text, T7): none may be in any event. */
  refusedTexts?: readonly string[];
  /** `onAbandon` of each workflow (E6): what `execution.abandoned` must say. Default: not checked. */
  abandonPolicies?: Readonly<Record<string, 'keep' | 'compensate'>>;
  /**
   * When worker instances stopped renewing their claims during the run: killed, frozen past
   * their lease, cut off from the store, or gave up on one ticket (an operation that failed).
   * A claim of an instance outside these was live, and no other instance may take it over.
   * Default: not checked.
   */
  stops?: readonly InstanceStop[];
  /**
   * Names the known, reported engine bug that explains a violation, or null (see
   * `known-bugs.ts`). Explained violations are reported apart and not counted. Default: none.
   */
  knownBug?: (violation: Violation) => string | null;
}

/** An instance that stopped renewing claims from `from` to `to` (null: for good), on one ticket or on all. */
export interface InstanceStop {
  instance: string;
  from: number;
  to: number | null;
  ticketId?: string;
}

/**
 * The rules (see the package README for their exact definitions):
 * - `acknowledged-once`: every acknowledged message is in its ticket's transcript exactly once;
 * - `settled`: no ticket is left executing or with a lapsed claim after the sweeper ran;
 * - `effects-accounted`: every backend effect belongs to a completed workflow, a parked or
 *   kept procedure, or was compensated;
 * - `keys-once`: no idempotency key executed by two executions (or two lives), or took effect twice;
 * - `sequence-agrees`: event sequence gap-free, and versions, turns and executions agree with it;
 * - `journal-intact`: a parked execution's journal in the document agrees with the log;
 * - `erasure-respected`: nothing of an erased life comes back, no refused text is stored (P3, T7);
 * - `claims-respected`: no execution of a live worker is taken over (skewed clocks, slow tools);
 * - `schema-valid`: every ticket loads and validates against `ticketDocSchema`.
 */
export type Rule =
  | 'acknowledged-once'
  | 'settled'
  | 'effects-accounted'
  | 'keys-once'
  | 'sequence-agrees'
  | 'journal-intact'
  | 'erasure-respected'
  | 'claims-respected'
  | 'schema-valid';

/** One broken rule. */
export interface Violation {
  rule: Rule;
  ticketId: string;
  detail: string;
  /**
   * What it is counted as, and under which unit (one count per distinct unit): by default
   * from the rule (see {@link countOf}), per ticket.
   */
  count?: keyof HistoryCounts;
  unit?: string;
}

const COUNT_OF_RULE: Readonly<Record<Rule, keyof HistoryCounts>> = {
  'acknowledged-once': 'duplicated',
  settled: 'unsettled',
  'effects-accounted': 'uncompensated',
  'keys-once': 'duplicated',
  'sequence-agrees': 'corrupted',
  'journal-intact': 'corrupted',
  'erasure-respected': 'corrupted',
  'claims-respected': 'takenOver',
  'schema-valid': 'corrupted',
};

/** The figure a violation counts towards, and the unit it is counted once per. */
export function countOf(violation: Violation): { count: keyof HistoryCounts; unit: string } {
  const count = violation.count ?? COUNT_OF_RULE[violation.rule];
  return { count, unit: `${count}\u0000${violation.unit ?? violation.ticketId}` };
}

/** The figures the summary quotes; every one must be 0. */
export interface HistoryCounts {
  /** Acknowledged messages missing from their ticket. */
  lost: number;
  /** Messages recorded more than once, plus idempotency keys executed twice. */
  duplicated: number;
  /** Tickets that fail to load or validate, whose versions and events disagree, whose journal disagrees with the log, or where an erased life came back. */
  corrupted: number;
  /** Live backend effects of workflows that did not complete, and other unaccounted effects. */
  uncompensated: number;
  /** Tickets left executing or holding a lapsed claim. */
  unsettled: number;
  /** Executions of live workers taken over (recovered while their owner still renewed its claim). */
  takenOver: number;
}

/** What the histories contain, for the summary. */
export interface HistoryStats {
  tickets: number;
  events: number;
  turns: number;
  executions: number;
  completed: number;
  failed: number;
  recovered: number;
  compensatedSteps: number;
  effects: number;
  liveEffects: number;
  undoneEffects: number;
  replayedCalls: number;
  retriedSteps: number;
  degradedTurns: number;
  retriedMessages: number;
  /** Procedures: suspensions, resumptions, abandonments by policy, and inputs the sweeper expired. */
  suspended: number;
  resumed: number;
  abandonedKeep: number;
  abandonedCompensate: number;
  inputsExpired: number;
  approvalsExpired: number;
  superseded: number;
  /** Procedures left waiting for the customer at the end (journal checked). */
  waitingProcedures: number;
  /** Failed steps of executions that went on (a caught `ctx.call` failure). */
  caughtFailures: number;
  /** Effects of lives that ended (erasures, restarts): their journal is gone with them. */
  erasedLifeEffects: number;
  /** Acknowledged messages that a life end may have erased (absent or present, both fine). */
  erasableMessages: number;
}

/** The checker's verdict. */
export interface CheckReport {
  /** True when no violation is left unexplained (known engine bugs aside). */
  ok: boolean;
  /** The violations no known engine bug explains. */
  violations: Violation[];
  /** The figures of those violations: all must be 0. */
  counts: HistoryCounts;
  /** Violations explained by a known, reported engine bug (see `known-bugs.ts`), by bug, with their count. */
  knownBugs: Record<string, number>;
  knownViolations: (Violation & { bug: string })[];
  stats: HistoryStats;
}
