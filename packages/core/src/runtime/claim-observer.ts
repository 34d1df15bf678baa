import type { ExecutionRecord } from '../model/ticket.js';

/** What a worker may do about another worker's claim on a ticket. */
export type ClaimAssessment =
  | { state: 'none' }
  /** The owner may be alive: wait (at most `waitMs`) and look again. */
  | { state: 'live'; waitMs: number }
  /** The owner stopped renewing it: take it over (E4). `observedMs`: how long it was seen unchanged (null: far past its lease). */
  | { state: 'abandoned'; observedMs: number | null };

interface Sighting {
  claimKey: string;
  firstSeen: number;
}

/**
 * Tells a live claim from an abandoned one without trusting two machines' clocks to agree
 * (issue 12 item 3). The owner renews its claim (a new version) at least every half of its
 * lease while it runs; a claim is abandoned once this worker has seen the very same claim
 * version unchanged for the owner's whole `leaseMs`, measured on its own monotonic clock —
 * or when the owner's lease expired longer ago than twice `maxClockSkewMs` plus one lease by
 * the wall clock (a claim left by a crash long ago needs no watching; twice, because the
 * owner's clock and this one may each be off by `maxClockSkewMs`, in opposite directions). So a worker whose
 * clock is an hour ahead never steals the live execution of one an hour behind, and none
 * freezes a ticket.
 */
export class ClaimObserver {
  private readonly sightings = new Map<string, Sighting>();

  constructor(
    private readonly clocks: { now: () => number; elapsed: () => number },
    private readonly maxClockSkewMs: number,
    private readonly capacity = 10_000,
  ) {}

  /**
   * @param ownInstance this agent's instance id: a claim it holds itself while no operation of
   * it runs on the ticket (the caller holds the agent's per-ticket lock) was left by an
   * operation that failed mid-way (e.g. a commit whose outcome is unknown): abandoned at once.
   */
  assess(ticketId: string, version: number, execution: ExecutionRecord | null, ownInstance?: string): ClaimAssessment {
    if (!execution || execution.leaseExpiresAt === null) {
      this.sightings.delete(ticketId);
      return { state: 'none' };
    }
    if (ownInstance !== undefined && execution.owner === ownInstance) return { state: 'abandoned', observedMs: 0 };
    // Each clock may be off by maxClockSkewMs from the truth, so two of them by twice that; past
    // that spread the owner still gets one more lease, in which a live owner would have renewed.
    if (this.clocks.now() - execution.leaseExpiresAt > 2 * this.maxClockSkewMs + execution.leaseMs) return { state: 'abandoned', observedMs: null };
    const claimKey = `${execution.id}#${version}`;
    const elapsed = this.clocks.elapsed();
    const seen = this.sightings.get(ticketId);
    if (!seen || seen.claimKey !== claimKey) {
      this.remember(ticketId, { claimKey, firstSeen: elapsed });
      return { state: 'live', waitMs: execution.leaseMs };
    }
    const observedMs = elapsed - seen.firstSeen;
    if (observedMs >= execution.leaseMs) return { state: 'abandoned', observedMs };
    return { state: 'live', waitMs: execution.leaseMs - observedMs };
  }

  /** Forgets a ticket (its claim was taken over or released). */
  forget(ticketId: string): void {
    this.sightings.delete(ticketId);
  }

  private remember(ticketId: string, sighting: Sighting): void {
    this.sightings.delete(ticketId);
    if (this.sightings.size >= this.capacity) {
      const oldest = this.sightings.keys().next().value;
      if (oldest !== undefined) this.sightings.delete(oldest);
    }
    this.sightings.set(ticketId, sighting);
  }
}
