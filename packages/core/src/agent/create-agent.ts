import { textHash } from '../document/seen-messages.js';
import { readTicket, toView } from '../document/ticket-document.js';
import { ConfigurationError, InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { AgentHookListener, AgentHookName } from '../events/agent-hooks.js';
import { fanOutInstrumentation } from '../events/fan-out-instrumentation.js';
import { guardInstrumentation } from '../events/guard-instrumentation.js';
import type { AgentInstrumentation, OperationName, OperationObserver } from '../events/instrumentation.js';
import type { TicketView } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import type { EventsQuery, ListQuery, TicketPage } from '../store/ticket-store.js';
import { type ApprovalDecision, decideApproval } from '../turn/decide-approval.js';
import { handleMessage } from '../turn/handle-message.js';
import { type RecoveryReport, recoverTickets } from '../turn/recover-tickets.js';
import { releaseTicket } from '../turn/release-ticket.js';
import type { ApprovalResult, TicketInspection, TurnResult } from '../turn/turn-result.js';
import type { AgentOptions } from './agent-options.js';
import { buildRuntime } from './build-runtime.js';
import { eraseTicket } from './erase-ticket.js';
import { inspectTicket } from './inspect-ticket.js';
import { KeyedMutex } from './keyed-mutex.js';
import { observeOperation } from './observe-operation.js';
import { type HandleInput, validateEventRange, validateHandleInput, validateIdentifier } from './validate-input.js';
import { validateAgentListQuery, validatePurgeArguments, validateRecoverOptions } from './validate-fleet-input.js';
import { redactOrWithhold } from '../runtime/redact-or-withhold.js';
import { withPlainSensitiveSealed } from '../turn/seal-plain-sensitive.js';

/** The earliest time a `Date` can hold (-8.64e15 ms). */
const EARLIEST_TIME_MS = -8.64e15;

/** What `agent.list` takes: a store {@link ListQuery}. */
export type AgentListQuery = ListQuery;

/**
 * A support agent: `handle` turns each customer message into a decision (LLM), a plan
 * (pure code) and, when the plan says so, a transactional execution, on a durable ticket.
 * Create one with {@link createAgent}; share one per process, and as many processes as you
 * like on one store.
 */
export interface Agent {
  /**
   * Processes one customer message. Never rejects for LLM or tool faults: they degrade to
   * a safe reply (L2, E3).
   * @throws {InvalidArgumentError} for bad arguments, or code `message_id_reused` for a known
   * `messageId` with another text (nothing changed).
   * @throws {StoreError} when the store cannot be reached (`unavailable`). Its `outcome` says
   * whether the message may still have been processed (`unknown`: a commit was sent and no
   * answer came): retry with the same `messageId` — T7 makes that safe. `conflict`: the ticket
   * stayed contended (nothing applied; retry later).
   *
   * A ticket erased (or lost by its store) while the message is in flight is never re-created:
   * the turn resolves with action `{ type: 'erased' }` (or, during an execution, `execute`
   * `failed` `claim_lost` after its steps were undone).
   */
  handle(input: HandleInput): Promise<TurnResult>;
  /** The ticket, or null when there is none. */
  getTicket(ticketId: string): Promise<TicketView | null>;
  /**
   * The ticket and its full event log: every decision, change and step (O1), with every
   * sensitive value the ticket knows masked (P1). `range` pages the log as `TicketStore.events`
   * does: only events with `seq > after`, at most `limit` of them.
   * @throws {InvalidArgumentError} for a bad `ticketId`, `after` (a non-negative integer) or `limit` (a positive integer).
   */
  inspect(ticketId: string, range?: EventsQuery): Promise<TicketInspection>;
  /**
   * Runs the step that waits for approval, then the rest of the workflow.
   * @throws {TicketStateError} when the ticket is not awaiting approval.
   */
  approve(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult>;
  /**
   * Refuses the step that waits for approval: compensates the steps already run and closes the execution.
   * @throws {TicketStateError} when the ticket is not awaiting approval.
   */
  reject(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult>;
  /**
   * Hands a `needs_human` ticket back to the agent, once a person has repaired what was
   * left; recorded with who did it.
   * @throws {TicketStateError} when the ticket does not need a human.
   */
  release(ticketId: string, decision: ApprovalDecision): Promise<TicketView>;
  /**
   * The sweeper (E7): finishes every execution whose worker stopped (compensating it, E4),
   * expires approvals older than `approvalTimeoutMs` and procedures that waited longer than
   * `inputTimeoutMs` — with no customer message needed. Safe to run from many processes at
   * once. Watches a claim whose lease lapsed for up to one lease before taking it over.
   */
  recover(options?: { limit?: number }): Promise<RecoveryReport>;
  /** Tickets, oldest update first, paged through the store's index (e.g. the `needs_human` queue). */
  list(query?: AgentListQuery): Promise<TicketPage>;
  /**
   * Erases a ticket, its events and every copy the store keeps (P3); a turn in flight never
   * re-creates it. Erasing an unknown ticket is a no-op. An execution another worker holds
   * (alive or stopped) is recovered first, so the calls it started are compensated (E4); one
   * running in this process undoes its steps itself.
   */
  erase(ticketId: string): Promise<void>;
  /** Retention: deletes tickets idle for `olderThanMs` that are not executing or waiting on a person; returns how many. */
  purge(options: { olderThanMs: number; limit?: number }): Promise<number>;
  /** Subscribes to a hook; returns the unsubscribe function. Listeners never break or delay a turn (O3, O5). */
  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void;
  /** Unsubscribes a listener. */
  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void;
  /**
   * Attaches an instrumentation (tracing, metrics: see `@ticketflow/otel`); returns the
   * function that detaches it. An agent without instrumentation pays nothing for it.
   */
  instrument(instrumentation: AgentInstrumentation): () => void;
}

/**
 * Creates an agent.
 *
 * @example
 * ```ts
 * const agent = createAgent({ store: new MemoryTicketStore(), llm: new MockLLM({ rules }),
 *   intents: [noInternet], workflows: [fixFiber] });
 * const { reply, action } = await agent.handle({ ticketId: 'T-1', message: 'no internet in Berlin', messageId: 'm-1' });
 * ```
 * @throws {ConfigurationError} listing every problem in the options and definitions at once.
 */
export function createAgent(options: AgentOptions): Agent {
  return new TicketAgent(buildRuntime(options));
}

/** An agent on a runtime built elsewhere (the replay builds one whose tools answer from a recording). */
export function agentOnRuntime(runtime: Runtime): Agent {
  return new TicketAgent(runtime);
}

class TicketAgent implements Agent {
  private readonly mutex = new KeyedMutex();
  private readonly instrumentations = new Set<AgentInstrumentation>();

  constructor(private readonly runtime: Runtime) {}

  async handle(input: HandleInput): Promise<TurnResult> {
    const valid = validateHandleInput(input, this.runtime.settings.maxMessageLength);
    const storedText = redactOrWithhold(this.runtime, valid.message);
    // The fingerprint only serves de-duplication (T7): a message without an id has none to check.
    const message = { ...valid, storedText, textHash: valid.messageId === null ? '' : textHash(storedText, valid.message) };
    return this.operate('handle', valid.ticketId, valid.messageId, (observer) => handleMessage(this.runtime, message, observer));
  }

  async getTicket(ticketId: string): Promise<TicketView | null> {
    validateIdentifier('ticketId', ticketId, 1_024);
    const loaded = await this.runtime.store.load(ticketId);
    return loaded ? toView(withPlainSensitiveSealed(this.runtime, readTicket(loaded.ticket, ticketId)), loaded.version) : null;
  }

  async inspect(ticketId: string, range?: EventsQuery): Promise<TicketInspection> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return inspectTicket(this.runtime, ticketId, validateEventRange(range));
  }

  approve(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.operate('approve', ticketId, null, (observer) => decideApproval(this.runtime, ticketId, decision, 'approve', observer));
  }

  reject(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.operate('reject', ticketId, null, (observer) => decideApproval(this.runtime, ticketId, decision, 'reject', observer));
  }

  release(ticketId: string, decision: ApprovalDecision): Promise<TicketView> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.operate('release', ticketId, null, (observer) => releaseTicket(this.runtime, ticketId, decision, observer));
  }

  async recover(options: { limit?: number } = {}): Promise<RecoveryReport> {
    const { limit } = validateRecoverOptions(options);
    this.requireFleetOperations('recover');
    return recoverTickets(
      this.runtime,
      { limit },
      (ticketId, work) => this.mutex.run(ticketId, work),
      (ticketId) => this.observer('recover', ticketId, null),
    );
  }

  async list(query: AgentListQuery = {}): Promise<TicketPage> {
    const checked = validateAgentListQuery(query);
    this.requireFleetOperations('list');
    return this.runtime.store.list(checked);
  }

  async erase(ticketId: string): Promise<void> {
    validateIdentifier('ticketId', ticketId, 1_024);
    await eraseTicket(this.runtime, ticketId, this.mutex.holds(ticketId));
  }

  async purge(options: { olderThanMs: number; limit?: number }): Promise<number> {
    const { olderThanMs, limit } = validatePurgeArguments(options);
    this.requireFleetOperations('purge');
    const cutoff = this.runtime.settings.now() - olderThanMs;
    // Before the earliest time a Date can hold, no ticket can be idle that long.
    if (!(cutoff >= EARLIEST_TIME_MS)) return 0;
    const before = new Date(cutoff).toISOString();
    return this.runtime.store.purge({ before, ...(limit !== undefined ? { limit } : {}) });
  }

  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void {
    return this.runtime.hooks.on(name, listener);
  }

  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void {
    this.runtime.hooks.off(name, listener);
  }

  instrument(instrumentation: AgentInstrumentation): () => void {
    if (typeof instrumentation?.operationStarted !== 'function')
      throw new InvalidArgumentError({ argument: 'instrumentation', message: 'needs an operationStarted(start) method' });
    const guarded = guardInstrumentation(instrumentation);
    this.instrumentations.add(guarded);
    this.runtime.instrumentation = fanOutInstrumentation([...this.instrumentations]);
    return () => {
      this.instrumentations.delete(guarded);
      this.runtime.instrumentation = fanOutInstrumentation([...this.instrumentations]);
    };
  }

  /** Runs an operation under the ticket's lock, observed by the attached instrumentation. */
  private operate<T>(
    operation: OperationName,
    ticketId: string,
    messageId: string | null,
    work: (observer: OperationObserver | undefined) => Promise<T>,
  ): Promise<T> {
    const observer = this.observer(operation, ticketId, messageId);
    const running = this.mutex.run(ticketId, () => work(observer));
    return observer ? observeOperation(observer, running) : running;
  }

  private observer(operation: OperationName, ticketId: string, messageId: string | null): OperationObserver | undefined {
    return this.runtime.instrumentation?.operationStarted({ operation, ticketId, messageId });
  }

  private requireFleetOperations(operation: string): void {
    const store = this.runtime.store as { list?: unknown; purge?: unknown; name?: string };
    if (typeof store.list !== 'function' || typeof store.purge !== 'function') {
      throw new ConfigurationError({
        message: `agent.${operation} needs a store with list and purge (the fleet operations of DESIGN §5); ${store.name ?? 'this store'} has none`,
      });
    }
  }
}
