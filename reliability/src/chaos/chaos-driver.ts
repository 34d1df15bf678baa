import type { AcknowledgedMessage, InstanceStop, LifeEnd } from '../checker/history.js';
import type { SeededRandom } from '../faults/seeded-random.js';
import type { Job, JobOutcome, WorkerMessage } from '../worker/worker-protocol.js';
import type { ChaosProfile } from './chaos-profile.js';
import { Nemesis, type NemesisKind, type Strike } from './nemesis.js';
import type { StoreRestarter } from './store-restarter.js';
import type { TicketScheduler } from './ticket-scheduler.js';
import type { WorkerPool, WorkerSlot } from './worker-pool.js';

/** Failed answers in a row (e.g. `StoreError` `conflict`: the ticket stayed claimed) after which the client gives a message up. */
export const GIVE_UP_AFTER = 8;

/** One SIGKILL, or one SIGSTOP … SIGCONT, of the run. */
export interface Crash {
  kind: NemesisKind | 'kill-suspender';
  slot: string;
  instanceId: string | null;
  /** What triggered it: a tool call the worker reported (`tool:<result>`), `random`, or `suspender`. */
  trigger: string;
  /** The idempotency key of the tool call in progress, when a tool report triggered it. */
  key?: string;
  jobsInFlight: number;
  /** True when one of its jobs was answering a suspended procedure (likely resuming it, E6). */
  resuming: boolean;
  afterTurns: number;
}

/** What the driver observed, besides the acknowledgements. */
export interface DriverRecord {
  acknowledged: AcknowledgedMessage[];
  /** Distinct script messages acknowledged. */
  turns: number;
  /** Distinct script messages answered that their ticket was erased meanwhile (not acknowledged: nothing was applied). */
  erasedTurns: number;
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
  /** Messages whose `handle` answered that the ticket was erased meanwhile (P3). */
  erasedAnswers: AcknowledgedMessage[];
  /** Erasures and data-losing store restarts, with when they ran. */
  lifeEnds: LifeEnd[];
  /** Store restarts (with or without data loss). */
  restarts: number;
  /** Procedures resumed by another worker after the one that suspended them was killed. */
  resumedAfterKill: number;
  /**
   * Messages the client gave up on after {@link GIVE_UP_AFTER} failed answers in a row (the
   * ticket stayed claimed, or kept failing): never acknowledged; a known engine bug must
   * explain their ticket.
   */
  gaveUp: AcknowledgedMessage[];
  /** When worker instances stopped renewing claims (killed, frozen, stalled, cut off from the store, gave up on a ticket). */
  stops: InstanceStop[];
  /** Stalls the processes reported (their event loop did not run; see `watchStalls`): how many, the longest. */
  stalls: { count: number; longestMs: number };
}

/** After a freeze or a stall, the time a process gets to run its overdue claim renewal. */
const WAKE_GRACE_MS = 1_000;

/**
 * Feeds the workers: the tickets' scripts in order (sometimes two messages of one ticket at
 * once, from different workers), T7 probes, approvals for parked credits, erasures, and again
 * any job whose worker was killed or answered with an error — with the same `messageId`, like
 * a client retrying. Every ~`killEvery` acknowledged turns it SIGKILLs a worker in the middle
 * of an execution, every ~`pauseEvery` turns it freezes one past its lease (see
 * {@link Nemesis}), every ~`killSuspenderEvery` turns it kills the worker that last suspended
 * a procedure, and every ~`restartEvery` turns it restarts the store's server.
 */
