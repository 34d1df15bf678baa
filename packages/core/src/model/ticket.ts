import type { Action } from './action.js';

/**
 * The lifecycle statuses of a ticket. Changes go through the xstate machine in
 * `lifecycle/` only.
 *
 * - `open`: created, nothing decided yet;
 * - `collecting`: an intent or slot is being asked for;
 * - `awaiting_confirmation`: a `confirm: true` workflow waits for a yes or a no;
 * - `executing`: a workflow runs; the ticket carries a claim with a lease;
 * - `awaiting_approval`: a tool step waits for `agent.approve` / `agent.reject`;
 * - `resolved`, `escalated`: the last workflow finished with that outcome;
 * - `needs_human`: an execution failed and a compensation failed too; a person must look;
 * - `closed`: a human rejected the pending execution.
 *
 * A workflow failure that was compensated cleanly returns the ticket to the status it
 * had at the checkpoint (T4), so there is no separate "failed" status.
 */
export type TicketStatus =
  | 'open'
  | 'collecting'
  | 'awaiting_confirmation'
  | 'executing'
  | 'awaiting_approval'
  | 'resolved'
  | 'escalated'
  | 'needs_human'
  | 'closed';

/** Where a slot value came from. */
export type SlotSource = 'user' | 'inferred' | 'tool';

/** A known slot value and its provenance. */
export interface SlotValue {
  /** The value, as parsed by the slot's schema. */
  value: unknown;
  /** `user`: stated by the user; `inferred`: derived by the slot's `infer`; `tool`: set by a workflow. */
  source: SlotSource;
  /** The turn that set it. */
  turn: number;
  /** For inferred values: the slots it was derived from. */
  from?: string[];
  /** True once a `confirm: true` workflow ran with it (DESIGN S3): a new intent does not reuse it. */
  spent?: boolean;
}

/** One line of the conversation. */
export interface TranscriptEntry {
  role: 'user' | 'agent';
  text: string;
  /** ISO time. */
  at: string;
  /** The turn it belongs to. */
  turn: number;
  /** The caller's `messageId`, for user entries that had one. */
  messageId?: string;
  /** False when the message was kept but not acted on (LLM outage, failed or interrupted execution). */
  actedOn?: boolean;
}

/** The last outcome of a workflow on this ticket, used by E2a (no re-run without a change). */
export interface WorkflowOutcomeRecord {
  outcome: 'resolved' | 'escalated' | 'failed' | 'cancelled' | 'rejected';
  turn: number;
  /** The required values it ran (or was refused) with. */
  values: Record<string, unknown>;
}

/** One journaled tool call of an execution (write-ahead: written before the tool runs). */
export interface ExecutionStep {
  index: number;
  tool: string;
  /** The idempotency key given to the tool (and to its compensation). */
  key: string;
  input: unknown;
  state: 'started' | 'completed' | 'awaiting_approval' | 'approved';
  output?: unknown;
  attempts: number;
  approval?: { by: string; note?: string; at: string };
}

/** An execution in flight (or parked awaiting approval). Absent when none is. */
export interface ExecutionRecord {
  id: string;
  workflow: string;
  turn: number;
  /** The agent instance holding the claim. */
  owner: string;
  /** Epoch ms after which another worker may take over; null while parked for approval. */
  leaseExpiresAt: number | null;
  /** The status to restore if the execution is rolled back (the checkpoint's status). */
  resumeStatus: TicketStatus;
  /** The `messageId` of the turn that started it. */
  messageId: string | null;
  steps: ExecutionStep[];
}

/** The recorded result of a processed `messageId` (T7). */
export interface ProcessedMessage {
  messageId: string;
  turn: number;
  reply: string;
  action: Action;
  decision: DecisionRecord | null;
}

/** The decision of a turn, as recorded. */
export interface DecisionRecord {
  intent: string | null;
  confidence: number;
  entities: Record<string, unknown>;
}

/** Accumulated LLM usage of a ticket. */
export interface TicketUsage {
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Estimated cost from the agent's `llmPrices`, in the prices' currency. */
  estimatedCost: number;
}

/** The question the agent asked last; the next message likely answers it. */
export interface PendingQuestion {
  slot: string;
  workflow: string | null;
}

/** The values a `confirm: true` workflow will act on, as restated in its question. */
export interface PendingConfirmation {
  workflow: string;
  values: Record<string, unknown>;
}

/** Current version of {@link TicketDoc}; older documents are upgraded on load. */
export const TICKET_SCHEMA_VERSION = 1;

/**
 * The stored ticket document: plain JSON, committed whole with its events (T3).
 * Its size is bounded: the transcript keeps a window of the latest entries and the
 * full history lives in the event log.
 */
export interface TicketDoc {
  schemaVersion: number;
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Number of user turns processed so far. */
  turn: number;
  status: TicketStatus;
  intent: string | null;
  workflow: string | null;
  slots: Record<string, SlotValue>;
  /** Optional slots skipped by the last optimistic execution (E2). */
  deferred: string[];
  pending: PendingQuestion | null;
  confirmation: PendingConfirmation | null;
  outcomes: Record<string, WorkflowOutcomeRecord>;
  transcript: TranscriptEntry[];
  processed: ProcessedMessage[];
  execution: ExecutionRecord | null;
  usage: TicketUsage;
}

/**
 * What `agent.getTicket` returns: the ticket without engine bookkeeping, plus its version.
 */
export interface TicketView {
  id: string;
  version: number;
  status: TicketStatus;
  intent: string | null;
  workflow: string | null;
  slots: Record<string, SlotValue>;
  deferred: string[];
  transcript: TranscriptEntry[];
  turn: number;
  createdAt: string;
  updatedAt: string;
  pending: PendingQuestion | null;
  confirmation: PendingConfirmation | null;
  outcomes: Record<string, WorkflowOutcomeRecord>;
  execution: ExecutionRecord | null;
  usage: TicketUsage;
}
