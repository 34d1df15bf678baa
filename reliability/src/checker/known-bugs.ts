import type { Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/**
 * An engine bug the suite found and reported, pinned by a regression test (`it.fails` until
 * the core is fixed). The violations it explains are reported apart, so the figures of a run
 * stay a test for *new* bugs; `TICKETFLOW_CHAOS_STRICT=1` counts them like any violation.
 * Each matcher is narrow: the rule, the exact shape of the detail, and the circumstance that
 * causes the bug (an id used again after an erasure, a resent `messageId`, …).
 */
export interface KnownBug {
  id: string;
  summary: string;
  /** The test that pins it (and fails once it is fixed). */
  regression: string;
  matches: (violation: Violation, context: KnownBugContext) => boolean;
}

/** What the run knows that tells a known bug's violation from a new one. */
export interface KnownBugContext {
  /** Tickets that carry, or recovered, an execution without a turn: a claim committed after its execution ended ({@link claimOnlyTickets}). */
  claimOnly?: ReadonlySet<string>;
  /** Tickets whose life ended during the run (erased), or `all` (a store restart that lost the data). */
  endedLives: ReadonlySet<string> | 'all';
  /** `<ticketId>\u0000<messageId>` of the messages re-sent as T7 probes (same id, same text). */
  resent: ReadonlySet<string>;
}

const ticketOfKey = (detail: string) => /\b(\S+):\d+:\d+\b/.exec(detail)?.[0];

/**
 * The engine bugs the chaos suite found that are still open, as of this version. Fixed ones
 * leave this list (their regression tests become plain tests): T7 out of the window (seen
 * filter, reused ids), P3 turns re-run into a new life, E2a supersedes left by a recovery —
 * all fixed in 96cabad.
 */
export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'keys-across-lives',
    summary: 'E5 P3: idempotency keys are <ticketId>:<turn>:<step>, so a ticket erased (or lost by its store) and started again under the same id reuses the erased life’s keys: the backend replays or refuses the new calls',
    regression: 'src/regressions/keys-across-lives.test.ts',
    matches: (violation, context) => {
      if (violation.rule !== 'keys-once') return false;
      if (violation.detail.includes('took effect in an erased life')) return true;
      const key = ticketOfKey(violation.detail);
      const ticketId = key ? parseIdempotencyKey(key)?.ticketId : undefined;
      return ticketId !== undefined && (context.endedLives === 'all' || context.endedLives.has(ticketId)) && /took effect \d+ times|was run by \d+ worker instances/.test(violation.detail);
    },
  },
  {
    id: 'skew-spread',
    summary: 'issue 12.3: a worker whose clock is 1 h ahead takes over at once the live execution of a worker 31 s (or 1 h) behind: maxClockSkewMs bounds the skew between two workers, not ±1 h',
    regression: 'src/regressions/skew-spread.test.ts',
    matches: (violation) => violation.rule === 'claims-respected' && violation.detail.includes('(observed null ms)'),
  },
  {
    id: 'heartbeat-after-finish',
    summary: 'E4 E6 T6: a claim heartbeat queued behind an execution’s last (slow) commit runs after it: on a finished ticket it commits a claim-only execution (no id, workflow, owner or leaseMs) every later message waits for, for up to maxClockSkewMs; on a suspended procedure it gives the parked execution a lease, and another worker then “recovers” it (compensates and rolls back the procedure the customer was answering)',
    regression: 'src/regressions/heartbeat-after-finish.test.ts',
    matches: (violation, context) =>
      (violation.rule === 'settled' && violation.detail.startsWith('the ticket still holds a claim (execution of turn undefined,')) ||
      (violation.rule === 'sequence-agrees' && violation.detail === 'the document holds an execution of turn undefined the log does not have open') ||
      (violation.rule === 'sequence-agrees' && /^seq \d+ execution\.recovery_started: outside a running execution \((awaiting_input|none open; it names turn undefined)\)$/.test(violation.detail)) ||
      // The claim-only execution fails the schema (no id, workflow, turn…) and, "recovered", has the
      // steps it copied from the finished run compensated.
      (context.claimOnly?.has(violation.ticketId) === true && violation.rule === 'schema-valid' && schemaIssues(violation.detail)?.every((issue) => /^execution\.(id|workflow|turn|owner|resumeStatus|messageId|leaseMs) = undefined: /.test(issue)) === true) ||
      (context.claimOnly?.has(violation.ticketId) === true && violation.rule === 'effects-accounted' && /was undone although its execution \(turn \d+\) completed$/.test(violation.detail)),
  },
  {
    id: 'stale-ticket-doc-schema',
    summary: 'the exported ticketDocSchema predates the second wave: it refuses status awaiting_input, outcome abandoned and step state failed, which the engine writes',
    regression: 'src/regressions/ticket-doc-schema.test.ts',
    matches: (violation) => {
      if (violation.rule !== 'schema-valid' || !schemaIssues(violation.detail)) return false;
      const issues = schemaIssues(violation.detail) ?? [];
      return issues.every((issue) => /^(status = "awaiting_input"|outcomes\.[^ ]+\.outcome = "abandoned"|execution\.resumeStatus = "awaiting_input"|execution\.steps\.\d+\.state = "failed"): Invalid option/.test(issue));
    },
  },
];

/** The classifier the checker takes (`History.knownBug`), or one that knows no bug under `strict`. */
export function knownBugClassifier(context: KnownBugContext, strict = false): (violation: Violation) => string | null {
  if (strict) return () => null;
  return (violation) => KNOWN_BUGS.find((bug) => bug.matches(violation, context))?.id ?? null;
}

/**
 * Tickets that show the claim a heartbeat committed after its execution ended: a stored
 * execution without a turn, or a recovery of one (`execution.recovery_started` naming no turn).
 */
export function claimOnlyTickets(tickets: readonly { ticketId: string; document: unknown; events: readonly { type: string; data?: Record<string, unknown> }[] }[]): Set<string> {
  const found = new Set<string>();
  for (const ticket of tickets) {
    const execution = (ticket.document as { execution?: { turn?: unknown } | null } | null)?.execution;
    const storedWithoutTurn = typeof execution === 'object' && execution !== null && execution.turn === undefined;
    if (storedWithoutTurn || ticket.events.some((event) => event.type === 'execution.recovery_started' && event.data?.turn === undefined)) found.add(ticket.ticketId);
  }
  return found;
}

/** The issues listed by a `schema-valid` violation of `ticketDocSchema`, or null for another one. */
function schemaIssues(detail: string): string[] | null {
  const prefix = 'the document fails ticketDocSchema: ';
  return detail.startsWith(prefix) ? detail.slice(prefix.length).split('; ') : null;
}
