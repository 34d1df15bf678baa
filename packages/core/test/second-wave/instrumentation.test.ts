import { describe, expect, it } from 'vitest';
import {
  NonRetryableError,
  type AgentInstrumentation,
  type LLMAttemptEnd,
  type LLMAttemptStart,
  type OperationEnd,
  type OperationStart,
  type ToolCallEnd,
  type ToolCallStart,
} from '@ticketflow/core';
import { createHarness } from '../support/agent-harness.js';

/**
 * The instrumentation seam `@ticketflow/otel` builds on (DESIGN §8): `agent.instrument()`
 * sees every operation with its LLM attempts, executions, tool calls and compensations, and how
 * each ended; the function it returns detaches it.
 */
interface RecordedTool {
  start: ToolCallStart;
  end?: ToolCallEnd;
  ran: boolean;
}
interface RecordedExecution {
  start: { workflow: string; executionId: string; turn: number; resumed: boolean };
  tools: RecordedTool[];
  marks: string[];
  end?: { outcome: string; error?: string };
}
interface RecordedOperation {
  start: OperationStart;
  llm: { start: LLMAttemptStart; end?: LLMAttemptEnd; ran: boolean }[];
  skipped: string[];
  executions: RecordedExecution[];
  marks: string[];
  committed: string[];
  end?: OperationEnd;
}

function recorder() {
  const operations: RecordedOperation[] = [];
  const instrumentation: AgentInstrumentation = {
    operationStarted(start) {
      const operation: RecordedOperation = { start, llm: [], skipped: [], executions: [], marks: [], committed: [] };
      operations.push(operation);
      return {
        llmAttempt(attempt) {
          const entry: RecordedOperation['llm'][number] = { start: attempt, ran: false };
          operation.llm.push(entry);
          return {
            run: (work) => ((entry.ran = true), work()),
            ended: (end) => void (entry.end = end),
          };
        },
        providerSkipped: (provider) => void operation.skipped.push(provider),
        execution(start) {
          const execution: RecordedExecution = { start, tools: [], marks: [] };
          operation.executions.push(execution);
          return {
            toolCall(call) {
              const tool: RecordedTool = { start: call, ran: false };
              execution.tools.push(tool);
              return { run: (work) => ((tool.ran = true), work()), ended: (end) => void (tool.end = end) };
            },
            event: (name) => void execution.marks.push(name),
            ended: (end) => void (execution.end = end),
          };
        },
        event: (name) => void operation.marks.push(name),
        committed: (events) => void operation.committed.push(...events.map((event) => event.type)),
        ended: (end) => void (operation.end = end),
      };
    },
  };
  return { operations, instrumentation };
}

const fiberDown = { intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } };

describe('the instrumentation seam (DESIGN §8)', () => {
  it('O1 an execute turn: the operation, its LLM attempt, the execution and each tool call, and how each ended', async () => {
    const { agent, llm } = createHarness();
    const { operations, instrumentation } = recorder();
    agent.instrument(instrumentation);
    llm.enqueue(fiberDown);
    const result = await agent.handle({ ticketId: 'I-1', message: 'fiber down in Hamburg', messageId: 'm-1' });
    expect(operations).toHaveLength(1);
    const [operation] = operations as [RecordedOperation];
    expect(operation.start).toEqual({ operation: 'handle', ticketId: 'I-1', messageId: 'm-1' });
    expect(operation.llm).toHaveLength(1);
    expect(operation.llm[0]!.start).toMatchObject({ provider: 'mock', purpose: 'decide', attempt: 1 });
    expect(operation.llm[0]!.start.prompt).toContain('fiber down in Hamburg');
    expect(operation.llm[0]!.ran).toBe(true);
    expect(operation.llm[0]!.end).toMatchObject({ ok: true, model: 'mock-1', usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) } });
    expect(operation.executions).toHaveLength(1);
    const [execution] = operation.executions as [RecordedExecution];
    expect(execution.start).toMatchObject({ workflow: 'fiber_troubleshoot', turn: 1, resumed: false });
    expect(execution.tools.map((tool) => [tool.start.tool, tool.start.step, tool.start.compensation, tool.end?.outcome, tool.ran])).toEqual([
      ['check_outage', 0, false, 'completed', true],
      ['reset_modem', 1, false, 'completed', true],
    ]);
    expect(execution.tools[0]!.start.key).toMatch(/^I-1:[^:]{8}:1:0$/);
    expect(execution.end).toEqual({ outcome: 'resolved' });
    expect(operation.end).toMatchObject({
      action: result.action,
      intent: 'no_internet',
      confidence: 0.95,
      version: result.ticket.version,
      degraded: false,
      duplicate: false,
      turn: 1,
    });
    const { events } = await agent.inspect('I-1');
    expect(operation.committed).toEqual(events.map((event) => event.type));
  });

  it('O1 a compensation is a tool call with compensation: true and the step it undoes; the execution ends failed', async () => {
    const { agent, llm, backend } = createHarness();
    const { operations, instrumentation } = recorder();
    agent.instrument(instrumentation);
    backend.failTool('reset_modem', new NonRetryableError('modem unreachable'));
    llm.enqueue(fiberDown);
    const result = await agent.handle({ ticketId: 'I-2', message: 'fiber down in Hamburg' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    const execution = operations[0]!.executions[0]!;
    const calls = execution.tools.map((tool) => ({
      tool: tool.start.tool,
      compensation: tool.start.compensation,
      undoes: tool.start.undoes,
      outcome: tool.end?.outcome,
    }));
    expect(calls).toEqual([
      { tool: 'check_outage', compensation: false, undoes: undefined, outcome: 'completed' },
      { tool: 'reset_modem', compensation: false, undoes: undefined, outcome: 'failed' },
      { tool: 'reset_modem', compensation: true, undoes: 1, outcome: 'compensated' },
    ]);
    expect(execution.tools[1]!.end?.error).toContain('modem unreachable');
    expect(execution.end?.outcome).toBe('failed');
    expect(operations[0]!.end).toMatchObject({ action: { type: 'execute', outcome: 'failed' }, degraded: false });
  });

  it('L2 a degraded turn: failed LLM attempts with their kind, the operation ended degraded with action fallback', async () => {
    const { agent, llm } = createHarness();
    const { operations, instrumentation } = recorder();
    agent.instrument(instrumentation);
    llm.failNext('unavailable', 3);
    const result = await agent.handle({ ticketId: 'I-3', message: 'hello' });
    expect(result.action).toMatchObject({ type: 'fallback' });
    const [operation] = operations as [RecordedOperation];
    expect(operation.llm.map((attempt) => [attempt.start.attempt, attempt.end?.ok, attempt.end?.errorKind])).toEqual([
      [1, false, 'unavailable'],
      [2, false, 'unavailable'],
      [3, false, 'unavailable'],
    ]);
    expect(operation.executions).toEqual([]);
    expect(operation.end).toMatchObject({ degraded: true, action: { type: 'fallback' } });
  });

  it('O1 approve, recover and a duplicate are operations too', async () => {
    const { agent, llm } = createHarness();
    const { operations, instrumentation } = recorder();
    agent.instrument(instrumentation);
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 80 } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    await agent.handle({ ticketId: 'I-4', message: 'refund 80', messageId: 'a' });
    await agent.handle({ ticketId: 'I-4', message: 'yes', messageId: 'b' });
    await agent.handle({ ticketId: 'I-4', message: 'yes', messageId: 'b' });
    await agent.approve('I-4', { by: 'supervisor-1' });
    expect(operations.map((operation) => operation.start.operation)).toEqual(['handle', 'handle', 'handle', 'approve']);
    expect(operations[2]!.end).toMatchObject({ duplicate: true });
    expect(operations[2]!.marks).toContain('duplicate');
    expect(operations[3]!.executions[0]!.start).toMatchObject({ workflow: 'billing_credit', resumed: true });
    expect(operations[3]!.end).toMatchObject({ action: { type: 'execute', outcome: 'resolved' } });
  });

  it('O1 instrument() returns the function that detaches it; two instrumentations can be attached', async () => {
    const { agent, llm } = createHarness({ mock: { fallback: { intent: null, confidence: 0.2 } } });
    const first = recorder();
    const second = recorder();
    const detachFirst = agent.instrument(first.instrumentation);
    const detachSecond = agent.instrument(second.instrumentation);
    await agent.handle({ ticketId: 'I-5', message: 'one' });
    detachFirst();
    await agent.handle({ ticketId: 'I-5', message: 'two' });
    detachSecond();
    await agent.handle({ ticketId: 'I-5', message: 'three' });
    expect(first.operations).toHaveLength(1);
    expect(second.operations).toHaveLength(2);
    expect(first.operations[0]!.start.operation).toBe('handle');
    void llm;
  });

  it('O1 with two instrumentations attached, each one observes every operation', async () => {
    const { agent } = createHarness({ mock: { fallback: { intent: null, confidence: 0.2 } } });
    const first = recorder();
    const second = recorder();
    agent.instrument(first.instrumentation);
    agent.instrument(second.instrumentation);
    await agent.handle({ ticketId: 'I-6', message: 'one' });
    expect(first.operations).toHaveLength(1);
    expect(second.operations).toHaveLength(1);
    expect(first.operations[0]!.end).toBeDefined();
    expect(second.operations[0]!.end).toBeDefined();
  });

  // "Observers must not throw; anything they throw is caught and ignored" (instrumentation.ts).
  it('O3 an instrumentation whose every method throws changes nothing about the turn', async () => {
    const plain = createHarness();
    const instrumented = createHarness();
    const boom = () => {
      throw new Error('instrumentation bug');
    };
    instrumented.agent.instrument({
      operationStarted: () => ({
        llmAttempt: boom,
        providerSkipped: boom,
        event: boom,
        committed: boom,
        logFields: boom,
        ended: boom,
        execution: () => ({ toolCall: boom, event: boom, ended: boom }),
      }),
    });
    for (const harness of [plain, instrumented]) harness.llm.enqueue(fiberDown);
    const expected = await plain.agent.handle({ ticketId: 'I-7', message: 'fiber down in Hamburg' });
    const actual = await instrumented.agent.handle({ ticketId: 'I-7', message: 'fiber down in Hamburg' });
    expect(actual.action).toEqual(expected.action);
    expect(actual.reply).toBe(expected.reply);
    expect(instrumented.backend.runs.map((run) => run.tool)).toEqual(plain.backend.runs.map((run) => run.tool));
  });

  for (const method of [
    'llmAttempt',
    'llmAttempt.ended',
    'execution',
    'toolCall',
    'toolCall.ended',
    'execution.ended',
    'event',
    'committed',
    'ended',
  ] as const) {
    it(`O3 an instrumentation whose ${method} throws changes nothing about the turn`, async () => {
      const plain = createHarness();
      const instrumented = createHarness();
      const boom =
        (name: string) =>
        (...args: unknown[]) => {
          if (name === method) throw new Error(`instrumentation bug in ${name}`);
          return name.endsWith('run') ? (args[0] as () => unknown)() : undefined;
        };
      instrumented.agent.instrument({
        operationStarted: () => ({
          llmAttempt: (...args: unknown[]) => (boom('llmAttempt')(...args), { ended: boom('llmAttempt.ended') }),
          execution: (...args: unknown[]) => (
            boom('execution')(...args),
            {
              toolCall: (...inner: unknown[]) => (boom('toolCall')(...inner), { ended: boom('toolCall.ended') }),
              event: boom('execution.event'),
              ended: boom('execution.ended'),
            }
          ),
          event: boom('event'),
          committed: boom('committed'),
          ended: boom('ended'),
        }),
      });
      for (const harness of [plain, instrumented]) {
        harness.llm.enqueue(fiberDown);
        harness.backend.failTool('reset_modem', new NonRetryableError('down'));
      }
      const expected = await plain.agent.handle({ ticketId: 'I-9', message: 'fiber down in Hamburg' });
      const actual = await instrumented.agent.handle({ ticketId: 'I-9', message: 'fiber down in Hamburg' });
      expect(actual.action).toEqual(expected.action);
      // The keys differ only in the ticket's life (each agent has a store, so a life, of its own).
      const withoutLife = (undos: { key: string }[]) => undos.map((undo) => ({ ...undo, key: undo.key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1') }));
      expect(withoutLife(instrumented.backend.undos)).toEqual(withoutLife(plain.backend.undos));
    });
  }

  it('O3 async observers that reject are ignored: no unhandled rejection, the turn is unchanged', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const plain = createHarness();
      const instrumented = createHarness();
      const reject = async () => {
        throw new Error('metrics backend unreachable');
      };
      const rejectingObserver = {
        llmAttempt: () => ({ ended: reject }),
        providerSkipped: reject,
        event: reject,
        committed: reject,
        logFields: reject,
        ended: reject,
        execution: () => ({ toolCall: () => ({ ended: reject }), event: reject, ended: reject }),
      };
      instrumented.agent.instrument({ operationStarted: () => rejectingObserver as never });
      // An async operationStarted returns a promise, not an observer: it is ignored (and its rejection caught).
      instrumented.agent.instrument({ operationStarted: reject as never });
      for (const harness of [plain, instrumented]) harness.llm.enqueue(fiberDown);
      const expected = await plain.agent.handle({ ticketId: 'I-10', message: 'fiber down in Hamburg' });
      const actual = await instrumented.agent.handle({ ticketId: 'I-10', message: 'fiber down in Hamburg' });
      expect(actual.action).toEqual(expected.action);
      expect(actual.reply).toBe(expected.reply);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('O3 an instrumentation whose operationStarted throws does not break handle', async () => {
    const { agent, llm } = createHarness();
    agent.instrument({
      operationStarted: () => {
        throw new Error('instrumentation bug');
      },
    });
    llm.enqueue(fiberDown);
    const result = await agent.handle({ ticketId: 'I-8', message: 'fiber down in Hamburg' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
  });
});