export class ChaosDriver {
  readonly record: DriverRecord = {
    acknowledged: [],
    turns: 0,
    erasedTurns: 0,
    crashes: [],
    pauses: [],
    resent: 0,
    errors: {},
    approvals: { approved: 0, rejected: 0, refused: 0 },
    duplicatesAnswered: 0,
    unexpectedExits: [],
    erasedAnswers: [],
    lifeEnds: [],
    restarts: 0,
    resumedAfterKill: 0,
    gaveUp: [],
    stops: [],
    stalls: { count: 0, longestMs: 0 },
  };
  private readonly retries: { job: Job; notBefore: number }[] = [];
  private readonly approvals: Job[] = [];
  private readonly ackedIds = new Set<string>();
  private readonly erasedIds = new Set<string>();
  private readonly conflicts = new Map<string, number>();
  private readonly suspendedBy = new Map<string, string>();
  private readonly killed = new Set<string>();
  private nextJobId = 1;
  private inFlight = 0;
  private readonly nemesis: Nemesis;
  private due = { erase: 0, suspender: 0, restart: 0 };
  private restarting = false;
  /** Message jobs sent while their ticket's procedure waited for the customer: they likely resume it. */
  private readonly resumingJobs = new Set<number>();
  private readonly eraseStarted = new Map<number, number>();
  private settle: (() => void) | null = null;

  constructor(
    private readonly pool: WorkerPool,
    private readonly profile: ChaosProfile,
    private readonly random: SeededRandom,
    private readonly scheduler: TicketScheduler,
    private readonly restarter: StoreRestarter | null,
  ) {
    this.nemesis = new Nemesis(
      [
        { kind: 'kill', every: profile.killEvery, preferHangFor: profile.killPreferHangFor },
        // Frozen when a tool call starts, before the backend applied it: the call lands late.
        { kind: 'pause', every: profile.pauseEvery, preferHangFor: 0, triggers: ['started'] },
      ],
      random.fork(3),
      (slot) => [...slot.inFlight.values()].some((job) => job.kind === 'message' && this.scheduler.byId.get(job.ticketId)?.awaitingInput === true),
    );
    this.due = { erase: profile.eraseEvery, suspender: profile.killSuspenderEvery, restart: profile.restartEvery };
  }

  get ticketIds(): string[] {
    return this.scheduler.tickets.map((ticket) => ticket.id);
  }

  /** Runs the scripts to the end: every message answered, every approval decided, every erasure done. */
  runScripts(): Promise<void> {
    return new Promise((resolve) => {
      this.settle = resolve;
      this.pump();
    });
  }

  /** Tickets with messages in flight (to look at when a run does not finish). */
  get busyTickets(): string[] {
    return this.scheduler.tickets.filter((ticket) => ticket.open > 0 || ticket.erasing).map((ticket) => ticket.id);
  }

  /** What the driver waits for, for a run that did not finish in time. */
  describeWaiting(): string {
    const open = this.scheduler.tickets
      .filter((ticket) => ticket.next < ticket.script.length || ticket.open > 0 || ticket.erasing)
      .map(
        (ticket) =>
          `${ticket.id.slice(-4)}:${ticket.next}/${ticket.script.length}${ticket.open ? ` open ${ticket.open}` : ''}${ticket.erasing ? ' erasing' : ''}`,
      );
    const slots = this.pool.slots.map(
      (slot) =>
        `${slot.name}${slot.child ? '' : ' down'}${slot.paused ? ' paused' : ''} jobs ${[...slot.inFlight.values()].map((job) => `${job.kind}:${job.ticketId?.slice(-4) ?? ''}`).join(',')}`,
    );
    return `in flight ${this.inFlight}, retries ${this.retries.length}, approvals ${this.approvals.length}, restarting ${this.restarting}; tickets ${open.join(' ')}; workers ${slots.join('; ')}`;
  }

  /** No more strikes, erasures or restarts (the sweepers take over). */
  stopNemesis(): void {
    this.nemesis.stop();
  }

  onWorkerMessage(slot: WorkerSlot, message: WorkerMessage): void {
    if (message.type === 'tool') {
      if (slot.inFlight.size > 0 && slot.child !== null && !slot.paused) this.carryOut(this.nemesis.onToolReport(slot, message));
      return;
    }
    if (message.type === 'ready' || message.type === 'parked' || message.type === 'stalled') return;
    const job = this.pool.settle(slot, message.jobId);
    if (!job) return;
    this.inFlight -= 1;
    if (message.type === 'done') this.answered(slot, job, message.outcome);
    else this.answeredWithError(slot, job, message.error);
    this.pump();
  }

