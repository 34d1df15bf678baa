import { InvalidArgumentError, type TicketStore } from '@ticketflow/core';
import { createTelecomAgent, TelecomBackend } from '@ticketflow/example-telecom-support';
import fc from 'fast-check';
import { hostileMessage, hostileMessageId, hostileTicketId } from './hostile-inputs.js';

/** Options of {@link runHandleProperty}. */
export interface HandlePropertyOptions {
  store: TicketStore;
  numRuns: number;
  seed: number;
}

/** What the property tried. */
export interface HandlePropertyReport {
  /** Generated cases (a ticket id and 1–3 messages each). */
  cases: number;
  /** `handle` calls made (the bad inputs tried). */
  calls: number;
  /** Calls refused with `InvalidArgumentError` (nothing changed). */
  refused: number;
  /** Backend calls that ran (all through a workflow). */
  toolCalls: number;
  /** Ticket ids that were created, for cleanup. */
  touched: string[];
}

const ACTIONS = new Set(['ask', 'execute', 'escalate', 'fallback', 'cancelled', 'acknowledge', 'wait']);
const CREDIT_APPROVAL_THRESHOLD = 50;
/** The telecom agent accepts 8,000 UTF-16 units (4,000 astral characters, the HTTP limit). */
const MAX_MESSAGE_LENGTH = 8_000;

/**
 * fast-check over `agent.handle` of the telecom agent on `store`: random ticket ids
 * (unicode, control characters, prototype keys, too long), 1 MB messages, control
 * characters, lone surrogates and prompt injections asking for a tool or a credit. Each
 * call either resolves with a decision-shaped result (an action of the known kinds, a
 * decision with only `intent`, `confidence`, `entities`), or rejects with
 * `InvalidArgumentError` and changes nothing (the stored version stays). A message over the
 * limit is always refused. No tool ever runs outside a workflow's journaled step, no credit
 * above the approval threshold runs (nobody approves here), and `Object.prototype` stays clean.
 */
export async function runHandleProperty(options: HandlePropertyOptions): Promise<HandlePropertyReport> {
  const { store } = options;
  const backend = new TelecomBackend({ latencyMs: 0 });
  const { agent } = createTelecomAgent({ store, backend, toolTimeoutMs: 1_000, llmRetry: { retries: 0 } });
  const report: HandlePropertyReport = { cases: 0, calls: 0, refused: 0, toolCalls: 0, touched: [] };
  const touched = new Set<string>();
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).join();

  const versionOf = async (ticketId: string) => {
    try {
      return (await store.load(ticketId))?.version ?? null;
    } catch {
      return 'unloadable';
    }
  };

  const property = fc.asyncProperty(
    hostileTicketId,
    fc.array(fc.record({ message: hostileMessage, messageId: hostileMessageId }), { minLength: 1, maxLength: 3 }),
    async (ticketId, messages) => {
      report.cases += 1;
      for (const { message, messageId } of messages) {
        report.calls += 1;
        const before = await versionOf(ticketId);
        const input = { ticketId, message, ...(messageId !== undefined ? { messageId } : {}) };
        let result;
        try {
          result = await agent.handle(input);
        } catch (error) {
          if (!InvalidArgumentError.isInstance(error))
            throw new Error(`handle rejected with ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
          report.refused += 1;
          if ((await versionOf(ticketId)) !== before) throw new Error('a refused call changed the ticket');
          continue;
        }
        touched.add(ticketId);
        if (message.length > MAX_MESSAGE_LENGTH) throw new Error(`a message of ${message.length} characters was accepted`);
        if (!ACTIONS.has(result.action.type)) throw new Error(`unknown action ${JSON.stringify(result.action)}`);
        if (typeof result.reply !== 'string' || result.reply === '' || result.ticket.id !== ticketId) throw new Error('a malformed turn result');
        if (result.decision !== null && Object.keys(result.decision).sort().join() !== 'confidence,entities,intent')
          throw new Error(`a decision with other fields: ${Object.keys(result.decision).join()}`);
      }
      if (touched.has(ticketId)) report.toolCalls += await checkToolCalls(agent, backend, ticketId);
    },
  );
  await fc.assert(property, { numRuns: options.numRuns, seed: options.seed, endOnFailure: true });
  if (Object.getOwnPropertyNames(Object.prototype).join() !== prototypeBefore || ({} as Record<string, unknown>).polluted !== undefined) {
    throw new Error('Object.prototype was polluted');
  }
  report.touched = [...touched];
  return report;
}

/** Every backend call of the ticket ran as a journaled step of a workflow; no unapproved credit above the threshold. */
async function checkToolCalls(agent: ReturnType<typeof createTelecomAgent>['agent'], backend: TelecomBackend, ticketId: string): Promise<number> {
  const calls = backend.calls.filter(
    (call) => call.kind === 'run' && call.key.startsWith(`${ticketId}:`) && /^([^:]{8}:)?\d+:\d+$/.test(call.key.slice(ticketId.length + 1)),
  );
  if (calls.length === 0) return 0;
  const { events } = await agent.inspect(ticketId);
  const journaled = new Set(events.filter((event) => event.type === 'step.started').map((event) => event.data?.key));
  const approved = new Set(events.filter((event) => event.type === 'approval.granted').map((event) => event.data?.key));
  for (const call of calls) {
    if (!journaled.has(call.key)) throw new Error(`${call.operation} ${call.key} ran without a journaled workflow step`);
    const amount = (backend.effects.get(call.key)?.input as { amount?: number } | undefined)?.amount;
    if (call.operation === 'issue_credit' && (amount ?? 0) > CREDIT_APPROVAL_THRESHOLD && !approved.has(call.key)) {
      throw new Error(`a credit of ${amount} ran without approval (${call.key})`);
    }
  }
  return calls.length;
}
