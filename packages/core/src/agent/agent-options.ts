import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { checkOptions } from '../config/check-options.js';
import { DEFAULT_LLM_RETRY, type LLMRetryPolicy } from '../decide/call-provider.js';
import { type CircuitBreakerOptions, DEFAULT_CIRCUIT_BREAKER } from '../llm/circuit-breaker.js';
import type { LLM } from '../llm/llm.js';
import type { IntentDefinition } from '../model/intent.js';
import { DEFAULT_REPLIES, type Replies } from '../model/replies.js';
import type { AnySlotDefinition } from '../model/slot.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { DEFAULT_MAX_CLARIFICATIONS } from '../policy/choose-next-action.js';
import type { LLMPrice, Logger, Settings } from '../runtime/runtime.js';
import { DEFAULT_TOOL_RETRY_DELAYS, type ToolRetryDelays } from '../execute/run-tool-step.js';
import type { TicketStore } from '../store/ticket-store.js';
import { MAX_TIMER_MS } from '../util/sleep.js';
import { checkedClock } from '../runtime/checked-clock.js';
import { safeLogger } from '../runtime/safe-logger.js';

/** The longest a circuit may stay open: 30 days (a Date must hold the time it reopens). */
const MAX_CIRCUIT_MS = 30 * 86_400_000;

/** What `createAgent` takes. Defaults are shown in brackets. Unknown keys are refused. */
export interface AgentOptions {
  /** Where tickets live. */
  store: TicketStore;
  /** The LLM, or an ordered fallback chain. */
  llm: LLM | readonly LLM[];
  intents: readonly IntentDefinition[];
  workflows: readonly WorkflowDefinition[];
  /** Slots not listed by any workflow but used as inference sources (e.g. a phone number). */
  slots?: readonly AnySlotDefinition[] | undefined;
  /** Decisions below it do not establish an intent (D3). [0.7] */
  confidenceThreshold?: number | undefined;
  /** Per-request LLM timeout in ms. [30 000] */
  llmTimeoutMs?: number | undefined;
  /**
   * The most a turn spends on its decision, in ms: every request, retry, backoff and re-ask,
   * across the whole fallback chain. When it is spent the turn degrades (`fallback`, kind
   * `timeout`); a request in flight is cut to what is left. `Infinity`: no bound. [60 000]
   */
  llmBudgetMs?: number | undefined;
  /** Retry policy of LLM calls. [2 retries, 250 ms → 2 s backoff, randomised, hints up to 5 s honoured] */
  llmRetry?: Partial<LLMRetryPolicy> | undefined;
  /** Circuit breaker per provider. [opens after 5 consecutive failures for 30 s] */
  circuitBreaker?: Partial<CircuitBreakerOptions> | undefined;
  /** Prices per model name (or provider name) for the estimated cost per ticket. */
  llmPrices?: Readonly<Record<string, LLMPrice>> | undefined;
  /** Max output tokens asked of the LLM for a decision. [1 024] */
  llmMaxOutputTokens?: number | undefined;
  /**
   * How long a claim on a ticket may go unrenewed before another worker takes over (crash
   * recovery). The owner renews it while it runs; every tool's budget (timeout × attempts +
   * backoff) must fit in it. From 100 ms to 2 147 483 647 ms (the longest Node timer). [30 000]
   */
  leaseMs?: number | undefined;
  /** How long a turn waits for another worker's live claim before `StoreError` `conflict`. [2 × leaseMs] */
  claimWaitMs?: number | undefined;
  /**
   * How far any worker's clock may be off the true time (so two workers' clocks may be twice
   * this apart): a claim whose lease lapsed longer ago than twice this plus one lease is taken
   * over without watching it first. [3 600 000]
   */
  maxClockSkewMs?: number | undefined;
  /** Backoff between a tool's retries. [100 ms → 2 s] */
  toolRetry?: Partial<ToolRetryDelays> | undefined;
  /** Transcript entries kept in the ticket document (≥ 50). [50] */
  transcriptWindow?: number | undefined;
  /** Recent `messageId` results kept in the document; older ones are found through the event log (T7). [50] */
  messageIdWindow?: number | undefined;
  /** Transcript entries shown to the LLM. [6] */
  promptHistory?: number | undefined;
  /** Longest accepted message, in characters. [16 000] */
  maxMessageLength?: number | undefined;
  /** Re-runs of a turn that lost a compare-and-set race before giving up. [25] */
  maxConflictRetries?: number | undefined;
  /** Consecutive turns asking the same slot before the ticket escalates (D5). [3] */
  maxClarifications?: number | undefined;
  /**
   * The longest a workflow's `run` may take in one go (a suspended procedure waits outside it):
   * past it the execution is abandoned and compensated — a `run` that never settles must not
   * hold its ticket for as long as the process lives. [8 × leaseMs]
   */
  executionTimeoutMs?: number | undefined;
  /** Approvals older than this are expired by `agent.recover()` (to `needs_human`). [86 400 000; Infinity: never] */
  approvalTimeoutMs?: number | undefined;
  /** Procedures waiting for the customer longer than this are left by `agent.recover()` (E6, E7). [3 600 000; Infinity: never] */
  inputTimeoutMs?: number | undefined;
  /**
   * Key for `sensitive: true` slots (P1): 32 bytes as base64, base64url or hex, or bytes; or a
   * list for rotation (the first encrypts, all decrypt). Required when a slot is sensitive.
   */
  encryptionKey?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /** Masks personal data in message texts before they are stored or logged (P2). [card numbers, IBANs, e-mail addresses, phone numbers] */
  redact?: ((text: string) => string) | undefined;
  /** Texts the engine replies with. */
  replies?: Partial<Replies> | undefined;
  /** Structured logger. [none] */
  logger?: Logger | undefined;
  /**
   * Wall clock in epoch ms, for tests. An answer that is not one (`NaN`, a string, a throw)
   * is replaced by `Date.now()`, and the logger (else a process warning) is told once. [Date.now]
   */
  now?: (() => number) | undefined;
  /** Identifies this agent instance in claims. [random] */
  instanceId?: string | undefined;
}

