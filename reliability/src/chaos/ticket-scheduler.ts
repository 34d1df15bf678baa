import type { SeededRandom } from '../faults/seeded-random.js';
import { QUIET } from '../procedures/procedure-scripts.js';
import type { Job } from '../worker/worker-protocol.js';
import type { ChaosProfile } from './chaos-profile.js';

/** One ticket of a run: its script, where it is, and what of its current life was acknowledged. */
export interface TicketState {
  id: string;
  script: string[];
  next: number;
  /** Message jobs sent or waiting to be sent again. */
  open: number;
  approvalOpen: boolean;
  /** True while an erasure of it runs: nothing is sent to it meanwhile. */
  erasing: boolean;
  /** Messages acknowledged in its current life, with their texts (for T7 resends). */
  acknowledged: { messageId: string; text: string }[];
  /** Set while its last answer left a procedure waiting for the customer (E6). */
  awaitingInput: boolean;
  /** The customer is quiet until then (a {@link QUIET} script entry), ms. */
  quietUntil: number;
  /** How many lives of it ended (erasures, a store that lost its data): a probe knows the life it was made in. */
  life: number;
}

/** How many T7 probes were sent, and how the system answered them. */
export interface ResendRecord {
  /** Old `messageId`s sent again with the same text (most beyond the document's window). */
  resent: number;
  /** …answered with the recorded result (`duplicate: true`), as T7 requires. */
  answeredDuplicate: number;
  /** …processed again (must be 0; the checker also finds them as duplicates). */
  processedAgain: number;
  /** Old `messageId`s sent with another text. */
  reused: number;
  /** …refused with `InvalidArgumentError` `message_id_reused`, as T7 requires. */
  refused: number;
  /** …accepted in the life the id was used in (must be 0: the checker finds the probe's text). */
  reuseAccepted: number;
  /**
   * …accepted after that life ended (the probe, sent again after a failed attempt, landed after
   * an erasure): a new message of the new life, where the id was never used.
   */
  reuseAfterLifeEnded: number;
}

/**
 * Chooses each ticket's next message: the next line of its script — sometimes while an
 * earlier one is still in flight, on another worker — or, as a T7 probe, one of its old
 * acknowledged messages sent again with the same `messageId` and text (expected: the
 * recorded result) or with another text (expected: refused). Tickets being erased wait.
 */
export class TicketScheduler {
  readonly tickets: TicketState[];
  readonly byId: Map<string, TicketState>;
  readonly resends: ResendRecord = { resent: 0, answeredDuplicate: 0, processedAgain: 0, reused: 0, refused: 0, reuseAccepted: 0, reuseAfterLifeEnded: 0 };
  /** Texts sent with a reused `messageId`: none may reach the store (minus those that landed in a new life). */
  readonly refusedTexts: string[] = [];
  /** `<ticketId>\u0000<messageId>` of every message re-sent as a T7 probe. */
  readonly resentIds = new Set<string>();
  /** Quiet spells taken (the customer did not answer for longer than the input timeout). */
  quietSpells = 0;
  private probes = 0;

  constructor(
    scripts: string[][],
    runId: string,
    private readonly profile: ChaosProfile,
    private readonly random: SeededRandom,
  ) {
    this.tickets = scripts.map((script, index) => ({
      id: `${runId}-T${String(index + 1).padStart(3, '0')}`,
      script,
      next: 0,
      open: 0,
      approvalOpen: false,
      erasing: false,
      acknowledged: [],
      awaitingInput: false,
      quietUntil: 0,
      life: 0,
    }));
    this.byId = new Map(this.tickets.map((ticket) => [ticket.id, ticket]));
  }

  /** True when every script line was sent. */
  get scriptsDone(): boolean {
    return this.tickets.every((ticket) => ticket.next >= ticket.script.length);
  }

