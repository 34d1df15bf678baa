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
  config: (slot: string, incarnation: number) => WorkerConfig;
  onMessage: (slot: WorkerSlot, message: WorkerMessage) => void;
  /** A process that exited without being killed or stopped by the pool (its jobs are returned). */
  onUnexpectedExit: (slot: WorkerSlot, lostJobs: Job[], detail: string) => void;
}

/** Every process any pool started and that has not exited: killed by {@link killAllWorkers}. */
const live = new Set<ChildProcess>();

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
    this.slots = Array.from({ length: options.size }, (_unused, index) => ({ name: `w${index + 1}`, incarnation: 0, instanceId: null, child: null, inFlight: new Map(), stderr: '', paused: false }));
  }

  /** Starts every slot and waits until all are ready. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.spawn(slot)));
  }

  /** A ready worker with the fewest jobs in flight, or null. */
  leastLoaded(): WorkerSlot | null {
    let best: WorkerSlot | null = null;
    for (const slot of this.slots) {
      if (slot.instanceId === null || slot.child === null) continue;
      if (best === null || slot.inFlight.size < best.inFlight.size) best = slot;
    }
    return best;
  }

  send(slot: WorkerSlot, job: Job): void {
    slot.inFlight.set(job.id, job);
    slot.child!.send({ type: 'job', job });
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

  /** Asks every worker to stop, then kills those that did not within `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        slot.child = null;
        slot.instanceId = null;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.removeAllListeners('exit');
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGCONT');
        if (child.connected) child.send({ type: 'stop' });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
        live.delete(child);
      }),
    );
  }

  private spawn(slot: WorkerSlot): Promise<void> {
    slot.incarnation += 1;
    const config = this.options.config(slot.name, slot.incarnation);
    const child = fork(WORKER_ENTRY, [JSON.stringify(config)], { cwd: PACKAGE_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    live.add(child);
    slot.child = child;
    slot.stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderr = (slot.stderr + chunk.toString()).slice(-4_000);
    });
    return new Promise((resolve) => {
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          slot.instanceId = message.instanceId;
          resolve();
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
        this.options.onUnexpectedExit(slot, lost, `exit code ${code} signal ${signal}; stderr: ${slot.stderr.slice(-1_000)}`);
        if (!this.stopped && this.unexpectedExits <= 5) void this.spawn(slot);
      });
    });
  }
}

/** Kills every worker process still alive (for `afterAll`, even after a failure). */
export function killAllWorkers(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}