  /**
   * A worker or sweeper process whose event loop did not run for a while — frozen, not
   * scheduled, or blocked in a busy wait on the shared ledger's lock while a frozen process
   * held it — renewed no claim meanwhile: a stop, like a freeze.
   */
  onStall(slot: WorkerSlot, stall: { from: number; to: number }): void {
    this.record.stalls.count += 1;
    this.record.stalls.longestMs = Math.max(this.record.stalls.longestMs, Math.round(stall.to - stall.from));
    if (slot.instanceId) this.record.stops.push({ instance: slot.instanceId, from: stall.from, to: stall.to + WAKE_GRACE_MS });
  }

  onUnexpectedExit(slot: WorkerSlot, lost: Job[], detail: string): void {
    this.record.unexpectedExits.push(`${slot.name}: ${detail}`);
    this.inFlight -= lost.length;
    this.resend(lost);
  }

  /** Sends what can be sent; strikes when a strike is due and no tool report came in time. */
  pump(): void {
    this.carryOut(this.nemesis.onTick(this.pool.slots.filter((slot) => slot.inFlight.size > 0 && slot.child !== null && !slot.paused)));
    this.scheduledStrikes();
    while (this.inFlight < this.profile.concurrency && !this.restarting) {
      const worker = this.pool.leastLoaded();
      if (!worker) break;
      const job = this.nextJob(Date.now());
      if (!job) break;
      this.send(worker, job);
    }
    const idle = this.inFlight === 0 && this.retries.length === 0 && this.approvals.length === 0 && !this.restarting;
    if (this.settle && idle && this.scheduler.scriptsDone && this.scheduler.tickets.every((ticket) => !ticket.erasing)) {
      const done = this.settle;
      this.settle = null;
      done();
    }
  }

  private send(worker: WorkerSlot, job: Job): void {
    this.inFlight += 1;
    const sent = job.kind === 'message' ? { ...job, sentAt: Date.now() } : job;
    if (sent.kind === 'message' && this.scheduler.byId.get(sent.ticketId)?.awaitingInput) this.resumingJobs.add(sent.id);
    if (sent.kind === 'erase') this.eraseStarted.set(sent.id, Date.now());
    this.pool.send(worker, sent);
  }

  private nextJob(now: number): Job | null {
    const due = this.retries.findIndex((entry) => entry.notBefore <= now);
    if (due >= 0) return this.retries.splice(due, 1)[0]!.job;
    const approval = this.approvals.shift();
    if (approval) return approval;
    return this.scheduler.next(this.nextJobId++);
  }

  private answered(slot: WorkerSlot, job: Job, outcome: JobOutcome): void {
    if (job.kind === 'erase') return this.erased(job);
    if (job.kind === 'message') this.conflicts.delete(`${job.ticketId}\u0000${job.messageId}`);
    const ticket = this.scheduler.byId.get(job.ticketId!)!;
    if (job.kind === 'message') {
      if (outcome.action === 'erased') {
        this.scheduler.dropped(job, false);
        const id = `${job.ticketId}\u0000${job.messageId}`;
        if (job.purpose === 'script' && !this.ackedIds.has(id) && !this.erasedIds.has(id)) this.record.erasedTurns += 1;
        this.erasedIds.add(id);
        this.record.erasedAnswers.push({ ticketId: job.ticketId, messageId: job.messageId, sentAt: job.sentAt, ackedAt: Date.now() });
        return;
      }
      this.scheduler.answered(job, outcome.duplicate);
      this.acknowledge(slot, job, outcome);
    } else if (job.kind === 'approve' || job.kind === 'reject') {
      ticket.approvalOpen = false;
      this.record.approvals[job.kind === 'approve' ? 'approved' : 'rejected'] += 1;
    }
    ticket.awaitingInput = outcome.status === 'awaiting_input';
    if (outcome.status === 'awaiting_approval' && !ticket.approvalOpen) {
      ticket.approvalOpen = true;
      const kind = this.random.chance(this.profile.approveShare) ? 'approve' : 'reject';
      this.approvals.push({ id: this.nextJobId++, kind, ticketId: ticket.id, by: `supervisor-${slot.name}` });
    }
  }

