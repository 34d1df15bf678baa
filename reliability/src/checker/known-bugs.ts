import type { Violation } from './history.js';

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
  /** Tickets whose life ended during the run (erased), or `all` (a store restart that lost the data). */
  endedLives: ReadonlySet<string> | 'all';
  /** `<ticketId>\u0000<messageId>` of the messages re-sent as T7 probes (same id, same text). */
  resent: ReadonlySet<string>;
}

/**
 * The engine bugs the chaos suite found that are still open, as of this version: none. Fixed
 * ones left this list and their regression tests became plain tests (`src/regressions/`): T7
 * out of the window, P3 turns re-run into a new life, E2a supersedes left by a recovery
 * (96cabad); idempotency keys reused across lives of a ticket id (the key carries the life),
 * takeovers across a 2 h clock spread (the fast path needs twice `maxClockSkewMs`), a claim
 * heartbeat committed after its execution ended, the stale `ticketDocSchema`.
 */
export const KNOWN_BUGS: readonly KnownBug[] = [];

/** The classifier the checker takes (`History.knownBug`), or one that knows no bug under `strict`. */
export function knownBugClassifier(context: KnownBugContext, strict = false, bugs: readonly KnownBug[] = KNOWN_BUGS): (violation: Violation) => string | null {
  if (strict) return () => null;
  return (violation) => bugs.find((bug) => bug.matches(violation, context))?.id ?? null;
}