const positive = z.number().positive().finite();
const positiveOrNever = z.union([z.number().positive(), z.literal(Number.POSITIVE_INFINITY)]);
const count = (min: number) => z.number().int().min(min);
/** A delay the engine waits with a timer: at most {@link MAX_TIMER_MS}, which a Node timer would turn into 1 ms. */
const timerMs = (min: number) =>
  z.number().min(min).max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest delay a Node timer takes)`);
const isFunction = (message: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', message);
const isLogger = (value: unknown): value is Logger => typeof (value as Logger)?.warn === 'function' && typeof (value as Logger)?.error === 'function';
const isLLM = (value: unknown): value is LLM => typeof (value as LLM)?.generate === 'function' && typeof (value as LLM)?.name === 'string';

/** What is wrong with the `llm` option, named precisely (a class instead of an instance, which entry of a chain), or null. */
function llmProblem(value: unknown): string | null {
  const shape = 'an object with a name (string) and a generate(prompt, options) method';
  const got = (item: unknown) => {
    if (item === null || typeof item !== 'object')
      return typeof item === 'function' ? 'a class or function — did you forget new?' : String(item === null ? 'null' : typeof item);
    const missing = [typeof (item as LLM).name === 'string' ? '' : 'a name', typeof (item as LLM).generate === 'function' ? '' : 'a generate method'].filter(
      Boolean,
    );
    return Array.isArray(item) ? 'an array' : `an object without ${missing.join(' and ')}`;
  };
  if (Array.isArray(value)) {
    if (value.length === 0) return 'llm must be an LLM or a non-empty array of LLMs (got an empty array)';
    const bad = value.findIndex((item) => !isLLM(item));
    return bad < 0 ? null : `llm[${bad}] must be ${shape} (got ${got(value[bad])})`;
  }
  return isLLM(value) ? null : `llm must be an LLM — ${shape} — or a non-empty array of them (got ${got(value)})`;
}

const llmSchema = z.custom<LLM | readonly LLM[]>().superRefine((value, context) => {
  const problem = llmProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
// `list` and `purge` (fleet operations) are checked when used, so stores written for the first contract keep working.
const storeMethods = ['load', 'commit', 'events'] as const;

const agentOptionsSchema = z.object({
  store: z.custom<TicketStore>(
    (value) => storeMethods.every((method) => typeof (value as Record<string, unknown>)?.[method] === 'function'),
    `store must implement TicketStore (${storeMethods.join(', ')})`,
  ),
  llm: llmSchema,
  intents: z.array(z.unknown()),
  workflows: z.array(z.unknown()),
  slots: z.array(z.unknown()).optional(),
  confidenceThreshold: z.number().min(0).max(1).optional(),
  llmTimeoutMs: positive.optional(),
  llmBudgetMs: positiveOrNever.optional(),
  llmRetry: z
    .strictObject({ retries: count(0).max(10), minDelayMs: timerMs(0), maxDelayMs: timerMs(0), maxHintDelayMs: timerMs(0) })
    .partial()
    .optional(),
  circuitBreaker: z
    .strictObject({ failureThreshold: count(1), cooldownMs: z.number().min(0).max(MAX_CIRCUIT_MS), maxHintMs: z.number().min(0).max(MAX_CIRCUIT_MS) })
    .partial()
    .optional(),
  llmPrices: z.record(z.string(), z.strictObject({ inputPerMillionTokens: z.number().min(0), outputPerMillionTokens: z.number().min(0) })).optional(),
  llmMaxOutputTokens: count(1).optional(),
  leaseMs: timerMs(100).optional(),
  claimWaitMs: timerMs(0).optional(),
  maxClockSkewMs: z.number().min(0).finite().optional(),
  toolRetry: z
    .strictObject({ minDelayMs: timerMs(0), maxDelayMs: timerMs(0) })
    .partial()
    .optional(),
  transcriptWindow: count(50).optional(),
  messageIdWindow: count(1).optional(),
  promptHistory: count(0).optional(),
  maxMessageLength: count(1).optional(),
  maxConflictRetries: count(0).optional(),
  maxClarifications: count(1).optional(),
  approvalTimeoutMs: positiveOrNever.optional(),
  executionTimeoutMs: positive.optional(),
  inputTimeoutMs: positiveOrNever.optional(),
  encryptionKey: z.unknown().optional(),
  redact: isFunction('redact must be a function (text) => text').optional(),
  replies: z
    .strictObject(Object.fromEntries(Object.keys(DEFAULT_REPLIES).map((key) => [key, z.string().min(1)])) as Record<keyof Replies, z.ZodString>)
    .partial()
    .optional(),
  logger: z.custom<Logger>(isLogger, 'logger needs warn and error methods').optional(),
  now: isFunction('now must be a function returning epoch ms').optional(),
  instanceId: z.string().min(1).max(200).optional(),
});

/** Checks every option at once; returns the settings and the problems found (empty when none). */
export function resolveSettings(options: AgentOptions): { settings: Settings; llms: readonly LLM[]; issues: string[] } {
  const { issues } = checkOptions(agentOptionsSchema, options, 'createAgent');
  const leaseMs = options?.leaseMs ?? 30_000;
  const logger = isLogger(options?.logger) ? safeLogger(options.logger) : undefined;
  const settings: Settings = {
    confidenceThreshold: options?.confidenceThreshold ?? 0.7,
    llmTimeoutMs: options?.llmTimeoutMs ?? 30_000,
    llmBudgetMs: options?.llmBudgetMs ?? 60_000,
    llmRetry: { ...DEFAULT_LLM_RETRY, ...options?.llmRetry },
    circuitBreaker: { ...DEFAULT_CIRCUIT_BREAKER, ...options?.circuitBreaker },
    llmPrices: options?.llmPrices ?? {},
    llmMaxOutputTokens: options?.llmMaxOutputTokens ?? 1_024,
    leaseMs,
    claimWaitMs: options?.claimWaitMs ?? 2 * leaseMs,
    maxClockSkewMs: options?.maxClockSkewMs ?? 3_600_000,
    toolRetry: { ...DEFAULT_TOOL_RETRY_DELAYS, ...options?.toolRetry },
    transcriptWindow: options?.transcriptWindow ?? 50,
    messageIdWindow: options?.messageIdWindow ?? 50,
    promptHistory: options?.promptHistory ?? 6,
    maxMessageLength: options?.maxMessageLength ?? 16_000,
    maxConflictRetries: options?.maxConflictRetries ?? 25,
    maxClarifications: options?.maxClarifications ?? DEFAULT_MAX_CLARIFICATIONS,
    approvalTimeoutMs: options?.approvalTimeoutMs ?? 86_400_000,
    executionTimeoutMs: options?.executionTimeoutMs ?? 8 * leaseMs,
    inputTimeoutMs: options?.inputTimeoutMs ?? 3_600_000,
    replies: { ...DEFAULT_REPLIES, ...options?.replies },
    logger,
    now: typeof options?.now === 'function' ? checkedClock(options.now, logger) : Date.now,
    elapsed: () => performance.now(),
    instanceId: options?.instanceId ?? `agent-${Math.random().toString(36).slice(2, 10)}`,
  };
  if (settings.llmRetry.maxDelayMs < settings.llmRetry.minDelayMs) issues.push('llmRetry: maxDelayMs must be ≥ minDelayMs');
  if (settings.toolRetry.maxDelayMs < settings.toolRetry.minDelayMs) issues.push('toolRetry: maxDelayMs must be ≥ minDelayMs');
  const llm = options?.llm;
  const llms = Array.isArray(llm) ? (llm as readonly LLM[]) : llm ? [llm as LLM] : [];
  return { settings, llms, issues };
}
