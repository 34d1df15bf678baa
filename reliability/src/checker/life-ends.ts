import type { AcknowledgedMessage, LifeEnd } from './history.js';

/** How a message relates to the lives that ended on its ticket. */
export type MessageLife =
  /** No life ended after it was sent: it belongs to the current life. */
  | 'current'
  /** Acknowledged before a life ended: it belonged to an erased life and must not come back. */
  | 'erased'
  /** In flight while a life ended: it may have been erased, or landed in the new life. */
  | 'either';

/**
 * The lives that ended during a run (erasures of one ticket, store restarts that lost every
 * ticket), by ticket, for the rules that must tell an erased life from the current one.
 */
export class LifeEnds {
  private readonly global: LifeEnd[];
  private readonly byTicket = new Map<string, LifeEnd[]>();

  constructor(ends: readonly LifeEnd[] = []) {
    this.global = ends.filter((end) => end.ticketId === '*');
    for (const end of ends) {
      if (end.ticketId === '*') continue;
      const list = this.byTicket.get(end.ticketId) ?? [];
      list.push(end);
      this.byTicket.set(end.ticketId, list);
    }
  }

  /** Every life end that struck the ticket, oldest first. */
  of(ticketId: string): LifeEnd[] {
    return [...this.global, ...(this.byTicket.get(ticketId) ?? [])].sort((left, right) => left.startedAt - right.startedAt);
  }

  /** Whether an acknowledged message belongs to the current life, an erased one, or may belong to either. */
  lifeOf(message: AcknowledgedMessage): MessageLife {
    const ends = this.of(message.ticketId);
    if (ends.length === 0 || message.sentAt === undefined || message.ackedAt === undefined) return 'current';
    const { sentAt, ackedAt } = message;
    if (ends.some((end) => ackedAt < end.startedAt)) return 'erased';
    if (ends.some((end) => sentAt < end.endedAt)) return 'either';
    return 'current';
  }

  /** True when a backend effect applied at `at` (ms) may belong to a life of the ticket that ended. */
  mayBeErased(ticketId: string, at: number): boolean {
    return this.of(ticketId).some((end) => at <= end.endedAt);
  }

  /** True when an effect applied at `at` (ms) surely belongs to a life of the ticket that ended. */
  surelyErased(ticketId: string, at: number): boolean {
    return this.of(ticketId).some((end) => at < end.startedAt);
  }
}