  private acknowledge(slot: WorkerSlot, job: Extract<Job, { kind: 'message' }>, outcome: JobOutcome): void {
    if (!this.ackedIds.has(`${job.ticketId}\u0000${job.messageId}`) && job.purpose !== 'reuse') {
      this.ackedIds.add(`${job.ticketId}\u0000${job.messageId}`);
      this.record.acknowledged.push({ ticketId: job.ticketId, messageId: job.messageId, sentAt: job.sentAt, ackedAt: Date.now() });
      if (job.purpose !== 'resend') this.record.turns += 1;
    } else if (job.purpose === 'resend') {
      // A resend answered again: after an erasure it may start the new life (the checker keeps every acknowledgment).
      this.record.acknowledged.push({ ticketId: job.ticketId, messageId: job.messageId, sentAt: job.sentAt, ackedAt: Date.now() });
    }
    if (outcome.duplicate) this.record.duplicatesAnswered += 1;
    const suspender = this.suspendedBy.get(job.ticketId);
    if (suspender && this.killed.has(suspender) && slot.instanceId !== suspender && this.resumingJobs.has(job.id)) this.record.resumedAfterKill += 1;
    this.resumingJobs.delete(job.id);
    if (outcome.status === 'awaiting_input' && slot.instanceId) this.suspendedBy.set(job.ticketId, slot.instanceId);
    else if (outcome.status !== 'awaiting_input') this.suspendedBy.delete(job.ticketId);
    this.nemesis.arm(this.record.turns);
  }

  private erased(job: Extract<Job, { kind: 'erase' }>): void {
    const ticket = this.scheduler.byId.get(job.ticketId)!;
    ticket.erasing = false;
    ticket.approvalOpen = false;
    ticket.awaitingInput = false;
    this.record.lifeEnds.push({ ticketId: job.ticketId, cause: 'erase', startedAt: this.eraseStarted.get(job.id) ?? Date.now(), endedAt: Date.now() });
    this.scheduler.forgetLives([job.ticketId]);
  }

