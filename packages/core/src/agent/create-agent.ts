import { buildDecisionJsonSchema } from '../decide/decision-json-schema.js';
import { AgentHooks, type AgentHookListener, type AgentHookName } from '../events/agent-hooks.js';
import { TicketStateError } from '../errors/ticketflow-error.js';
import type { ExecutionDeps } from '../execute/execution-deps.js';
import { hasExpiredClaim, hasLiveClaim, recoverExecution } from '../execute/recover-execution.js';
import { CircuitBreaker } from '../llm/circuit-breaker.js';
import { buildRegistry } from '../model/registry.js';
import type { TicketView } from '../model/ticket.js';
import { StoreError } from '../store/store-error.js';
import type { StoredTicketEvent, TicketEvent } from '../store/ticket-event.js';
import type { ListQuery, LoadedTicket, TicketPage } from '../store/ticket-store.js';

/** What `agent.list` takes: a store {@link ListQuery}. */
export type AgentListQuery = ListQuery;
import { backoffDelay, sleep } from '../util/sleep.js';
import { type AgentOptions, resolveOptions } from './agent-options.js';
import { decideApproval, type ApprovalDecision } from './decide-approval.js';
import type { Engine } from './engine.js';
import { KeyedMutex } from './keyed-mutex.js';
import { releaseTicket } from './release-ticket.js';
import { type Notification, processMessage } from './process-message.js';
import { newTicket, readTicket, toView } from './ticket-document.js';
import type { ApprovalResult, TicketInspection, TurnResult } from './turn-result.js';
import { type HandleInput, validateHandleInput, validateIdentifier } from './validate-input.js';

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
   * @throws {InvalidArgumentError} for bad arguments (nothing changed).
   * @throws {StoreError} when the store cannot be reached (`unavailable`, the caller may
   * retry with the same `messageId`) or the ticket stayed contended (`conflict`).
   */
  handle(input: HandleInput): Promise<TurnResult>;
  /** The ticket, or null when there is none. */
  getTicket(ticketId: string): Promise<TicketView | null>;
  /** The ticket and its full event log: every decision, change and step (O1). */
  inspect(ticketId: string): Promise<TicketInspection>;
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
   * Hands a `needs_human` ticket (an execution failed and a compensation failed too) back to
   * the agent, once a person has repaired what was left; recorded with who did it.
   * @throws {TicketStateError} when the ticket does not need a human.
   */
  release(ticketId: string, decision: ApprovalDecision): Promise<TicketView>;
  /**
   * Tickets of the store, oldest update first, paged (e.g. the `needs_human` queue).
   * @throws {InvalidArgumentError} for a bad query.
   */
  list(query?: AgentListQuery): Promise<TicketPage>;
  /**
   * Erases a ticket, its events and every copy the store keeps (P3). Erasing an unknown
   * ticket is a no-op.
   */
  erase(ticketId: string): Promise<void>;
  /**
   * Retention: deletes tickets idle for `olderThanMs` that are not executing or waiting on a
   * person; returns how many.
   */
  purge(options: { olderThanMs: number; limit?: number }): Promise<number>;
  /** Subscribes to a hook; returns the unsubscribe function. Listeners never break a turn (O3). */
  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void;
  /** Unsubscribes a listener. */
  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void;
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
 * @throws {ConfigurationError} listing every problem in the options and definitions.
 */
export function createAgent(options: AgentOptions): Agent {
  const resolved = resolveOptions(options);
  const registry = buildRegistry({ intents: options.intents, workflows: options.workflows, slots: options.slots ?? [] });
  const hooks = new AgentHooks((hook, error) => resolved.logger?.warn({ hook, error: error instanceof Error ? error.message : String(error) }, 'ticketflow hook listener failed'));
  const deps: ExecutionDeps = {
    store: resolved.store,
    registry,
    leaseMs: resolved.leaseMs,
    now: resolved.now,
    instanceId: resolved.instanceId,
    toolDelays: resolved.toolRetry,
    replies: resolved.replies,
    transcriptWindow: resolved.transcriptWindow,
    messageIdWindow: resolved.messageIdWindow,
  };
  const engine: Engine = {
    options: resolved,
    registry,
    chain: resolved.llms.map((llm) => ({ llm, breaker: new CircuitBreaker(resolved.circuitBreaker, resolved.now) })),
    jsonSchema: buildDecisionJsonSchema(registry),
    deps,
    hooks,
  };
  return new TicketAgent(engine);
}

