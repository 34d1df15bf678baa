import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, WorkerConfig, WorkerMessage } from '../worker/worker-protocol.js';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/chaos-worker.ts', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One worker process slot: restarted with a new incarnation after each kill. */
export interface WorkerSlot {
  name: string;
  incarnation: number;
  instanceId: string | null;
  child: ChildProcess | null;
  /** Jobs sent to the current process and not answered yet. */
  inFlight: Map<number, Job>;
  /** The last lines the process wrote to stderr (for diagnostics). */
  stderr: string;
  /** True while the process is frozen (SIGSTOP). */
  paused: boolean;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  /** Slot names are `<prefix>1`, `<prefix>2`… Default `w`. */
  prefix?: string;
  config: (slot: string, incarnation: number) => WorkerConfig;
  onMessage: (slot: WorkerSlot, message: WorkerMessage) => void;
  /** The slot's process reported that its event loop did not run for a while (see `watchStalls`). */
  onStall?: (slot: WorkerSlot, stall: { from: number; to: number }) => void;
  /** A process that exited without being killed or stopped by the pool (its jobs are returned). */
  onUnexpectedExit: (slot: WorkerSlot, lostJobs: Job[], detail: string) => void;
}

/** Every process any pool started and that has not exited: killed by {@link killAllWorkers}. */
const live = new Set<ChildProcess>();

/**
 * Idle worker processes of finished runs, by slot name: the next run's pool configures them
 * instead of starting new ones (a process start costs seconds of CPU on a busy machine).
 */
const parked = new Map<string, ChildProcess>();

/**
 * The worker processes of a chaos run (`node --import tsx chaos-worker.ts`). Jobs go to
 * the least loaded ready worker; {@link kill} sends SIGKILL and hands back the jobs that
 * were in flight (the driver sends them again, like a client retrying).
 */
export class WorkerPool {
  readonly slots: WorkerSlot[];
  /** Exits the pool did not cause; past 5 a slot is no longer restarted (a worker that cannot start). */
  unexpectedExits = 0;
  private stopped = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.size }, (_unused, index) => ({
      name: `${options.prefix ?? 'w'}${index + 1}`,
      incarnation: 0,
      instanceId: null,
      child: null,
      inFlight: new Map(),
      stderr: '',
      paused: false,
    }));
  }

  /** Starts every slot and waits until all are ready. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.spawn(slot)));
  }

  /** A ready worker with the fewest jobs in flight, or null. */
  leastLoaded(): WorkerSlot | null {
    let best: WorkerSlot | null = null;
    for (const slot of this.slots) {
      if (slot.instanceId === null || slot.child === null || !slot.child.connected) continue;
      if (best === null || slot.inFlight.size < best.inFlight.size) best = slot;
    }
    return best;
  }

  /**
   * Sends a job. A process whose channel just closed (it is exiting) keeps the job in flight:
   * its exit hands it back through `onUnexpectedExit`, to be sent again.
   */
  send(slot: WorkerSlot, job: Job): void {
    slot.inFlight.set(job.id, job);
    const child = slot.child;
    if (child?.connected) child.send({ type: 'job', job }, (error) => error && undefined);
  }

  /** Marks a job answered; returns it (undefined for an answer of a killed process). */
  settle(slot: WorkerSlot, jobId: number): Job | undefined {
    const job = slot.inFlight.get(jobId);
    slot.inFlight.delete(jobId);
    return job;
  }

  /**
   * Freezes a worker (SIGSTOP) for `ms`, then lets it go on (SIGCONT): a stop-the-world
   * pause, a VM migration, a laptop lid. Its jobs stay in flight; others may take over its
   * claims meanwhile, and it wakes up not knowing.
   */
  pause(slot: WorkerSlot, ms: number): void {
    const child = slot.child;
    if (!child || slot.paused) return;
    slot.paused = true;
    child.kill('SIGSTOP');
    setTimeout(() => {
      slot.paused = false;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
    }, ms);
  }

  /** Kills a worker with SIGKILL, restarts its slot, and returns the jobs it had in flight. */
  kill(slot: WorkerSlot): Job[] {
    const child = slot.child;
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    slot.child = null;
    slot.instanceId = null;
    slot.paused = false;
    if (child) {
      child.removeAllListeners('message');
      child.removeAllListeners('exit');
      child.once('exit', () => live.delete(child));
      child.kill('SIGKILL');
    }
    if (!this.stopped) void this.spawn(slot);
    return lost;
  }

  /**
   * Parks every worker: it closes its store and ledger and waits, idle, for the next run's
   * configuration; one that does not confirm within `timeoutMs` is killed.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        slot.child = null;
        slot.instanceId = null;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.removeAllListeners('exit');
        child.removeAllListeners('message');
        child.kill('SIGCONT');
        const confirmed = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), timeoutMs);
          child.once('exit', () => resolve(false));
          child.on('message', (message: WorkerMessage) => {
            if (message.type !== 'parked') return;
            clearTimeout(timer);
            resolve(true);
          });
          if (child.connected) child.send({ type: 'park' });
        });
        child.removeAllListeners('message');
        child.removeAllListeners('exit');
        if (confirmed && child.connected) {
          child.once('exit', () => {
            live.delete(child);
            if (parked.get(slot.name) === child) parked.delete(slot.name);
          });
          parked.set(slot.name, child);
          return;
        }
        const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
        child.kill('SIGKILL');
        await exited;
        live.delete(child);
      }),
    );
  }

  /** Starts (or configures a parked) process for the slot; resolves once it is ready. */
  private spawn(slot: WorkerSlot): Promise<void> {
    slot.incarnation += 1;
    const config = this.options.config(slot.name, slot.incarnation);
    const reused = parked.get(slot.name);
    parked.delete(slot.name);
    const child =
      reused && reused.connected
        ? reused
        : fork(WORKER_ENTRY, [JSON.stringify(config)], { cwd: PACKAGE_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    reused?.removeAllListeners('exit');
    live.add(child);
    slot.child = child;
    slot.stderr = '';
    child.stderr?.removeAllListeners('data');
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-4_000);
    });
    if (child === reused) child.send({ type: 'configure', config });
    return new Promise((resolve) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          slot.instanceId = message.instanceId;
          resolve();
          return;
        }
        if (message.type === 'stalled') {
          this.options.onStall?.(slot, message);
          return;
        }
        this.options.onMessage(slot, message);
      });
      child.once('exit', (code, signal) => {
        live.delete(child);
        if (slot.child !== child) return;
        const lost = [...slot.inFlight.values()];
        slot.inFlight.clear();
        slot.child = null;
        slot.instanceId = null;
        resolve();
        this.unexpectedExits += 1;
        this.options.onUnexpectedExit(slot, lost, `exit code ${code} signal ${signal}; stderr: ${slot.stderr.slice(-3_000)}`);
        if (!this.stopped && this.unexpectedExits <= 5) void this.spawn(slot);
      });
    });
  }
}

/** Kills every worker process still alive, parked ones included (for `afterAll`, even after a failure). */
export function killAllWorkers(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
  parked.clear();
}
