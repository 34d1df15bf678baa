import type { SeededRandom } from '../faults/seeded-random.js';
import type { WorkerMessage } from '../worker/worker-protocol.js';
import type { WorkerSlot } from './worker-pool.js';

/** What the nemesis does to a worker: kill it (SIGKILL), or freeze it past its lease (SIGSTOP … SIGCONT). */
export type NemesisKind = 'kill' | 'pause';

/** How often one kind of strike comes. */
export interface NemesisSchedule {
  kind: NemesisKind;
  /** Acknowledged turns between two strikes (jittered ±20 %); 0: never. */
  every: number;
  /** Tool reports to wait for a hanging call before any tool call will do. */
  preferHangFor: number;
  /** Only these tool reports trigger it (default: any result but `replayed`). */
  triggers?: readonly string[];
}

/** A strike the driver carries out. */
export interface Strike {
  kind: NemesisKind;
  slot: WorkerSlot;
  /** `tool:<result>` when a tool report triggered it, else `random`. */
  trigger: string;
  /** The idempotency key of the tool call in progress, when known. */
  key?: string;
}

interface Armed extends NemesisSchedule {
  nextAt: number;
  armedSince: number | null;
  reports: number;
}

/** After this long without a suitable tool report, a due strike hits a random busy worker. */
const STRIKE_ANYWAY_MS = 2_500;

/**
 * Decides when and whom to strike, Jepsen-style: every ~`every` acknowledged turns a strike
 * of each kind is armed; it hits the next worker that reports a hanging tool call (or,
 * after `preferHangFor` reports, any tool call): a worker in the middle of an execution.
 */
export class Nemesis {
  private readonly schedules: Armed[];
  private isActive = true;

  /**
   * @param preferSlot a worker a strike prefers: a tool report of such a worker triggers a due
   * strike at once (e.g. one resuming a suspended procedure).
   */
  constructor(
    schedules: readonly NemesisSchedule[],
    private readonly random: SeededRandom,
    private readonly preferSlot: (slot: WorkerSlot) => boolean = () => false,
  ) {
    this.schedules = schedules.filter((schedule) => schedule.every > 0).map((schedule) => ({ ...schedule, nextAt: 0, armedSince: null, reports: 0 }));
    for (const schedule of this.schedules) schedule.nextAt = this.interval(schedule);
  }

  /** Arms the strikes that are due after `turns` acknowledged turns. */
  arm(turns: number): void {
    if (!this.isActive) return;
    for (const schedule of this.schedules) if (schedule.armedSince === null && turns >= schedule.nextAt) schedule.armedSince = Date.now();
  }

  /** A worker with jobs in flight reported a tool call: the strike this triggers, if any. */
  onToolReport(slot: WorkerSlot, report: Extract<WorkerMessage, { type: 'tool' }>): Strike | null {
    for (const schedule of this.schedules) {
      if (schedule.armedSince === null) continue;
      schedule.reports += 1;
      const fits = schedule.triggers ? schedule.triggers.includes(report.result) : report.result !== 'replayed' && report.result !== 'started';
      if (!fits) continue;
      if (report.result === 'hung' || schedule.reports > schedule.preferHangFor || this.preferSlot(slot)) {
        return this.strike(schedule, { kind: schedule.kind, slot, trigger: `tool:${report.result}`, key: report.key });
      }
    }
    return null;
  }

  /** A due strike that waited too long for a tool report hits a random busy worker. */
  onTick(busy: readonly WorkerSlot[]): Strike | null {
    for (const schedule of this.schedules) {
      if (schedule.armedSince === null || Date.now() - schedule.armedSince < STRIKE_ANYWAY_MS || busy.length === 0) continue;
      return this.strike(schedule, { kind: schedule.kind, slot: this.random.pick(busy), trigger: 'random' });
    }
    return null;
  }

  /** False once stopped. */
  get active(): boolean {
    return this.isActive;
  }

  /** No more strikes (the sweepers take over). */
  stop(): void {
    this.isActive = false;
    for (const schedule of this.schedules) schedule.armedSince = null;
  }

  private strike(schedule: Armed, strike: Strike): Strike {
    schedule.armedSince = null;
    schedule.reports = 0;
    schedule.nextAt += this.interval(schedule);
    return strike;
  }

  private interval(schedule: NemesisSchedule): number {
    return Math.max(1, Math.round(schedule.every * (0.8 + 0.4 * this.random.next())));
  }
}
