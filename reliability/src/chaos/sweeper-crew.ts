import type { Job, SweepOutcome, WorkerMessage } from '../worker/worker-protocol.js';
import type { WorkerPool, WorkerSlot } from './worker-pool.js';

/** What the sweepers did in a run. */
export interface SweepRecord {
  /** `agent.recover()` calls during the run (periodic, like the example's `serve`). */
  duringRun: number;
  /** Calls after the scripts, until nothing was left. */
  final: number;
  /** Rounds of the final sweep (all sweepers at once). */
  finalRounds: number;
  recovered: number;
  approvalsExpired: number;
  inputsExpired: number;
  /** Of those, by the final sweep (without any customer message). */
  recoveredAtEnd: number;
  inputsExpiredAtEnd: number;
  /** Sweeps that failed (e.g. the store restarting), by error name. */
  errors: Record<string, number>;
  /** The census after the last round. */
  left: { executing: number; awaitingInput: number };
}

const LIMIT = 100;

/**
 * The sweeper processes of a run: each runs `agent.recover()` (E7) on its own clock. During the
 * run they sweep every `everyMs`, racing the workers and each other; after the scripts, every
 * sweeper sweeps at once, round after round, until a round recovers and expires nothing and
 * finds nothing executing — the sweeper alone settles the run, with no customer message.
 */
export class SweeperCrew {
  readonly record: SweepRecord = {
    duringRun: 0,
    final: 0,
    finalRounds: 0,
    recovered: 0,
    approvalsExpired: 0,
    inputsExpired: 0,
    recoveredAtEnd: 0,
    inputsExpiredAtEnd: 0,
    errors: {},
    left: { executing: 0, awaitingInput: 0 },
  };
  private nextJobId = 1;
  private readonly waiting = new Map<number, (answer: SweepOutcome | null) => void>();
  private timer: NodeJS.Timeout | null = null;
  private finalPhase = false;
  /** Sweeps sent and not answered yet. */
  private readonly inFlight = new Set<Promise<SweepOutcome | null>>();

  constructor(private readonly pool: WorkerPool) {}

  /** Handles a sweeper process's message. */
  onMessage(slot: WorkerSlot, message: WorkerMessage): void {
    if (message.type !== 'done' && message.type !== 'failed') return;
    if (!this.pool.settle(slot, message.jobId)) return;
    const resolve = this.waiting.get(message.jobId);
    this.waiting.delete(message.jobId);
    if (message.type === 'failed') this.record.errors[message.error.name] = (this.record.errors[message.error.name] ?? 0) + 1;
    resolve?.(message.type === 'done' ? (message.outcome.sweep ?? null) : null);
  }

  /** A sweeper that died mid-sweep: its sweep counts as failed. */
  onExit(lost: Job[]): void {
    for (const job of lost) {
      this.waiting.get(job.id)?.(null);
      this.waiting.delete(job.id);
    }
  }

  /** Sweeps every `everyMs` on one idle sweeper at a time (0: never during the run). */
  startPeriodic(everyMs: number): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => {
      const idle = this.pool.slots.find((slot) => slot.child !== null && slot.instanceId !== null && slot.inFlight.size === 0);
      if (idle) void this.sweepOn(idle);
    }, everyMs);
  }

  stopPeriodic(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every sweeper at once, round after round, until nothing is left; rejects past `deadlineMs`. */
  async sweepUntilSettled(deadlineMs: number): Promise<void> {
    this.stopPeriodic();
    const until = Date.now() + deadlineMs;
    // A periodic sweep still running may be expiring inputs: its answer must be counted before
    // the final rounds can call the run settled (and the pool parks the sweepers).
    await Promise.race([Promise.all(this.inFlight), new Promise((resolve) => setTimeout(resolve, deadlineMs / 2).unref())]);
    this.finalPhase = true;
    while (Date.now() < until) {
      this.record.finalRounds += 1;
      const ready = this.pool.slots.filter((slot) => slot.child !== null && slot.instanceId !== null);
      const outcomes = await Promise.all(ready.map((slot) => this.sweepOn(slot)));
      const answered = outcomes.filter((outcome): outcome is SweepOutcome => outcome !== null);
      const quiet =
        answered.length > 0 &&
        answered.every((outcome) => outcome.recovered + outcome.approvalsExpired + outcome.inputsExpired + outcome.live + outcome.executing === 0);
      const last = answered.at(-1);
      if (last) this.record.left = { executing: last.executing, awaitingInput: last.awaitingInput };
      if (quiet) return;
      if (answered.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the sweepers did not settle the run within ${deadlineMs} ms (left: ${JSON.stringify(this.record.left)})`);
  }

  private sweepOn(slot: WorkerSlot): Promise<SweepOutcome | null> {
    const job: Job = { id: this.nextJobId++, kind: 'recover', limit: LIMIT };
    const atEnd = this.finalPhase;
    const sweep = new Promise<SweepOutcome | null>((resolve) => {
      this.waiting.set(job.id, resolve);
      this.pool.send(slot, job);
    }).then((outcome) => {
      this.inFlight.delete(sweep);
      if (atEnd) this.record.final += 1;
      else this.record.duringRun += 1;
      if (outcome) this.count(outcome, atEnd);
      return outcome;
    });
    this.inFlight.add(sweep);
    return sweep;
  }

  private count(outcome: SweepOutcome, atEnd: boolean): void {
    this.record.recovered += outcome.recovered;
    this.record.approvalsExpired += outcome.approvalsExpired;
    this.record.inputsExpired += outcome.inputsExpired;
    if (atEnd) {
      this.record.recoveredAtEnd += outcome.recovered;
      this.record.inputsExpiredAtEnd += outcome.inputsExpired;
    }
  }
}
