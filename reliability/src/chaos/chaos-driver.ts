import type { AcknowledgedMessage } from '../checker/history.js';
import type { SeededRandom } from '../faults/seeded-random.js';
import type { Job, JobOutcome, WorkerMessage } from '../worker/worker-protocol.js';
import type { ChaosProfile } from './chaos-profile.js';
import { Nemesis, type NemesisKind, type Strike } from './nemesis.js';
import type { WorkerPool, WorkerSlot } from './worker-pool.js';

/** One SIGKILL, or one SIGSTOP … SIGCONT, of the run. */
export interface Crash {
  kind: NemesisKind;
  slot: string;
  instanceId: string | null;
  /** What triggered it: a tool call the worker reported (`tool:<result>`), or `random`. */
  trigger: string;
  /** The idempotency key of the tool call in progress, when a tool report triggered it. */
  key?: string;
  jobsInFlight: number;
  afterTurns: number;
}

interface TicketState {
  id: string;
  script: string[];
  next: number;
  /** Jobs sent or waiting to be sent again. */
  open: number;
  approvalOpen: boolean;
}

/** What the driver observed, besides the acknowledgements. */
export interface DriverRecord {
  acknowledged: AcknowledgedMessage[];
  /** Distinct script messages acknowledged (the final pass excluded). */
  turns: number;
  crashes: Crash[];
  /** Workers frozen (SIGSTOP) past their lease, then resumed (SIGCONT). */
  pauses: Crash[];
  /** Jobs sent again: after a kill, or after an error answer. */
  resent: number;
  /** Error answers by `name:kind`. */
  errors: Record<string, number>;
  approvals: { approved: number; rejected: number; refused: number };
  duplicatesAnswered: number;
  unexpectedExits: string[];
}

/**
 * Feeds the workers: the tickets' scripts in order (sometimes two messages of one ticket at
 * once, from different workers), approvals for parked credits, and again any job whose
 * worker was killed or answered with an error — with the same `messageId`, like a client
 * retrying. Every ~`killEvery` acknowledged turns it SIGKILLs a worker in the middle of an
 * execution, and every ~`pauseEvery` turns it freezes one past its lease (see {@link Nemesis}).
 */
export class ChaosDriver {
  readonly record: DriverRecord = { acknowledged: [], turns: 0, crashes: [], pauses: [], resent: 0, errors: {}, approvals: { approved: 0, rejected: 0, refused: 0 }, duplicatesAnswered: 0, unexpectedExits: [] };
  private readonly tickets: TicketState[];
  private readonly byId: Map<string, TicketState>;
  private readonly retries: { job: Job; notBefore: number }[] = [];
  private readonly approvals: Job[] = [];
  private readonly ackedIds = new Set<string>();
  private nextJobId = 1;
  private inFlight = 0;
  private readonly nemesis: Nemesis;
  private finalPass = false;
  private settle: (() => void) | null = null;

  constructor(
    private readonly pool: WorkerPool,
    private readonly profile: ChaosProfile,
    private readonly random: SeededRandom,
    scripts: string[][],
    runId: string,
  ) {
    this.tickets = scripts.map((script, index) => ({ id: `${runId}-T${String(index + 1).padStart(3, '0')}`, script, next: 0, open: 0, approvalOpen: false }));
    this.byId = new Map(this.tickets.map((ticket) => [ticket.id, ticket]));
    this.nemesis = new Nemesis(
      [
        { kind: 'kill', every: profile.killEvery, preferHangFor: profile.killPreferHangFor },
        // Frozen when a tool call starts, before the backend applied it: the call lands late.
        { kind: 'pause', every: profile.pauseEvery, preferHangFor: 0, triggers: ['started'] },
      ],
      random.fork(3),
    );
  }

  get ticketIds(): string[] {
    return this.tickets.map((ticket) => ticket.id);
  }

  /** Runs the scripts to the end: every message acknowledged, every approval decided. */
  runScripts(): Promise<void> {
    return this.until();
  }

  /** The final recovery pass: one more message per ticket (no more kills), then the approvals it reveals. */
  runFinalPass(): Promise<void> {
    this.nemesis.stop();
    this.finalPass = true;
    for (const ticket of this.tickets) {
      ticket.open += 1;
      this.retries.push({ job: { id: this.nextJobId++, kind: 'message', ticketId: ticket.id, message: "thanks, that's all for now", messageId: `${ticket.id}-final` }, notBefore: 0 });
    }
    return this.until();
  }

  onWorkerMessage(slot: WorkerSlot, message: WorkerMessage): void {
    if (message.type === 'tool') {
      if (slot.inFlight.size > 0 && slot.child !== null && !slot.paused) this.carryOut(this.nemesis.onToolReport(slot, message));
      return;
    }
    if (message.type === 'ready') return;
    const job = this.pool.settle(slot, message.jobId);
    if (!job) return;
    this.inFlight -= 1;
    if (message.type === 'done') this.acknowledge(slot, job, message.outcome);
    else this.answeredWithError(job, message.error);
    this.pump();
  }

