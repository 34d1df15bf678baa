import type { StoreConfig } from '@ticketflow/example-telecom-support';
import type { ToolFaultKind } from '../faults/tool-fault-plan.js';

/** The agent a chaos worker runs: the telecom example's, or the procedures domain's (`ctx.ask`, parallel and caught calls). */
export type ChaosDomain = 'telecom' | 'procedures';

/** Agent options a profile sets for every worker process. */
export interface WorkerAgentSettings {
  leaseMs: number;
  llmTimeoutMs: number;
  toolTimeoutMs: number;
  backendLatencyMs: readonly [number, number];
  /** T7: recent results kept in the document; older resends are found through the event log. */
  messageIdWindow?: number;
  /** E6, E7: procedures waiting longer are left by the sweeper. */
  inputTimeoutMs?: number;
  /** E7: approvals waiting longer are expired by the sweeper. */
  approvalTimeoutMs?: number;
}

/** What one chaos worker process runs with (passed as JSON in its first argument). */
export interface WorkerConfig {
  /** The slot this process fills (`w1`…, sweepers `s1`…); a restarted slot gets a new incarnation. */
  slot: string;
  incarnation: number;
  /** Seeds this process's faults. */
  seed: number;
  domain: ChaosDomain;
  store: StoreConfig;
  namespace: string;
  /** The shared backend's ledger file. */
  ledgerFile: string;
  /** Added to the wall clock the agent sees (its `now` option): a machine whose clock is off. */
  clockSkewMs: number;
  faults: { llmRate: number; toolRate: number; toolKinds: readonly ToolFaultKind[]; undoRate: number };
  agent: WorkerAgentSettings;
}

/** A customer message, a supervisor's verdict, a sweep (`agent.recover`) or an erasure (`agent.erase`). */
export type Job =
  | {
      id: number;
      kind: 'message';
      ticketId: string;
      message: string;
      messageId: string;
      sentAt?: number;
      purpose?: JobPurpose;
      /** A reuse probe: the life of its ticket it was made in (see `TicketState.life`). */
      life?: number;
    }
  | { id: number; kind: 'approve' | 'reject'; ticketId: string; by: string }
  | { id: number; kind: 'recover'; ticketId?: undefined; limit: number }
  | { id: number; kind: 'erase'; ticketId: string };

/** Why a message job was sent: the next script line (default), an old `messageId` sent again (T7), or one reused with another text. */
export type JobPurpose = 'script' | 'resend' | 'reuse';

/**
 * What the driver sends a worker: a job; `park` (close the run's store and ledger, answer
 * `parked`, wait); `configure` (start the next run's agent, answer `ready`); `stop` (exit).
 */
export type DriverMessage = { type: 'job'; job: Job } | { type: 'park' } | { type: 'configure'; config: WorkerConfig } | { type: 'stop' };

/** What `agent.recover()` did, plus the census after it. */
export interface SweepOutcome {
  recovered: number;
  approvalsExpired: number;
  inputsExpired: number;
  live: number;
  /** Tickets still `executing` after the sweep (listed). */
  executing: number;
  /** Tickets waiting for the customer's answer after the sweep. */
  awaitingInput: number;
}

/** The answer to a job that completed (the job is then acknowledged). */
export interface JobOutcome {
  action: string;
  outcome?: string;
  workflow?: string;
  status: string;
  duplicate: boolean;
  version: number;
  sweep?: SweepOutcome;
}

/** What a worker sends the driver. */
export type WorkerMessage =
  | { type: 'ready'; instanceId: string }
  | { type: 'parked' }
  | { type: 'done'; jobId: number; outcome: JobOutcome }
  | { type: 'failed'; jobId: number; error: { name: string; message: string; kind?: string; code?: string } }
  /**
   * A backend call of this worker, when it starts (`result: 'started'`) and when it ended
   * (`ok`, `replayed`, `failed`, `hung`): the driver strikes workers in the middle of an execution.
   */
  | { type: 'tool'; operation: string; key: string; result: string }
  /**
   * This process's event loop did not run from `from` to `to` (real time, ms): frozen, not
   * scheduled, or blocked in a synchronous call. It could renew no claim meanwhile.
   */
  | { type: 'stalled'; from: number; to: number };
