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
 * - `awaiting_input`: a procedure waits for the customer's answer to `ctx.ask` (E6);
 * - `resolved`, `escalated`: the last workflow finished with that outcome;
 * - `needs_human`: an execution failed and a compensation failed too; a person must look;
 * - `closed`: a human rejected the pending execution.
 *
 * A workflow failure that was compensated cleanly returns the ticket to the status it
 * had at the checkpoint (T4), so there is no separate "failed" status.
 */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Every status a ticket can have (see {@link TicketStatus}): e.g. the queues of `agent.list` and of an HTTP API. */
export const TICKET_STATUSES = [
  'open',
  'collecting',
  'awaiting_confirmation',
  'executing',
  'awaiting_approval',
  'awaiting_input',
  'resolved',
  'escalated',
  'needs_human',
  'closed',
] as const;

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
  /**
   * For `sensitive: true` slots (P1): the value, encrypted with the agent's `encryptionKey`;
   * `value` then holds only a mask such as `****1234`. Never part of a {@link TicketView}.
   */
  sealed?: string;
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
  outcome: 'resolved' | 'escalated' | 'failed' | 'cancelled' | 'rejected' | 'abandoned';
  turn: number;
  /** The required values it ran (or was refused) with. */
  values: Record<string, unknown>;
  /** Every value it ran with, optional ones included (for `rerun: 'any'`, E2a). */
  allValues?: Record<string, unknown>;
  /** A run cut short by a crash: the `messageId` it was running for, whose resend may run it again. */
  retryMessageId?: string;
  /** The customer said no to the offer to try a run that did not complete again (never offered again for these values). */
  retryDeclined?: true;
  /**
   * The completed calls of a procedure left with `onAbandon: 'keep'` (E6) that still stand:
   * running it again supersedes (compensates) them first, so it never runs on top of them.
   */
  leftCalls?: CompletedCall[];
  /**
   * The completed tool calls of that run that still stand (not compensated): compensated
   * when a corrected, re-confirmed run supersedes it (E2a), and shown to `requiresApproval`.
   */
  calls?: CompletedCall[];
}

/** A tool call that completed and was not undone. */
export interface CompletedCall {
  tool: string;
  key: string;
  input: unknown;
  output: unknown;
  sealedInput?: string;
  sealedOutput?: string;
}

/** One journaled tool call of an execution (write-ahead: written before the tool runs). */
export interface ExecutionStep {
  index: number;
  tool: string;
  /** The idempotency key given to the tool (and to its compensation). */
  key: string;
  input: unknown;
  /**
   * `started`: journaled before the tool runs (outcome unknown until it is `completed` or
   * `failed`); `failed`: the call failed (`ran: false` when the tool was never called, e.g. an
   * invalid input); `awaiting_approval` / `approved`: a call paused for a human.
   */
  state: StepState;
  output?: unknown;
  /** The input or output, sealed, when it held a sensitive value (P1): `input`/`output` then show masks. */
  sealedInput?: string;
  sealedOutput?: string;
  /** Why a failed step failed (secret-free). */
  error?: string;
  /** The error as thrown (name, message, simple own fields such as `code`), sensitive values masked; thrown again on resume and replay. */
  errorDetail?: RecordedError;
  /** `errorDetail` in clear, sealed, when it held a sensitive value (P1): what a resumed run re-throws. */
  sealedErrorDetail?: string;
  /** False when the tool was never called (nothing to compensate). */
  ran?: boolean;
  attempts: number;
  approval?: { by: string; note?: string; at: string };
  /** ISO time the step was journaled as started. */
  startedAt?: string;
  /** How long the call took, all attempts included. */
  durationMs?: number;
}

/**
 * A failed call's error as journaled (masked and redacted like every error text, P1/P2): a
 * workflow that catches it on a resume, or in a replay, gets an error with the same name,
 * message and simple fields as the first run did.
 */
export interface RecordedError {
  name: string;
  message: string;
  /** Own enumerable fields of the error with string, number, boolean or null values (e.g. `code`, `status`). */
  fields?: Record<string, string | number | boolean | null>;
}

/** The state of one journaled step. */
export type StepState = 'started' | 'completed' | 'failed' | 'awaiting_approval' | 'approved';

/** An execution in flight (or parked awaiting approval). Absent when none is. */
export interface ExecutionRecord {
  id: string;
  workflow: string;
  turn: number;
  /** The agent instance holding the claim. */
  owner: string;
  /**
   * Epoch ms (the owner's clock) at which the claim lapses if the owner stops renewing it;
   * null while parked (awaiting approval or input). Other workers never trust it alone: a
   * claim is taken over only after they saw it unchanged for `leaseMs` of their own time,
   * or once it is far past (see `maxClockSkewMs`), so skewed clocks cannot steal a live one.
   */
  leaseExpiresAt: number | null;
  /** The owner's lease duration: how long a claim may go unrenewed while its owner is alive. */
  leaseMs: number;
  /** The status to restore if the execution is rolled back (the checkpoint's status). */
  resumeStatus: TicketStatus;
  /** The `messageId` of the turn that started it. */
  messageId: string | null;
  steps: ExecutionStep[];
  /** Answers `ctx.ask` returned so far, in call order, replayed as recorded when the execution resumes (E6). */
  answers: ExecutionAnswer[];
  /** The slot a suspended procedure waits for, since when (ISO), and the question asked when it was not the slot's own. */
  awaiting: { slot: string; since: string; question?: string; ask?: number } | null;
  /** The completed run this execution replaces once confirmed (E2a), compensated first. */
  supersedes: { turn: number; calls: CompletedCall[] } | null;
  /**
   * A procedure that may suspend (its workflow `asks`): its required and optional slots as the
   * run started with them (stored form, sensitive ones sealed). Every resume of the run sees
   * these in `ctx.slots`, not values given since, so it replays its journal the same way (E1,
   * E6); a corrected required value starts the procedure again instead.
   */
  inputs?: Record<string, SlotValue>;
}

/** One answer `ctx.ask` returned: the value as stored, or sealed for a sensitive slot (P1). */
export interface ExecutionAnswer {
  slot: string;
  value?: unknown;
  sealed?: string;
}

/** The recorded result of a processed `messageId` (T7). */
export interface ProcessedMessage {
  messageId: string;
  turn: number;
  reply: string;
  action: Action;
  decision: DecisionRecord | null;
  /** A short hash of the (redacted) message text: the same `messageId` with another text is refused (T7). */
  textHash: string;
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
export const TICKET_SCHEMA_VERSION = 2;

/**
 * The stored ticket document: plain JSON, committed whole with its events (T3).
 * Its size is bounded: the transcript keeps a window of the latest entries and the
 * full history lives in the event log.
 */
export interface TicketDoc {
  schemaVersion: number;
  id: string;
  /** A random id given when the ticket was created: one life of the id (see `TicketIndex`). */
  incarnation: string;
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
  /** The latest processed `messageId`s with their recorded results (T7). */
  processed: ProcessedMessage[];
  /**
   * Every older processed `messageId`, as a Bloom filter (base64; empty until the first one
   * leaves `processed`): a hit is confirmed in the event log, so T7 has no window.
   */
  seen: string;
  /** Consecutive turns that asked the same slot without getting it (D5). */
  clarification: { slot: string; count: number } | null;
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
