import { ConfigurationError, defineIntent, defineSlot, defineWorkflow } from '@ticketflow/core';
import { z } from 'zod';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { inspector } from '../src/index.js';
import { createTestAgent } from './support/test-agent.js';

async function registerWith(options: unknown): Promise<unknown> {
  const app = Fastify({ logger: false });
  try {
    await app.register(inspector, options as never);
    await app.ready();
    return null;
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

describe('registering the inspector', () => {
  const { agent, store, intents, workflows } = createTestAgent();

  it('refuses to register without authorize rather than serve tickets openly', async () => {
    const error = await registerWith({ agent, prefix: '/inspector' });
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).issues.join('\n')).toMatch(/^authorize: is required/m);
  });

  it('lists every problem at once, with the closest valid name for a misspelt option', async () => {
    const error = (await registerWith({ agnet: agent, authorise: () => true, titel: 'x' })) as ConfigurationError;
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error.issues).toEqual(
      expect.arrayContaining([
        'unknown option "agnet" — did you mean "agent"?',
        'unknown option "authorise" — did you mean "authorize"?',
        'unknown option "titel" — did you mean "title"?',
        expect.stringMatching(/^agent: must be an agent from createAgent/),
        expect.stringMatching(/^authorize: is required/),
      ]),
    );
  });

  it('refuses something that is not an agent, an authorize that is not a function, and an incomplete replay', async () => {
    const error = (await registerWith({ agent: {}, authorize: true, replay: { store, intents } })) as ConfigurationError;
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agent: must be an agent from createAgent/),
        expect.stringMatching(/^authorize: is required/),
        expect.stringMatching(/^replay\.workflows: /),
      ]),
    );
    expect(await registerWith({ agent, authorize: () => true, replay: { store: {}, intents, workflows } })).toMatchObject({
      issues: [expect.stringMatching(/^replay\.store: must be the agent's TicketStore/)],
    });
  });

  it("refuses replay definitions with a sensitive slot but no encryptionKey, with the core's own check, and accepts them with one", async () => {
    const card = defineSlot({ name: 'card_number', schema: z.string(), sensitive: true, question: 'Card number?' });
    const pay = defineIntent({ name: 'pay', description: 'Pays a bill' });
    const payBill = defineWorkflow({ name: 'pay_bill', intent: pay, required: [card], tools: [], run: async () => ({ status: 'resolved', reply: 'paid' }) });
    const error = await registerWith({ agent, authorize: () => true, replay: { store, intents: [pay], workflows: [payBill] } });
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).issues).toEqual([expect.stringMatching(/^replay: slots "card_number" are sensitive: .*encryptionKey/)]);
    expect(
      await registerWith({ agent, authorize: () => true, replay: { store, intents: [pay], workflows: [payBill], encryptionKey: 'not a key' } }),
    ).toMatchObject({ issues: [expect.stringMatching(/^replay: encryptionKey/)] });
    const encryptionKey = Buffer.alloc(32, 7).toString('base64');
    expect(await registerWith({ agent, authorize: () => true, replay: { store, intents: [pay], workflows: [payBill], encryptionKey } })).toBeNull();
  });

  it('refuses a non-object options value', async () => {
    expect(ConfigurationError.isInstance(await registerWith(undefined))).toBe(true);
  });

  it("accepts Fastify's own register options next to its own", async () => {
    expect(
      await registerWith({
        agent,
        authorize: () => false,
        prefix: '/ops',
        logLevel: 'warn',
        title: 'Refund desk',
        replay: { store, intents, workflows },
      }),
    ).toBeNull();
  });

  it('refuses an option replayTicket does not take at registration, not on every replay', async () => {
    const refused = await registerWith({ agent, authorize: () => false, replay: { store, intents, workflows, maxClarification: 2 } as never });
    expect(ConfigurationError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/replay: unknown option "maxClarification"/);
  });
});
