import type { LLMErrorKind } from '../llm/llm-error.js';
import type { LLMUsage } from '../llm/llm.js';
import type { Action } from '../model/action.js';
import type { TicketEvent } from './ticket-event-map.js';

/**
 * The operations an agent performs, each the root of a trace: a customer message, a human
 * decision on an approval, a release, and the sweeper's recovery of one ticket.
 */
export type OperationName = 'handle' | 'approve' | 'reject' | 'release' | 'recover';

/** What is known when an operation starts. */
export interface OperationStart {
  operation: OperationName;
  ticketId: string;
  messageId?: string | null;
}

/** How an operation ended. */
export interface OperationEnd {
  /** The turn number of the ticket after the operation (0 when none was processed). */
  turn: number;
  action: Action | null;
  intent: string | null;
  confidence: number | null;
  /** The ticket's version after the operation, null when nothing was committed. */
  version: number | null;
  /** Every LLM failed and the turn answered with the fallback (L2): not an error of the agent. */
  degraded: boolean;
  /** The recorded result of an earlier identical message was returned (T7). */
  duplicate: boolean;
  /** Set when the operation rejected (a programmer error or an unreachable store). */
  error?: unknown;
}

/** One LLM request about to be sent. */
export interface LLMAttemptStart {
  provider: string;
  /** The model the adapter will use, when it says so (`llm.model`). */
  model?: string;
  purpose: 'decide' | 're-ask';
  /** 1 for the first request to this provider in this turn, 2 for a retry, … */
  attempt: number;
  /** The prompt (only passed on to instrumentation that captures content). */
  prompt: string;
}

/** How an LLM request ended. */
export interface LLMAttemptEnd {
  ok: boolean;
  model?: string;
  usage?: LLMUsage;
  finishReason?: string;
  errorKind?: LLMErrorKind;
  latencyMs: number;
  /** The answer text (only for instrumentation that captures content), sensitive values it names masked (P1). */
  text?: string;
  /**
   * The prompt as content capture may show it, known once the answer is: the values the answer
   * names for sensitive slots masked (P1) — the customer may have typed one in this very
   * message. Instrumentation that captures content records the prompt from here.
   */
  prompt: string;
}

/** One tool call (or compensation) about to run. */
export interface ToolCallStart {
  tool: string;
  /** The journal step: the tool call's id within the execution. */
  step: number;
  /** The idempotency key (secret-free; instrumentation should not export it raw). */
  key: string;
  input: unknown;
  /** True for a compensation; `undoes` is then the step it undoes. */
  compensation: boolean;
  undoes?: number;
}

/** How a tool call ended. */
export interface ToolCallEnd {
  outcome: 'completed' | 'failed' | 'compensated' | 'compensation_failed' | 'skipped';
  attempts: number;
  error?: string;
  output?: unknown;
}

/** Observes one tool call or compensation. */
export interface ToolCallObserver {
  /** A retry is about to start. */
  retried?(attempt: number, error: string): void;
  /** Runs `work` (the tool itself) inside this call's context, e.g. an active span. */
  run?<T>(work: () => T): T;
  ended(end: ToolCallEnd): void;
}

/** Observes one execution of a workflow. */
export interface ExecutionObserver {
  toolCall(start: ToolCallStart): ToolCallObserver | undefined;
  /** Something worth a mark on the execution: `suspended`, `resumed`, `approval_requested`, `superseded`, `lost`. */
  event?(name: string, attributes: Record<string, string | number | boolean>): void;
  ended(outcome: { outcome: string; error?: string }): void;
}

/** Observes one LLM request. */
export interface LLMAttemptObserver {
  /** Runs `work` (the adapter's request) inside this attempt's context. */
  run?<T>(work: () => T): T;
  ended(end: LLMAttemptEnd): void;
}

/** Observes one operation, from its start to its end. */
export interface OperationObserver {
  llmAttempt?(start: LLMAttemptStart): LLMAttemptObserver | undefined;
  /** A provider skipped because its circuit is open. */
  providerSkipped?(provider: string): void;
  execution?(start: { workflow: string; executionId: string; turn: number; resumed: boolean }): ExecutionObserver | undefined;
  /** Something worth a mark on the operation: `conflict`, `recovery`, `approval`, `duplicate`, `circuit_opened`, `circuit_closed`. */
  event?(name: string, attributes: Record<string, string | number | boolean>): void;
  /** The events committed by this operation, in order (e.g. for content capture). */
  committed?(events: readonly TicketEvent[]): void;
  /** Fields to add to the core's log lines written during this operation (e.g. trace and span ids). */
  logFields?(): Record<string, string>;
  ended(end: OperationEnd): void;
}

/**
 * A small instrumentation interface, so that tracing and metrics packages
 * (`@ticketflow/otel`) can observe every operation without the core depending on them.
 * `operationStarted` is called synchronously when `handle`, `approve`, `reject`, `release` or
 * a recovery starts — in the caller's async context, so an implementation can read the
 * active span there. An agent without instrumentation pays one null check per step.
 *
 * Observers must not throw; anything they throw is caught and ignored.
 */
export interface AgentInstrumentation {
  operationStarted(start: OperationStart): OperationObserver | undefined;
}
