import type { ChainedLLM } from '../decide/decide.js';
import type { AgentHooks } from '../events/agent-hooks.js';
import type { AgentInstrumentation } from '../events/instrumentation.js';
import type { LLMRetryPolicy } from '../decide/call-provider.js';
import type { CircuitBreakerOptions } from '../llm/circuit-breaker.js';
import type { Registry } from '../model/registry.js';
import type { AnyToolDefinition, CompensationContext, ToolContext } from '../model/tool.js';
import type { Replies } from '../model/replies.js';
import type { SlotPrivacy } from '../policy/policy-context.js';
import type { TicketStore } from '../store/ticket-store.js';
import type { BackoffPolicy } from '../util/retry.js';
import type { ClaimObserver } from './claim-observer.js';

/** Price of a model per million tokens, for the estimated cost kept in each ticket. */
export interface LLMPrice {
  inputPerMillionTokens: number;
  outputPerMillionTokens: number;
}

/** A structured logger (pino, console, …): only these methods are used. */
export interface Logger {
  debug?(object: Record<string, unknown>, message?: string): void;
  info?(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** Every setting of an agent, defaults applied and checked: the one settings object. */
export interface Settings {
  confidenceThreshold: number;
  llmTimeoutMs: number;
  llmBudgetMs: number;
  llmRetry: LLMRetryPolicy;
  circuitBreaker: CircuitBreakerOptions;
  llmPrices: Readonly<Record<string, LLMPrice>>;
  llmMaxOutputTokens: number;
  leaseMs: number;
  claimWaitMs: number;
  maxClockSkewMs: number;
  toolRetry: Pick<BackoffPolicy, 'minDelayMs' | 'maxDelayMs'>;
  transcriptWindow: number;
  messageIdWindow: number;
  promptHistory: number;
  maxMessageLength: number;
  maxConflictRetries: number;
  maxClarifications: number;
  approvalTimeoutMs: number;
  executionTimeoutMs: number;
  inputTimeoutMs: number;
  replies: Replies;
  logger: Logger | undefined;
  /** Wall clock (epoch ms), for timestamps and leases written in tickets. */
  now: () => number;
  /** A clock that only moves forward, for elapsed time (waits, claim observation). */
  elapsed: () => number;
  instanceId: string;
}

/** Everything a turn needs, built once by `createAgent`. */
export interface Runtime {
  store: TicketStore;
  registry: Registry;
  chain: readonly ChainedLLM[];
  jsonSchema: Record<string, unknown>;
  settings: Settings;
  hooks: AgentHooks;
  /** Attached instrumentations (`agent.instrument`), usually none. */
  instrumentation: AgentInstrumentation | undefined;
  /** Sealing of sensitive slots (P1), when the agent has an `encryptionKey`. */
  privacy: SlotPrivacy | undefined;
  /** Masks personal data in message texts before they are stored or logged (P2). */
  redact: (text: string) => string;
  /** Claims of other workers seen by this agent, to tell a live one from an abandoned one. */
  claims: ClaimObserver;
  /** Replaces tool calls and compensations (`replayTicket` answers them from the recording). Absent: the tools run. */
  tools?: ToolRunner;
}

/** Runs tool calls and compensations in place of the tools themselves (for replays). */
export interface ToolRunner {
  /** `journaledInput`: the input as the journal records it (sensitive values masked, P1). */
  run(tool: AnyToolDefinition, input: unknown, context: ToolContext, journaledInput: unknown): Promise<unknown>;
  compensate(tool: AnyToolDefinition, input: unknown, output: unknown, context: CompensationContext): Promise<void>;
}