  /** The next message job, or null when no ticket can take one now. */
  next(id: number): Job | null {
    const now = Date.now();
    const remaining = this.tickets.filter(
      (ticket) => ticket.next < ticket.script.length && ticket.open < 2 && !ticket.erasing && ticket.quietUntil <= now && !this.goesQuiet(ticket, now),
    );
    if (remaining.length === 0) return null;
    const idle = remaining.filter((ticket) => ticket.open === 0);
    const ticket = idle.length === 0 || this.random.chance(this.profile.overlap) ? this.random.pick(remaining) : this.random.pick(idle);
    ticket.open += 1;
    const probe = ticket.acknowledged.length > 0 ? this.probe(ticket, id) : null;
    if (probe) return probe;
    const index = ticket.next;
    ticket.next += 1;
    return { id, kind: 'message', ticketId: ticket.id, message: ticket.script[index]!, messageId: `${ticket.id}-m${index + 1}`, purpose: 'script' };
  }

  /** Records an answered message job; returns whether it is a new acknowledgement. */
  answered(job: Extract<Job, { kind: 'message' }>, duplicate: boolean): void {
    const ticket = this.byId.get(job.ticketId)!;
    ticket.open -= 1;
    if (job.purpose === 'resend') {
      if (duplicate) this.resends.answeredDuplicate += 1;
      else this.resends.processedAgain += 1;
    } else if (job.purpose === 'reuse') this.reuseAccepted(job, ticket);
    else if (!ticket.acknowledged.some((entry) => entry.messageId === job.messageId)) ticket.acknowledged.push({ messageId: job.messageId, text: job.message });
  }

  /** A reuse probe was accepted: a T7 breach, unless the life it was made in has ended since (or is ending). */
  private reuseAccepted(job: Extract<Job, { kind: 'message' }>, ticket: TicketState): void {
    if (job.life === ticket.life && !ticket.erasing) {
      this.resends.reuseAccepted += 1;
      return;
    }
    this.resends.reuseAfterLifeEnded += 1;
    const index = this.refusedTexts.findIndex((text) => job.message.endsWith(text));
    if (index >= 0) this.refusedTexts.splice(index, 1);
  }

  /** A message job that will not be sent again (refused, or answered that the ticket was erased). */
  dropped(job: Extract<Job, { kind: 'message' }>, refusedAsReused: boolean): void {
    this.byId.get(job.ticketId)!.open -= 1;
    if (job.purpose === 'reuse' && refusedAsReused) this.resends.refused += 1;
  }

  /** A new life starts for these tickets (an erasure, a store that lost its data): their old messages are not probed again. */
  forgetLives(ticketIds: Iterable<string>): void {
    for (const id of ticketIds) {
      const ticket = this.byId.get(id);
      if (!ticket) continue;
      ticket.acknowledged = [];
      ticket.life += 1;
    }
  }

  /** Takes a {@link QUIET} entry when it is the ticket's next one and nothing of it is in flight: the ticket waits. */
  private goesQuiet(ticket: TicketState, now: number): boolean {
    if (ticket.script[ticket.next] !== QUIET || ticket.open > 0) return ticket.script[ticket.next] === QUIET;
    ticket.next += 1;
    ticket.quietUntil = now + (this.profile.agent.inputTimeoutMs ?? 0) + 3_000;
    this.quietSpells += 1;
    return true;
  }

  private probe(ticket: TicketState, id: number): Job | null {
    const { oldRate, reuseRate } = this.profile.resends;
    const draw = this.random.next();
    if (draw >= oldRate + reuseRate) return null;
    const old = this.random.pick(ticket.acknowledged);
    if (draw < oldRate) {
      this.resends.resent += 1;
      this.resentIds.add(`${ticket.id}\u0000${old.messageId}`);
      return { id, kind: 'message', ticketId: ticket.id, message: old.text, messageId: old.messageId, purpose: 'resend' };
    }
    this.resends.reused += 1;
    this.probes += 1;
    const text = `${old.text} (changed my mind, probe ${this.probes})`;
    this.refusedTexts.push(`probe ${this.probes})`);
    return { id, kind: 'message', ticketId: ticket.id, message: text, messageId: old.messageId, purpose: 'reuse', life: ticket.life };
  }
}
