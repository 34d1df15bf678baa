import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigurationError,
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryStoreData,
  MemoryTicketStore,
  readPromptContext,
  StoreError,
} from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from './support/test-domain.js';
import { watchUnhandledRejections } from './support/unhandled-rejections.js';

/** An agent of the test domain on a fresh memory store whose LLM names no_internet, with `options` on top. */
function testDomainAgent(options: Partial<Parameters<typeof createAgent>[0]>) {
  const domain = createTestDomain();
  const llm = new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9 } });
  return createAgent({ store: new MemoryTicketStore(), llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots, ...options });
}

describe('agent options', () => {
  it('refuses bad options with a ConfigurationError listing every problem', () => {
    const domain = createTestDomain();
    const error = (() => {
      try {
        createAgent({
          store: new MemoryTicketStore(),
          llm: [],
          intents: domain.intents,
          workflows: domain.workflows,
          slots: domain.extraSlots,
          confidenceThreshold: 2,
          leaseMs: 5,
          toolRetry: { minDelayMs: 10, maxDelayMs: 1 },
        });
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).issues).toHaveLength(4);
  });

  it('refuses delays longer than a Node timer takes (it would wait 1 ms instead), and keeps the wall-clock timeouts unbounded', () => {
    const domain = createTestDomain();
    const base = { store: new MemoryTicketStore(), llm: new MockLLM(), intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots };
    const tooLong = 2_147_483_648;
    const issuesOf = (options: object) => {
      try {
        createAgent({ ...base, ...options });
      } catch (thrown) {
        if (ConfigurationError.isInstance(thrown)) return thrown.issues;
        throw thrown;
      }
      return [];
    };
    const limit = 'must be at most 2147483647 ms (about 24.8 days, the longest delay a Node timer takes)';
    expect(
      issuesOf({
        leaseMs: 1e12,
        claimWaitMs: tooLong,
        llmRetry: { maxDelayMs: tooLong, maxHintDelayMs: tooLong },
        toolRetry: { minDelayMs: tooLong, maxDelayMs: tooLong },
      }),
    ).toEqual([
      `llmRetry.maxDelayMs: ${limit}`,
      `llmRetry.maxHintDelayMs: ${limit}`,
      `leaseMs: ${limit}`,
      `claimWaitMs: ${limit}`,
      `toolRetry.minDelayMs: ${limit}`,
      `toolRetry.maxDelayMs: ${limit}`,
    ]);
    expect(issuesOf({ leaseMs: 2_147_483_647, approvalTimeoutMs: 90 * 86_400_000, inputTimeoutMs: 2 ** 40 })).toEqual([]);
  });

  it('T5 a now option that answers no epoch ms (NaN, a string, a throw) falls back to the system clock, told once, instead of failing every turn', async () => {
    for (const now of [
      () => Number.NaN,
      () => 'soon' as unknown as number,
      () => 1e300,
      (): number => {
        throw new Error('clock down');
      },
    ]) {
      const warnings: unknown[] = [];
      const logger = { warn: (object: unknown) => warnings.push(object), error: () => undefined };
      const agent = testDomainAgent({ now, logger });
      const before = Date.now();
      const first = await agent.handle({ ticketId: 'T-clock', message: 'no internet', messageId: 'm-1' });
      await agent.handle({ ticketId: 'T-clock', message: 'fiber', messageId: 'm-2' });
      expect(Date.parse(first.ticket.updatedAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(first.ticket.updatedAt)).toBeLessThanOrEqual(Date.now());
      expect(await agent.recover()).toMatchObject({ recovered: 0 });
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings[0])).toContain('the agent option now returned');
    }
  });

  it('T5 a logger that throws or rejects (an async one) changes nothing: no unhandled rejection, the turn completes', async () => {
    const unhandled = watchUnhandledRejections();
    const loggers = [
      { warn: async () => Promise.reject(new Error('log shipper down')), error: async () => Promise.reject(new Error('log shipper down')) },
      {
        warn: () => {
          throw new Error('log file full');
        },
        error: () => {
          throw new Error('log file full');
        },
      },
    ];
    for (const logger of loggers) {
      const agent = testDomainAgent({
        logger,
        now: () => Number.NaN,
        redact: () => {
          throw new Error('redactor down');
        },
      });
      agent.on('decision', () => {
        throw new Error('a listener bug');
      });
      const result = await agent.handle({ ticketId: 'T-log', message: 'no internet', messageId: 'm-1' });
      expect(result.action.type).toBe('ask');
    }
    await unhandled.settle();
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  it('names what is wrong with llm: a class instead of an instance, a missing name, which entry of a chain', () => {
    const domain = createTestDomain();
    const issuesFor = (llm: unknown) => {
      try {
        createAgent({ store: new MemoryTicketStore(), llm: llm as never, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
      } catch (error) {
        return (error as ConfigurationError).issues.filter((issue) => issue.startsWith('llm'));
      }
      return [];
    };
    expect(issuesFor(MockLLM)).toEqual([expect.stringMatching(/got a class or function — did you forget new\?/)]);
    expect(issuesFor({ generate: async () => ({}) })).toEqual([expect.stringMatching(/got an object without a name/)]);
    expect(issuesFor([new MockLLM(), {}])).toEqual([expect.stringMatching(/^llm: llm\[1\] must be .*without a name and a generate method/)]);
    expect(issuesFor([])).toEqual([expect.stringMatching(/non-empty array/)]);
  });

  it('S1 refuses definition names every JavaScript object already has (a slot "constructor" would read as always known)', () => {
    const refused = (define: () => unknown) => {
      try {
        define();
      } catch (error) {
        return ConfigurationError.isInstance(error) ? error.message : `not a ConfigurationError: ${String(error)}`;
      }
      return 'accepted';
    };
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(refused(() => defineSlot({ name, schema: z.string(), question: 'Which?' }))).toContain(
        `slot name "${name}" is the name of a property every JavaScript object has`,
      );
      expect(refused(() => defineIntent({ name, description: 'Something' }))).toContain(`intent name "${name}"`);
      expect(refused(() => defineTool({ name, input: z.object({}), output: z.object({}), run: () => ({}) }))).toContain(`tool name "${name}"`);
    }
    expect(refused(() => defineSlot({ name: 'constructor_id', schema: z.string(), question: 'Which?' }))).toBe('accepted');
  });

  it('refuses misspelt options, naming the closest valid one, together with problems of the definitions', () => {
    const domain = createTestDomain();
    const options = {
      store: new MemoryTicketStore(),
      llm: new MockLLM(),
      intents: domain.intents,
      workflows: domain.workflows,
      leaseMS: 5,
      confidenceTreshold: 0.5,
      llmRetry: { retires: 1 },
    };
    const error = captureError(() => createAgent(options as never));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    const issues = (error as ConfigurationError).issues;
    expect(issues).toContain('unknown option "leaseMS" — did you mean "leaseMs"?');
    expect(issues).toContain('unknown option "confidenceTreshold" — did you mean "confidenceThreshold"?');
    expect(issues.some((issue) => issue.includes('retires'))).toBe(true);
    expect(issues.some((issue) => issue.includes('inferred from "phone"'))).toBe(true);
  });

  it('refuses a tool whose budget (timeout × attempts + backoff) does not fit the lease; a default timeout shortens to fit', () => {
    const slot = defineSlot({ name: 'thing', schema: z.string() });
    const intent = defineIntent({ name: 'go' });
    const slow = defineTool({ name: 'slow', input: z.object({}), output: z.object({}), run: () => ({}), timeoutMs: 20_000, retries: 1 });
    const workflow = defineWorkflow({ name: 'go', intent, required: [slot], tools: [slow], run: () => ({ status: 'resolved', reply: 'ok' }) });
    const error = captureError(() =>
      createAgent({ store: new MemoryTicketStore(), llm: new MockLLM(), intents: [intent], workflows: [workflow], leaseMs: 30_000 }),
    );
    expect((error as ConfigurationError).issues).toEqual([
      expect.stringContaining('tool "slow": its budget (timeoutMs 20000 × 2 attempts + 1 × 2000 ms backoff = 42000 ms) does not fit leaseMs 30000'),
    ]);
    const relaxed = defineTool({ name: 'slow', input: z.object({}), output: z.object({}), run: () => ({}), retries: 1 });
    const fits = defineWorkflow({ name: 'go', intent, required: [slot], tools: [relaxed], run: () => ({ status: 'resolved', reply: 'ok' }) });
    expect(() => createAgent({ store: new MemoryTicketStore(), llm: new MockLLM(), intents: [intent], workflows: [fits], leaseMs: 5_000 })).not.toThrow();
  });

  it('claimWaitMs bounds how long a turn waits for another worker holding the ticket', async () => {
    const domain = createTestDomain();
    const data = new MemoryStoreData();
    domain.backend.failTool('check_outage', 'hang');
    const llm = () => new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } } });
    const slow = createAgent({
      store: new MemoryTicketStore({ data }),
      llm: llm(),
      intents: domain.intents,
      workflows: domain.workflows,
      slots: domain.extraSlots,
      leaseMs: 60_000,
    });
    void slow.handle({ ticketId: 'busy', message: 'down' });
    while (!domain.backend.runs.length) await new Promise((resolve) => setTimeout(resolve, 2));
    const impatient = createAgent({
      store: new MemoryTicketStore({ data }),
      llm: llm(),
      intents: domain.intents,
      workflows: domain.workflows,
      slots: domain.extraSlots,
      claimWaitMs: 100,
    });
    const started = Date.now();
    const error = await impatient.handle({ ticketId: 'busy', message: 'hello?' }).catch((thrown: unknown) => thrown);
    expect(StoreError.isInstance(error) && error.kind).toBe('conflict');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('toolRetry sets the backoff between tool retries', async () => {
    const intent = defineIntent({ name: 'go', description: 'Go' });
    const slot = defineSlot({ name: 'x', schema: z.string(), question: 'x?' });
    let attempts = 0;
    const flaky = defineTool({
      name: 'flaky',
      input: z.object({}),
      output: z.object({}),
      retries: 3,
      run: () => {
        attempts += 1;
        if (attempts < 4) throw new Error('flaky');
        return {};
      },
    });
    const workflow = defineWorkflow({
      name: 'wf',
      intent,
      required: [slot],
      tools: [flaky],
      run: async (context) => {
        await context.call(flaky, {});
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'go', confidence: 1, entities: { x: 'y' } } }),
      intents: [intent],
      workflows: [workflow],
      toolRetry: { minDelayMs: 1_000, maxDelayMs: 1_000 },
    });
    const started = Date.now();
    await agent.handle({ ticketId: 'retry', message: 'go' });
    expect(attempts).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it('a slot format shapes how its value reads in the confirmation question', async () => {
    const intent = defineIntent({ name: 'refund', description: 'Refund' });
    const amount = defineSlot({ name: 'amount', schema: z.number(), question: 'How much?', format: (value) => `${value.toFixed(2)} €` });
    const workflow = defineWorkflow({ name: 'refund', intent, required: [amount], confirm: true, run: () => ({ status: 'resolved', reply: 'ok' }) });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 1, entities: { amount: 80 } } }),
      intents: [intent],
      workflows: [workflow],
    });
    const result = await agent.handle({ ticketId: 'fmt', message: 'refund 80' });
    expect(result.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('amount: 80.00 €') });
  });

  it('readPromptContext reads the intent and pending question the prompt shows the LLM', async () => {
    const llm = new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9 } });
    const domain = createTestDomain();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
    await agent.handle({ ticketId: 'ctx', message: 'down' });
    await agent.handle({ ticketId: 'ctx', message: 'fiber?' });
    expect(readPromptContext(llm.calls[0]!.prompt)).toEqual({ intent: null, pendingSlot: null });
    expect(readPromptContext(llm.calls[1]!.prompt)).toEqual({ intent: 'no_internet', pendingSlot: 'service_type' });
  });

  it('ctx.call keeps literal input types (an enum input compiles without casts)', () => {
    const service = defineTool({ name: 'svc', input: z.object({ kind: z.enum(['fiber', 'mobile']) }), output: z.object({}), run: () => ({}) });
    const intent = defineIntent({ name: 'i', description: 'i' });
    const workflow = defineWorkflow({
      name: 'w',
      intent,
      required: [],
      tools: [service],
      run: async (context) => {
        await context.call(service, { kind: 'fiber' });
        return { status: 'resolved', reply: 'ok' };
      },
    });
    expect(workflow.tools).toHaveLength(1);
  });
});

function captureError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return null;
}
