import { ConfigurationError } from '../errors/ticketflow-error.js';
import { DEFAULT_CIRCUIT_BREAKER, type CircuitBreakerOptions } from '../llm/circuit-breaker.js';
import { DEFAULT_TOOL_RETRY_DELAYS, type ToolRetryDelays } from '../execute/run-tool-step.js';
import { DEFAULT_LLM_RETRY, type LLMRetryPolicy } from '../llm/generate-with-retry.js';
import type { LLM } from '../llm/llm.js';
import type { IntentDefinition } from '../model/intent.js';
import type { SlotDefinition } from '../model/slot.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import type { TicketStore } from '../store/ticket-store.js';
import { DEFAULT_REPLIES, type Replies } from './replies.js';

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

/** What `createAgent` takes. Defaults are shown in brackets. */
export interface AgentOptions {
  /** Where tickets live. */
  store: TicketStore;
  /** The LLM, or an ordered fallback chain. */
  llm: LLM | readonly LLM[];
  intents: readonly IntentDefinition[];
  workflows: readonly WorkflowDefinition[];
  /** Slots not listed by any workflow but used as inference sources (e.g. a phone number). */
  slots?: readonly SlotDefinition<any>[];
  /** Decisions below it do not establish an intent (D3). [0.7] */
  confidenceThreshold?: number;
  /** Per-request LLM timeout in ms. [30 000] */
  llmTimeoutMs?: number;
  /** Retry policy of LLM calls. [2 retries, 250 ms → 2 s backoff with jitter, hints up to 5 s honoured] */
  llmRetry?: Partial<LLMRetryPolicy>;
  /** Circuit breaker per provider. [opens after 5 consecutive failures for 30 s] */
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /** Prices per model name (or provider name) for the estimated cost per ticket. */
  llmPrices?: Readonly<Record<string, LLMPrice>>;
  /** Max output tokens asked of the LLM for a decision. [1 024] */
  llmMaxOutputTokens?: number;
  /** How long a turn may hold a ticket before another worker takes over. [30 000] */
  leaseMs?: number;
  /**
   * How long a turn waits for another worker's live claim on its ticket before giving up
   * with `StoreError` `conflict` (the caller may retry with the same `messageId`). [2 × leaseMs]
   */
  claimWaitMs?: number;
  /** Backoff between a tool's retries (exponential with jitter). [100 ms → 2 s] */
  toolRetry?: Partial<ToolRetryDelays>;
  /** Transcript entries kept in the ticket document (≥ 50). [50] */
  transcriptWindow?: number;
  /** Processed `messageId`s remembered for de-duplication (T7); the oldest are forgotten first. [50] */
  messageIdWindow?: number;
  /** Transcript entries shown to the LLM. [6] */
  promptHistory?: number;
  /** Longest accepted message, in characters. [16 000] */
  maxMessageLength?: number;
  /** Re-runs of a turn that lost a compare-and-set race before giving up. [25] */
  maxConflictRetries?: number;
  /** Texts the engine replies with. */
  replies?: Partial<Replies>;
  /** Structured logger. [none] */
  logger?: Logger;
  /** Clock, for tests. [Date.now] */
  now?: () => number;
  /** Identifies this agent instance in claims. [random] */
  instanceId?: string;
}

/** Options with defaults applied and checked. */
export interface ResolvedOptions {
  store: TicketStore;
  llms: readonly LLM[];
  confidenceThreshold: number;
  llmTimeoutMs: number;
  llmRetry: LLMRetryPolicy;
  circuitBreaker: CircuitBreakerOptions;
  llmPrices: Readonly<Record<string, LLMPrice>>;
  llmMaxOutputTokens: number;
  leaseMs: number;
  claimWaitMs: number;
  toolRetry: ToolRetryDelays;
  transcriptWindow: number;
  messageIdWindow: number;
  promptHistory: number;
  maxMessageLength: number;
  maxConflictRetries: number;
  replies: Replies;
  logger: Logger | undefined;
  now: () => number;
  instanceId: string;
}

/**
 * Applies defaults and checks every option.
 * @throws {ConfigurationError} listing every problem.
 */