  private answeredWithError(slot: WorkerSlot, job: Job, error: { name: string; message: string; kind?: string; code?: string }): void {
    const label = `${error.name}${error.kind ? `:${error.kind}` : ''}`;
    this.record.errors[label] = (this.record.errors[label] ?? 0) + 1;
    // An operation that failed gave up its claim on the ticket (its commit's outcome may be unknown).
    if (error.name === 'StoreError' && error.kind !== 'conflict' && slot.instanceId && job.ticketId !== undefined) {
      this.record.stops.push({
        instance: slot.instanceId,
        from: (job.kind === 'message' ? job.sentAt : undefined) ?? Date.now() - 60_000,
        to: null,
        ticketId: job.ticketId,
      });
    }
    if ((job.kind === 'approve' || job.kind === 'reject') && error.name === 'TicketStateError') {
      // Decided already, expired, or the execution was recovered after a crash: nothing waits any more.
      this.scheduler.byId.get(job.ticketId)!.approvalOpen = false;
      this.record.approvals.refused += 1;
      return;
    }
    if (job.kind === 'message' && job.purpose === 'reuse' && error.code === 'message_id_reused') {
      this.scheduler.dropped(job, true);
      return;
    }
    if (job.kind === 'message') {
      const id = `${job.ticketId}\u0000${job.messageId}`;
      const conflicts = (this.conflicts.get(id) ?? 0) + 1;
      this.conflicts.set(id, conflicts);
      if (conflicts >= GIVE_UP_AFTER) {
        this.scheduler.dropped(job, false);
        this.record.gaveUp.push({
          ticketId: job.ticketId,
          messageId: job.messageId,
          ...(job.sentAt !== undefined ? { sentAt: job.sentAt } : {}),
          ackedAt: Date.now(),
        });
        return;
      }
    }
    if (error.name === 'InvalidArgumentError' || error.name === 'ConfigurationError') {
      this.record.errors[`${label} (not retried): ${error.message.slice(0, 120)}`] = 1;
      if (job.kind === 'message') this.scheduler.dropped(job, false);
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

  /** Erasures, kills of a procedure's suspender, and store restarts, each due every so many turns. */
  private scheduledStrikes(): void {
    const turns = this.record.turns;
    if (!this.nemesisActive) return;
    if (this.profile.eraseEvery > 0 && turns >= this.due.erase) {
      this.due.erase += this.profile.eraseEvery;
      this.startErasure();
    }
    if (this.profile.killSuspenderEvery > 0 && turns >= this.due.suspender) {
      this.due.suspender += this.profile.killSuspenderEvery;
      this.killSuspender();
    }
    if (this.restarter && this.profile.restartEvery > 0 && turns >= this.due.restart && !this.restarting) {
      this.due.restart += this.profile.restartEvery;
      void this.restartStore(this.restarter);
    }
  }

  private get nemesisActive(): boolean {
    return this.nemesis.active;
  }

  /** P3: erases a ticket — preferably one with a message in flight, so the erasure races a turn — whose id then lives on. */
  private startErasure(): void {
    const candidates = this.scheduler.tickets.filter((ticket) => !ticket.erasing && ticket.acknowledged.length > 0 && ticket.next < ticket.script.length);
    const busy = candidates.filter((ticket) => ticket.open > 0);
    const pool = busy.length > 0 ? busy : candidates;
    if (pool.length === 0) return;
    const ticket = this.random.pick(pool);
    ticket.erasing = true;
    this.retries.push({ job: { id: this.nextJobId++, kind: 'erase', ticketId: ticket.id }, notBefore: 0 });
  }

  /** E6: kills the worker that last left a procedure waiting for the customer; another one resumes it. */
  private killSuspender(): void {
    const suspenders = new Set(this.suspendedBy.values());
    const slot = this.pool.slots.find(
      (candidate) => candidate.instanceId !== null && suspenders.has(candidate.instanceId) && candidate.child !== null && !candidate.paused,
    );
    if (slot) this.carryOut({ kind: 'kill', slot, trigger: 'suspender' });
  }

  /** Restarts the store's server while turns run; a restart that loses the data ends every ticket's life. */
  private async restartStore(restarter: StoreRestarter): Promise<void> {
    this.restarting = true;
    const startedAt = Date.now();
    try {
      await restarter.restart();
      this.record.restarts += 1;
      if (restarter.losesData) {
        this.record.lifeEnds.push({ ticketId: '*', cause: 'restart', startedAt, endedAt: Date.now() });
        this.scheduler.forgetLives(this.ticketIds);
        for (const ticket of this.scheduler.tickets) ticket.awaitingInput = false;
      }
      // Every connection was cut: no instance could renew its claims until it reconnected.
      const to = Date.now() + 2 * this.profile.agent.leaseMs;
      for (const slot of this.pool.slots) if (slot.instanceId) this.record.stops.push({ instance: slot.instanceId, from: startedAt, to });
    } finally {
      this.restarting = false;
    }
  }

  private carryOut(strike: Strike | null): void {
    if (!strike) return;
    const { slot } = strike;
    const resuming = [...slot.inFlight.keys()].some((id) => this.resumingJobs.has(id));
    const kind = strike.trigger === 'suspender' ? 'kill-suspender' : strike.kind;
    const record: Crash = {
      kind,
      slot: slot.name,
      instanceId: slot.instanceId,
      trigger: strike.trigger,
      jobsInFlight: slot.inFlight.size,
      resuming,
      afterTurns: this.record.turns,
      ...(strike.key ? { key: strike.key } : {}),
    };
    const now = Date.now();
    if (strike.kind === 'pause') {
      // Frozen past its lease; a takeover may land until shortly after it wakes up.
      if (slot.instanceId) this.record.stops.push({ instance: slot.instanceId, from: now, to: now + this.profile.pauseMs + WAKE_GRACE_MS });
      this.record.pauses.push(record);
      this.pool.pause(slot, this.profile.pauseMs);
      return;
    }
    this.record.crashes.push(record);
    if (slot.instanceId) {
      this.killed.add(slot.instanceId);
      this.record.stops.push({ instance: slot.instanceId, from: now, to: null });
    }
    const lost = this.pool.kill(slot);
    this.inFlight -= lost.length;
    this.resend(lost);
  }
}
