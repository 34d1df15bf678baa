import type { StoreConfig } from '@ticketflow/example-telecom-support';
import type { ToolFaultKind } from '../faults/tool-fault-plan.js';

/** What one chaos worker process runs with (passed as JSON in its first argument). */
export interface WorkerConfig {
  /** The slot this process fills (`w1`…`w4`); a restarted slot gets a new incarnation. */
  slot: string;
  incarnation: number;
  /** Seeds this process's faults. */
  seed: number;
  store: StoreConfig;
  namespace: string;
  /** The shared backend's ledger file. */
  ledgerFile: string;
  faults: { llmRate: number; toolRate: number; toolKinds: readonly ToolFaultKind[]; undoRate: number };
  agent: { leaseMs: number; llmTimeoutMs: number; toolTimeoutMs: number; backendLatencyMs: readonly [number, number] };
}

/** A customer message, or a supervisor's verdict on a pending approval. */
export type Job =
  | { id: number; kind: 'message'; ticketId: string; message: string; messageId: string }
  | { id: number; kind: 'approve' | 'reject'; ticketId: string; by: string };

/** What the driver sends a worker. */
export type DriverMessage = { type: 'job'; job: Job } | { type: 'stop' };

/** The answer to a job that the agent completed (the job is then acknowledged). */
export interface JobOutcome {
  action: string;
  outcome?: string;
  status: string;
  duplicate: boolean;
  version: number;
}

/** What a worker sends the driver. */
export type WorkerMessage =
  | { type: 'ready'; instanceId: string }
  | { type: 'done'; jobId: number; outcome: JobOutcome }
  | { type: 'failed'; jobId: number; error: { name: string; message: string; kind?: string } }
  /**
   * A backend call of this worker, when it starts (`result: 'started'`) and when it ended
   * (`ok`, `replayed`, `failed`, `hung`): the driver strikes workers in the middle of an execution.
   */
  | { type: 'tool'; operation: string; key: string; result: string };