export function resolveOptions(options: AgentOptions): ResolvedOptions {
  const issues: string[] = [];
  if (typeof options !== 'object' || options === null) throw new ConfigurationError({ message: 'createAgent needs an options object' });
  const store = options.store;
  if (!store || typeof store.load !== 'function' || typeof store.commit !== 'function' || typeof store.events !== 'function') {
    issues.push('store must implement TicketStore (load, commit, events, delete, close)');
  }
  const llms = Array.isArray(options.llm) ? (options.llm as readonly LLM[]) : options.llm ? [options.llm as LLM] : [];
  if (llms.length === 0) issues.push('llm must be an LLM or a non-empty list of LLMs');
  for (const llm of llms) {
    if (!llm || typeof llm.generate !== 'function' || typeof llm.name !== 'string') issues.push('each llm must have a name and a generate(prompt, options) method');
  }
  if (!Array.isArray(options.intents)) issues.push('intents must be an array');
  if (!Array.isArray(options.workflows)) issues.push('workflows must be an array');

  const number = (name: keyof AgentOptions, fallback: number, check: (value: number) => boolean, rule: string): number => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !check(value)) issues.push(`${String(name)} must be ${rule} (got ${JSON.stringify(value)})`);
    return value as number;
  };
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  const positiveInteger = (value: number) => Number.isInteger(value) && value > 0;

  const resolved: ResolvedOptions = {
    store,
    llms,
    confidenceThreshold: number('confidenceThreshold', 0.7, (value) => value >= 0 && value <= 1, 'a number from 0 to 1'),
    llmTimeoutMs: number('llmTimeoutMs', 30_000, positive, 'a positive number of ms'),
    llmRetry: { ...DEFAULT_LLM_RETRY, ...options.llmRetry },
    circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, ...options.circuitBreaker },
    llmPrices: options.llmPrices ?? {},
    llmMaxOutputTokens: number('llmMaxOutputTokens', 1_024, positiveInteger, 'a positive integer'),
    leaseMs: number('leaseMs', 30_000, (value) => Number.isFinite(value) && value >= 100, 'at least 100 ms'),
    claimWaitMs: number('claimWaitMs', 2 * (typeof options.leaseMs === 'number' ? options.leaseMs : 30_000), (value) => Number.isFinite(value) && value >= 0, 'a non-negative number of ms'),
    toolRetry: { ...DEFAULT_TOOL_RETRY_DELAYS, ...options.toolRetry },
    transcriptWindow: number('transcriptWindow', 50, (value) => Number.isInteger(value) && value >= 50, 'an integer ≥ 50'),
    messageIdWindow: number('messageIdWindow', 50, positiveInteger, 'a positive integer'),
    promptHistory: number('promptHistory', 6, (value) => Number.isInteger(value) && value >= 0, 'a non-negative integer'),
    maxMessageLength: number('maxMessageLength', 16_000, positiveInteger, 'a positive integer'),
    maxConflictRetries: number('maxConflictRetries', 25, (value) => Number.isInteger(value) && value >= 0, 'a non-negative integer'),
    replies: { ...DEFAULT_REPLIES, ...options.replies },
    logger: options.logger,
    now: options.now ?? Date.now,
    instanceId: options.instanceId ?? `agent-${Math.random().toString(36).slice(2, 10)}`,
  };
  const retry = resolved.llmRetry;
  if (!(Number.isInteger(retry.retries) && retry.retries >= 0 && retry.retries <= 10)) issues.push('llmRetry.retries must be an integer from 0 to 10');
  if (!(retry.minDelayMs >= 0 && retry.maxDelayMs >= retry.minDelayMs)) issues.push('llmRetry delays must satisfy 0 ≤ minDelayMs ≤ maxDelayMs');
  const toolRetry = resolved.toolRetry;
  if (!(toolRetry.minDelayMs >= 0 && toolRetry.maxDelayMs >= toolRetry.minDelayMs)) issues.push('toolRetry delays must satisfy 0 ≤ minDelayMs ≤ maxDelayMs');
  const breaker = resolved.circuitBreaker;
  if (!(Number.isInteger(breaker.failureThreshold) && breaker.failureThreshold > 0)) issues.push('circuitBreaker.failureThreshold must be a positive integer');
  if (!(breaker.cooldownMs >= 0)) issues.push('circuitBreaker.cooldownMs must be ≥ 0');
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid createAgent options', issues });
  return resolved;
}
