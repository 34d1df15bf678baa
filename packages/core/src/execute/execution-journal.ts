import { eventOf } from '../events/draft.js';
import type { TicketEvent, TicketEventMap, TicketEventType } from '../events/ticket-event-map.js';
import type { ExecutionRecord, ExecutionStep, TicketDoc } from '../model/ticket.js';
import { isoTime } from '../util/iso-time.js';
import { ClaimLostError } from './execution-errors.js';
import type { TicketWriter } from './ticket-writer.js';

/**
 * The write-ahead journal of one execution: its steps and recorded answers, and the events
 * waiting for the next write. Every write goes through the ticket writer's queue and carries
 * the whole journal as it is at that moment, with the claim renewed — so parallel calls of
 * one execution journal correctly, in the order they were made.
 */
export class ExecutionJournal {
  readonly steps: ExecutionStep[];
  readonly answers: ExecutionRecord['answers'];
  private readonly pending: TicketEvent[] = [];
  /** Called once when a write finds the claim lost (or the checkpoint beaten by another turn). */
  onLost: ((error: ClaimLostError) => void) | undefined;

  constructor(
    private readonly writer: TicketWriter,
    private readonly clock: { now: () => number },
    private readonly leaseMs: () => number,
  ) {
    const execution = writer.ticket.execution!;
    this.steps = execution.steps.map((step) => ({ ...step }));
    this.answers = execution.answers.map((answer) => ({ ...answer }));
  }

  /** The time to stamp on events. */
  at(): string {
    return isoTime(this.clock.now());
  }

  /** Adds an event to the next write. */
  note<Type extends TicketEventType>(type: Type, data: TicketEventMap[Type]): void {
    this.pending.push(eventOf(type, this.at(), data));
  }

  /** Takes the events not yet written (they then belong to the caller's write). */
  takePending(): TicketEvent[] {
    return this.pending.splice(0);
  }

  /** The ticket with this journal and a renewed claim (or, `parked`, no claim). */
  apply(ticket: TicketDoc, parked = false): TicketDoc {
    const execution = ticket.execution!;
    return {
      ...ticket,
      updatedAt: this.at(),
      execution: {
        ...execution,
        steps: this.steps.map((step) => ({ ...step })),
        answers: this.answers.map((answer) => ({ ...answer })),
        leaseExpiresAt: parked ? null : this.clock.now() + this.leaseMs(),
      },
    };
  }

  /**
   * Renews the claim (the lease heartbeat): writes the journal after the writes queued before,
   * unless by then the execution has ended, been parked (a suspended procedure keeps no lease)
   * or been replaced — a renewal queued behind an execution's last commit must not bring a
   * claim back to life.
   */
  renew(): Promise<void> {
    const id = this.writer.ticket.execution?.id;
    return this.reportingLoss(
      this.writer.write((latest) => (latest.execution && latest.execution.id === id && latest.execution.leaseExpiresAt !== null ? this.apply(latest) : null)),
    );
  }

  /** Writes the journal now (after the writes queued before), with `events` and `change` applied on top. */
  write(events: readonly TicketEvent[] = [], change: (ticket: TicketDoc) => TicketDoc = (ticket) => ticket): Promise<void> {
    const all = this.takePending().concat(events);
    return this.reportingLoss(this.writer.write((latest) => change(this.apply(latest)), all));
  }

  /** A write whose lost claim is reported to {@link onLost} (and still thrown). */
  private reportingLoss(write: Promise<void>): Promise<void> {
    return write.catch((error: unknown) => {
      if (error instanceof ClaimLostError) this.onLost?.(error);
      throw error;
    });
  }
}
