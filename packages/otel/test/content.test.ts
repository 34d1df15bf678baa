import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { instrumentAgent } from '../src/index.js';
import { otelHarness } from './support/otel-harness.js';
import { DECISIONS, otelAgent } from './support/otel-domain.js';

const MESSAGE = 'no internet since Tuesday, write me at jane@example.com, card 4111 1111 1111 1111';

function everything(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events, links: span.links, status: span.status })));
}

async function failingExecuteTurn(options: Parameters<typeof instrumentAgent>[1]) {
  const otel = otelHarness();
  const { agent, llm, domain } = otelAgent();
  instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider, ...options });
  domain.failing.add('confirm_fix');
  llm.enqueue({ intent: 'no_internet', confidence: 0.95, entities: { account: 'ACC-secret-42' } });
  await agent.handle({ ticketId: 'T-content', message: MESSAGE });
  return otel;
}

describe('content capture', () => {
  it('O4 P2 without captureContent no message text, entity, prompt, answer, tool input, output or error text is recorded', async () => {
    const otel = await failingExecuteTurn({});
    const recorded = everything(otel.spans());
    for (const secret of [
      'Tuesday',
      'jane@example.com',
      '***@***',
      'ACC-secret-42',
      'fiber-100',
      'is down for account',
      'Your line works',
      'What is your account',
    ]) {
      expect(recorded, secret).not.toContain(secret);
    }
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages', 'ticketflow.entities', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result']) {
      expect(recorded).not.toContain(key);
    }
  });

  it('P2 with captureContent the message, reply, entities, prompt, answer and tool data are recorded, masked by defaultRedact', async () => {
    const otel = await failingExecuteTurn({ captureContent: true });
    const turn = otel.one('invoke_agent ticketflow');
    const input = JSON.parse(String(turn.attributes['gen_ai.input.messages'])) as { role: string; parts: { type: string; content: string }[] }[];
    expect(input[0]!.role).toBe('user');
    expect(input[0]!.parts[0]!.content).toContain('no internet since Tuesday');
    expect(String(turn.attributes['gen_ai.output.messages'])).toContain('"role":"assistant"');
    expect(String(turn.attributes['ticketflow.entities'])).toContain('ACC-secret-42');
    const chat = otel.one('chat mock-1');
    expect(String(chat.attributes['gen_ai.input.messages'])).toContain('no internet since Tuesday');
    expect(String(chat.attributes['gen_ai.output.messages'])).toContain('no_internet');
    const lookUp = otel.one('execute_tool look_up_account');
    expect(JSON.parse(String(lookUp.attributes['gen_ai.tool.call.arguments']))).toEqual({ account: 'ACC-secret-42' });
    expect(JSON.parse(String(lookUp.attributes['gen_ai.tool.call.result']))).toEqual({ plan: 'fiber-100' });
    expect(otel.one('execute_tool confirm_fix').status.message).toContain('is down for account ***@***');
    const recorded = everything(otel.spans());
    expect(recorded).not.toContain('jane@example.com');
    expect(recorded).not.toContain('4111 1111 1111 1111');
    expect(recorded).toContain('****1111');
  });

  it('P2 the redact option replaces the default masks; a redaction that throws leaves the content out, and the turn goes on', async () => {
    const masked = await failingExecuteTurn({ captureContent: true, redact: (text) => text.replaceAll('Tuesday', '[day]') });
    expect(String(masked.one('invoke_agent ticketflow').attributes['gen_ai.input.messages'])).toContain('since [day]');

    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, {
      tracerProvider: otel.tracerProvider,
      captureContent: true,
      redact: () => {
        throw new Error('boom');
      },
    });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-throw', message: MESSAGE });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(everything(otel.spans())).not.toContain('Tuesday');
    expect(otel.spans()).toHaveLength(6);
  });

  it('P2 an async redact (its promise) leaves the content out, and its rejections are handled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    const redact = async (): Promise<string> => Promise.reject(new Error('the redaction service is down'));
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, captureContent: true, redact: redact as unknown as (text: string) => string });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-async', message: MESSAGE });
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(everything(otel.spans())).not.toContain('Tuesday');
    expect(unhandled).toEqual([]);
  });

  it('P1 with captureContent the chat span of the turn that names a sensitive value shows it masked in the prompt and the answer', async () => {
    const passcode = 'zebraQ7734horse';
    const otel = otelHarness();
    const secret = defineSlot({ name: 'passcode', schema: z.string(), sensitive: true, question: 'Your passcode?' });
    const verify = defineIntent({ name: 'verify', description: 'The customer verifies their identity' });
    const workflow = defineWorkflow({
      name: 'verify_identity',
      intent: verify,
      required: [secret],
      run: async () => ({ status: 'resolved', reply: 'Verified.' }),
    });
    const llm = new MockLLM();
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm,
      intents: [verify],
      workflows: [workflow],
      encryptionKey: randomBytes(32).toString('base64'),
    });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider, captureContent: true });
    llm.enqueue({ intent: 'verify', confidence: 0.95, entities: { passcode } });
    expect((await agent.handle({ ticketId: 'T-p1', message: `verify me, my passcode is ${passcode}` })).action).toMatchObject({ outcome: 'resolved' });
    const chat = otel.spans().find((span) => span.name.startsWith('chat'))!;
    expect(String(chat.attributes['gen_ai.input.messages'])).toContain('my passcode is ****orse');
    expect(String(chat.attributes['gen_ai.output.messages'])).toContain('****orse');
    expect(everything(otel.spans())).not.toContain(passcode);
  });
});
