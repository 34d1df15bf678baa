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
  /** Tickets whose life ended during the run (erased), or `all` (a store restart that lost the data). */
  endedLives: ReadonlySet<string> | 'all';
  /** `<ticketId>\u0000<messageId>` of the messages re-sent as T7 probes (same id, same text). */
  resent: ReadonlySet<string>;
}

const ticketOfKey = (detail: string) => /\b(\S+):\d+:\d+\b/.exec(detail)?.[0];

/** The engine bugs the chaos suite found, as of this version. */
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
    id: 't7-seen-filter',
    summary: 'T7: a messageId older than messageIdWindow is sometimes processed again (the seen filter misses it); pinned by the core’s own tests too',
    regression: 'packages/core/test/second-wave/message-ids.test.ts',
    matches: (violation, context) => violation.rule === 'acknowledged-once' && /completed \d+ turns|was received \d+ times/.test(violation.detail) && context.resent.has(violation.unit ?? ''),
  },
  {
    id: 't7-reuse-out-of-window',
    summary: 'T7: a messageId older than messageIdWindow sent again with another text is processed instead of refused; pinned by the core’s own tests too',
    regression: 'packages/core/test/second-wave/message-ids.test.ts',
    matches: (violation) => violation.rule === 'erasure-respected' && violation.detail.startsWith('a refused text'),
  },
  {
    id: 'superseded-recovered',
    summary: 'E2a E4: a superseding execution stopped after execution.superseded and before the earlier run was undone is recovered without undoing the earlier run: corrections add up',
    regression: 'src/regressions/superseded-run-recovered.test.ts',
    matches: (violation) => violation.rule === 'effects-accounted' && /(is still in effect, but its execution \(turn \d+\) is superseded|of a superseded execution cannot be undone)/.test(violation.detail),
  },
  {
    id: 'heartbeat-after-finish',
    summary: 'E4 E6 T6: a claim heartbeat queued behind an execution’s last (slow) commit runs after it: on a finished ticket it commits a claim-only execution (no id, workflow, owner or leaseMs) every later message waits for, for up to maxClockSkewMs; on a suspended procedure it gives the parked execution a lease, and another worker then “recovers” it (compensates and rolls back the procedure the customer was answering)',
    regression: 'src/regressions/heartbeat-after-finish.test.ts',
    matches: (violation) =>
      (violation.rule === 'settled' && violation.detail.startsWith('the ticket still holds a claim (execution of turn undefined,')) ||
      (violation.rule === 'sequence-agrees' && violation.detail === 'the document holds an execution of turn undefined the log does not have open') ||
      (violation.rule === 'sequence-agrees' && /^seq \d+ execution\.recovery_started: outside a running execution \(awaiting_input\)$/.test(violation.detail)),
  },
  {
    id: 'stale-ticket-doc-schema',
    summary: 'the exported ticketDocSchema predates the second wave: it refuses status awaiting_input, outcome abandoned and step state failed, which the engine writes',
    regression: 'src/regressions/ticket-doc-schema.test.ts',
    matches: (violation) => {
      if (violation.rule !== 'schema-valid' || !violation.detail.startsWith('the document fails ticketDocSchema: ')) return false;
      const issues = violation.detail.slice('the document fails ticketDocSchema: '.length).split('; ');
      return issues.every((issue) => /^(status = "awaiting_input"|outcomes\.[^ ]+\.outcome = "abandoned"|execution\.resumeStatus = "awaiting_input"|execution\.steps\.\d+\.state = "failed"): Invalid option/.test(issue));
    },
  },
  {
    id: 'p3-rerun-after-erase',
    summary: 'P3: a turn in flight when its ticket is erased is re-run after its commit conflicts, and lands in the new life of the id; pinned by the core’s own tests',
    regression: 'packages/core/test/second-wave/erasure.test.ts',
    matches: (violation) => violation.rule === 'erasure-respected' && violation.detail.includes('acknowledged before the ticket\'s life ended, is in the current life'),
  },
];

/** The classifier the checker takes (`History.knownBug`), or one that knows no bug under `strict`. */
export function knownBugClassifier(context: KnownBugContext, strict = false): (violation: Violation) => string | null {
  if (strict) return () => null;
  return (violation) => KNOWN_BUGS.find((bug) => bug.matches(violation, context))?.id ?? null;
}