class TicketAgent implements Agent {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly engine: Engine) {}

  async handle(input: HandleInput): Promise<TurnResult> {
    const { ticketId, message, messageId } = validateHandleInput(input, this.engine.options.maxMessageLength);
    return this.mutex.run(ticketId, async () => {
      const { options } = this.engine;
      let conflicts = 0;
      for (;;) {
        const loaded = await this.loadSettled(ticketId);
        const ticket = loaded?.ticket ?? newTicket(ticketId, new Date(options.now()).toISOString());
        if (messageId !== null) {
          const done = ticket.processed.find((entry) => entry.messageId === messageId);
          if (done && loaded) return { ticketId, reply: done.reply, action: done.action, decision: done.decision, ticket: toView(ticket, loaded.version), duplicate: true };
        }
        const outcome = await processMessage(this.engine, { ticket, version: loaded?.version ?? null, message, messageId });
        if (outcome.type === 'done') {
          this.notify(ticketId, outcome.events, outcome.notifications);
          return outcome.result;
        }
        conflicts += 1;
        if (conflicts > options.maxConflictRetries) {
          throw new StoreError({ kind: 'conflict', adapter: 'core', message: `ticket stayed contended after ${conflicts} attempts; retry later with the same messageId` });
        }
        await sleep(backoffDelay(Math.min(conflicts, 6), 5, 200));
      }
    });
  }

  async getTicket(ticketId: string): Promise<TicketView | null> {
    validateIdentifier('ticketId', ticketId, 1_024);
    const loaded = await this.engine.options.store.load(ticketId);
    return loaded ? toView(readTicket(loaded.ticket, ticketId), loaded.version) : null;
  }

  async inspect(ticketId: string): Promise<TicketInspection> {
    validateIdentifier('ticketId', ticketId, 1_024);
    const { store } = this.engine.options;
    const loaded = await store.load(ticketId);
    const events: StoredTicketEvent[] = [];
    for (let after = 0; ; ) {
      const page = await store.events(ticketId, { after, limit: 1_000 });
      events.push(...page);
      if (page.length < 1_000) break;
      after = page[page.length - 1]!.seq;
    }
    return { ticket: loaded ? toView(readTicket(loaded.ticket, ticketId), loaded.version) : null, events };
  }

  async approve(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.mutex.run(ticketId, () => this.decideApproval(ticketId, decision, 'approve'));
  }

  async reject(ticketId: string, decision: ApprovalDecision): Promise<ApprovalResult> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.mutex.run(ticketId, () => this.decideApproval(ticketId, decision, 'reject'));
  }

  async release(ticketId: string, decision: ApprovalDecision): Promise<TicketView> {
    validateIdentifier('ticketId', ticketId, 1_024);
    return this.mutex.run(ticketId, async () => {
      for (let attempt = 0; ; attempt += 1) {
        const loaded = await this.loadSettled(ticketId);
        if (!loaded) throw new TicketStateError({ message: `ticket ${JSON.stringify(ticketId)} does not exist`, status: null });
        const released = await releaseTicket(this.engine, loaded, decision);
        if (released) {
          this.notify(ticketId, released.events, []);
          return released.ticket;
        }
        if (attempt >= this.engine.options.maxConflictRetries) throw new StoreError({ kind: 'conflict', adapter: 'core', message: 'ticket stayed contended; retry later' });
      }
    });
  }

  async list(query: AgentListQuery = {}): Promise<TicketPage> {
    return this.engine.options.store.list(query);
  }

  async erase(ticketId: string): Promise<void> {
    validateIdentifier('ticketId', ticketId, 1_024);
    await this.engine.options.store.delete(ticketId);
  }

  async purge(options: { olderThanMs: number; limit?: number }): Promise<number> {
    const before = new Date(this.engine.options.now() - options.olderThanMs).toISOString();
    return this.engine.options.store.purge({ before, ...(options.limit !== undefined ? { limit: options.limit } : {}) });
  }

  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void {
    return this.engine.hooks.on(name, listener);
  }

  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void {
    this.engine.hooks.off(name, listener);
  }

  private async decideApproval(ticketId: string, decision: ApprovalDecision, verdict: 'approve' | 'reject'): Promise<ApprovalResult> {
    for (let attempt = 0; ; attempt += 1) {
      const loaded = await this.loadSettled(ticketId);
      if (!loaded) throw new TicketStateError({ message: `ticket ${JSON.stringify(ticketId)} does not exist`, status: null });
      const outcome = await decideApproval(this.engine, loaded, decision, verdict);
      if (outcome.type === 'done') {
        this.notify(ticketId, outcome.events, outcome.notifications);
        return outcome.result;
      }
      if (attempt >= this.engine.options.maxConflictRetries) {
        throw new StoreError({ kind: 'conflict', adapter: 'core', message: 'ticket stayed contended; retry later' });
      }
    }
  }

  /**
   * Loads a ticket that no other worker is executing: waits for a live claim (bounded by
   * the lease) and recovers an expired one first (E4).
   */
  private async loadSettled(ticketId: string): Promise<LoadedTicket | null> {
    const { options } = this.engine;
    const deadline = options.now() + options.claimWaitMs;
    for (let wait = 1; ; wait += 1) {
      const stored = await options.store.load(ticketId);
      if (!stored) return null;
      const loaded: LoadedTicket = { ticket: readTicket(stored.ticket, ticketId), version: stored.version };
      const now = options.now();
      if (hasLiveClaim(loaded, now)) {
        if (now >= deadline) {
          throw new StoreError({ kind: 'conflict', adapter: 'core', message: 'the ticket is being executed by another worker; retry later with the same messageId' });
        }
        const remaining = loaded.ticket.execution!.leaseExpiresAt! - now;
        await sleep(Math.min(remaining + 1, backoffDelay(Math.min(wait, 5), 20, 500)));
        continue;
      }
      if (hasExpiredClaim(loaded, now)) {
        const recovered = await recoverExecution(this.engine.deps, loaded);
        if (recovered) {
          this.notify(ticketId, recovered.writer.committedEvents, [
            { name: 'ticket.recovered' as Notification['name'], payload: { ticketId, workflow: loaded.ticket.execution!.workflow, compensated: recovered.finished.ticket.status !== 'needs_human' } },
          ]);
          return { ticket: recovered.writer.ticket, version: recovered.writer.version! };
        }
        continue;
      }
      return loaded;
    }
  }

  private notify(ticketId: string, events: readonly TicketEvent[], notifications: readonly { name: string; payload: unknown }[]): void {
    const { hooks } = this.engine;
    if (hooks.hasListeners('ticket.event')) for (const event of events) hooks.emit('ticket.event', { ticketId, event });
    for (const notification of notifications) (hooks.emit as (name: string, payload: unknown) => void)(notification.name, notification.payload);
  }
}