  onUnexpectedExit(slot: WorkerSlot, lost: Job[], detail: string): void {
    this.record.unexpectedExits.push(`${slot.name}: ${detail}`);
    this.inFlight -= lost.length;
    this.resend(lost);
  }

  /** Sends what can be sent; strikes a worker when a strike is due and no tool report came in time. */
  pump(): void {
    const now = Date.now();
    this.carryOut(this.nemesis.onTick(this.pool.slots.filter((slot) => slot.inFlight.size > 0 && slot.child !== null && !slot.paused)));
    while (this.inFlight < this.profile.concurrency) {
      const worker = this.pool.leastLoaded();
      if (!worker) break;
      const job = this.nextJob(now);
      if (!job) break;
      this.inFlight += 1;
      this.pool.send(worker, job);
    }
    if (this.settle && this.inFlight === 0 && this.retries.length === 0 && this.approvals.length === 0 && this.tickets.every((ticket) => ticket.next >= ticket.script.length)) {
      const done = this.settle;
      this.settle = null;
      done();
    }
  }

  private until(): Promise<void> {
    return new Promise((resolve) => {
      this.settle = resolve;
      this.pump();
    });
  }

  private nextJob(now: number): Job | null {
    const due = this.retries.findIndex((entry) => entry.notBefore <= now);
    if (due >= 0) return this.retries.splice(due, 1)[0]!.job;
    const approval = this.approvals.shift();
    if (approval) return approval;
    if (this.finalPass) return null;
    const remaining = this.tickets.filter((ticket) => ticket.next < ticket.script.length && ticket.open < 2);
    if (remaining.length === 0) return null;
    const idle = remaining.filter((ticket) => ticket.open === 0);
    const ticket = idle.length === 0 || this.random.chance(this.profile.overlap) ? this.random.pick(remaining) : this.random.pick(idle);
    const index = ticket.next;
    ticket.next += 1;
    ticket.open += 1;
    return { id: this.nextJobId++, kind: 'message', ticketId: ticket.id, message: ticket.script[index]!, messageId: `${ticket.id}-m${index + 1}` };
  }

  private acknowledge(slot: WorkerSlot, job: Job, outcome: JobOutcome): void {
    const ticket = this.byId.get(job.ticketId)!;
    if (job.kind === 'message') {
      ticket.open -= 1;
      if (!this.ackedIds.has(job.messageId)) {
        this.ackedIds.add(job.messageId);
        this.record.acknowledged.push({ ticketId: job.ticketId, messageId: job.messageId });
        if (!job.messageId.endsWith('-final')) this.record.turns += 1;
      }
      if (outcome.duplicate) this.record.duplicatesAnswered += 1;
      this.nemesis.arm(this.record.turns);
    } else {
      ticket.approvalOpen = false;
      this.record.approvals[job.kind === 'approve' ? 'approved' : 'rejected'] += 1;
    }
    if (outcome.status === 'awaiting_approval' && !ticket.approvalOpen) {
      ticket.approvalOpen = true;
      const kind = this.random.chance(this.profile.approveShare) ? 'approve' : 'reject';
      this.approvals.push({ id: this.nextJobId++, kind, ticketId: ticket.id, by: `supervisor-${slot.name}` });
    }
  }

  private answeredWithError(job: Job, error: { name: string; message: string; kind?: string }): void {
    const label = `${error.name}${error.kind ? `:${error.kind}` : ''}`;
    this.record.errors[label] = (this.record.errors[label] ?? 0) + 1;
    if (job.kind !== 'message' && error.name === 'TicketStateError') {
      // Decided already, or the execution was recovered after a crash: nothing waits any more.
      this.byId.get(job.ticketId)!.approvalOpen = false;
      this.record.approvals.refused += 1;
      return;
    }
    if (error.name === 'InvalidArgumentError' || error.name === 'ConfigurationError') {
      this.record.errors[`${label} (not retried): ${error.message.slice(0, 120)}`] = 1;
      if (job.kind === 'message') this.byId.get(job.ticketId)!.open -= 1;
      return;
    }
    this.resend([job], 20 + this.random.int(200));
  }

  private resend(jobs: Job[], delayMs = 20): void {
    for (const job of jobs) {
      this.record.resent += 1;
      this.retries.push({ job: { ...job, id: this.nextJobId++ }, notBefore: Date.now() + delayMs });
    }
  }

  private carryOut(strike: Strike | null): void {
    if (!strike) return;
    const { slot } = strike;
    const record: Crash = { kind: strike.kind, slot: slot.name, instanceId: slot.instanceId, trigger: strike.trigger, jobsInFlight: slot.inFlight.size, afterTurns: this.record.turns, ...(strike.key ? { key: strike.key } : {}) };
    if (strike.kind === 'pause') {
      this.record.pauses.push(record);
      this.pool.pause(slot, this.profile.pauseMs);
      return;
    }
    this.record.crashes.push(record);
    const lost = this.pool.kill(slot);
    this.inFlight -= lost.length;
    this.resend(lost);
  }
}
