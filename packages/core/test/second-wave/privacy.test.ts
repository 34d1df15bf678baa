import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigurationError,
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  type LLMAttemptEnd,
  MemoryStoreData,
  MemoryTicketStore,
} from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createHarness } from '../support/agent-harness.js';
import { recordingStore, sleep } from './helpers.js';

/**
 * P1 and P2 (issue 15.5): a `sensitive: true` slot is kept sealed in the document and shown
 * only as a mask in events, transcript, `inspect` and later prompts, while the workflow gets
 * the clear value; message texts are redacted before they are stored or logged, while the LLM
 * sees the raw current message. The secret below matches none of the default redaction
 * patterns, so only P1 can hide it.
 */
const SECRET = 'hippopotamus';
const MASK = '****amus';
const WITHHELD = '(error text withheld: redact failed)';

function privateWorld(options: { encryptionKey?: string | string[]; store?: MemoryTicketStore; passToTool?: boolean } = {}) {
  const received: unknown[] = [];
  const toolInputs: unknown[] = [];
  const word = defineSlot({ name: 'memorable_word', schema: z.string().min(4), sensitive: true, question: 'What is your memorable word?' });
  const account = defineSlot({ name: 'account_id', schema: z.string().regex(/^A-\d+$/), question: 'What is your account id?' });
  const intent = defineIntent({ name: 'verify', description: 'The customer wants to verify their identity' });
  const check = defineTool({
    name: 'check_word',
    input: z.object({ account: z.string(), word: z.string().optional() }),
    output: z.object({ ok: z.boolean() }),
    run: (input) => (toolInputs.push(input), { ok: true }),
  });
  const workflow = defineWorkflow({
    name: 'verify_identity',
    intent,
    required: [word, account],
    tools: [check],
    run: async (context) => {
      received.push(context.slots.memorable_word);
      await context.call(check, { account: context.slots.account_id, ...(options.passToTool ? { word: context.slots.memorable_word } : {}) });
      return { status: 'resolved', reply: 'You are verified.' };
    },
  });
  const key = options.encryptionKey ?? randomBytes(32).toString('base64');
  const recording = recordingStore(options.store ?? new MemoryTicketStore());
  const llm = new MockLLM({ maxRecordedCalls: Number.POSITIVE_INFINITY });
  const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow], encryptionKey: key });
  const say = (message: string, entities: Record<string, unknown>, intentName: string | null = 'verify') => {
    llm.enqueue({ intent: intentName, confidence: intentName ? 0.95 : 0.2, entities });
    return agent.handle({ ticketId: 'PV-1', message });
  };
  const hooks: string[] = [];
  agent.on('ticket.event', (event) => hooks.push(JSON.stringify(event)));
  agent.on('decision', (event) => hooks.push(JSON.stringify(event)));
  agent.on('turn.completed', (event) => hooks.push(JSON.stringify(event)));
  return { agent, llm, say, recording, received, toolInputs, key, hooks, definitions: { intents: [intent], workflows: [workflow] } };
}

/** A three-turn conversation: the customer types the secret, then the account, then thanks. */
async function converse(world: ReturnType<typeof privateWorld>) {
  const first = await world.say(`my memorable word is ${SECRET}`, { memorable_word: SECRET });
  const second = await world.say('my account is A-12345', { account_id: 'A-12345' });
  const third = await world.say('thanks', {}, null);
  return { first, second, third };
}

describe('P1 sensitive slots', () => {
  it('P1 the document keeps the value sealed: its raw JSON never holds the clear value, the slot shows a mask', async () => {
    const world = privateWorld();
    const { second } = await converse(world);
    expect(second.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    const stored = (await world.recording.inner.load('PV-1'))!.ticket as { slots: Record<string, { value: unknown; sealed?: string }> };
    expect(stored.slots.memorable_word!.value).toBe(MASK);
    expect(stored.slots.memorable_word!.sealed).toMatch(/^tf1\./);
    const slotsJson = JSON.stringify(stored.slots);
    expect(slotsJson).not.toContain(SECRET);
    for (const commit of world.recording.commits) expect(JSON.stringify(commit.request.ticket.slots ?? {})).not.toContain(SECRET);
  });

  it('P1 the workflow receives the clear value (also in a fresh process with the same key)', async () => {
    const data = new MemoryStoreData();
    const world = privateWorld({ store: new MemoryTicketStore({ data }) });
    await world.say(`my memorable word is ${SECRET}`, { memorable_word: SECRET });
    // Another process, the same key, resumes the ticket.
    const restarted = privateWorld({ store: new MemoryTicketStore({ data }), encryptionKey: world.key });
    const done = await restarted.say('my account is A-12345', { account_id: 'A-12345' });
    expect(done.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(restarted.received).toEqual([SECRET]);
  });

  it('P1 with a rotated key list (new first, old second) old values still open', async () => {
    const data = new MemoryStoreData();
    const oldKey = randomBytes(32).toString('base64');
    const world = privateWorld({ store: new MemoryTicketStore({ data }), encryptionKey: oldKey });
    await world.say(`my memorable word is ${SECRET}`, { memorable_word: SECRET });
    const rotated = privateWorld({ store: new MemoryTicketStore({ data }), encryptionKey: [randomBytes(32).toString('hex'), oldKey] });
    const done = await rotated.say('my account is A-12345', { account_id: 'A-12345' });
    expect(done.action).toMatchObject({ outcome: 'resolved' });
    expect(rotated.received).toEqual([SECRET]);
  });

  it('P1 events, hooks, the turn result, getTicket and inspect show only the mask', async () => {
    const world = privateWorld();
    const { first, second } = await converse(world);
    await sleep(20);
    const { ticket, events } = await world.agent.inspect('PV-1');
    const decisions = events.filter((event) => event.type === 'decision.made');
    expect((decisions[0]!.data as { entities: Record<string, unknown> }).entities.memorable_word).toBe(MASK);
    const slotSet = events.find((event) => event.type === 'slot.set' && event.data?.slot === 'memorable_word');
    expect((slotSet?.data as { value?: unknown } | undefined)?.value).toBe(MASK);
    expect(JSON.stringify(events.filter((event) => event.type !== 'message.received'))).not.toContain(SECRET);
    expect(JSON.stringify(ticket?.slots)).not.toContain(SECRET);
    expect(JSON.stringify(first.decision)).not.toContain(SECRET);
    expect(JSON.stringify(second.ticket.slots)).not.toContain(SECRET);
    expect(JSON.stringify((await world.agent.getTicket('PV-1'))?.slots)).not.toContain(SECRET);
    expect(world.hooks.filter((hook) => hook.includes('decision.made') || hook.includes('"decision"')).join('\n')).not.toContain(SECRET);
  });

  it("P1 a value ending in a replacement pattern ($&, $', $`) is masked, never written back in clear through its own mask", async () => {
    for (const secret of ['Tr0ub4dor$&', "correct-horse$'", 'staple$`x$&']) {
      const world = privateWorld({ passToTool: true });
      const typed = await world.say(`my memorable word is ${secret} ok`, { memorable_word: secret });
      await world.say('my account is A-12345', { account_id: 'A-12345' });
      const { ticket, events } = await world.agent.inspect('PV-1');
      const everything = JSON.stringify({ typed, ticket, events, commits: world.recording.commits.map((commit) => commit.request), hooks: world.hooks });
      expect(everything).not.toContain(secret);
      expect(ticket?.transcript[0]?.text).toBe(`my memorable word is ****${secret.slice(-4)} ok`);
      expect(world.toolInputs).toEqual([{ account: 'A-12345', word: secret }]);
    }
  });

  it('P1 the transcript, message events and the prompts of later turns never show the clear value the customer typed', async () => {
    const world = privateWorld();
    await converse(world);
    const { ticket, events } = await world.agent.inspect('PV-1');
    expect(JSON.stringify(ticket?.transcript)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    for (const commit of world.recording.commits) expect(JSON.stringify(commit.request)).not.toContain(SECRET);
    // The LLM saw the raw message of the turn that carried it, and never again.
    const prompts = world.llm.calls.map((call) => call.prompt);
    expect(world.llm.calls[0]!.message).toContain(SECRET);
    for (const prompt of prompts.slice(1)) expect(prompt).not.toContain(SECRET);
  });

  it('P1 a value typed turns before the model named it is masked from then on: transcript, stored document, later prompts, inspect', async () => {
    const world = privateWorld();
    await world.say(`verify me, my memorable word is ${SECRET}`, {});
    await world.say('it is the word I gave above', { memorable_word: SECRET });
    await world.say('thanks', {}, null);
    const stored = JSON.stringify((await world.recording.inner.load('PV-1'))!.ticket);
    expect(stored).not.toContain(SECRET);
    expect(stored).toContain(`my memorable word is ${MASK}`);
    expect(world.llm.calls[2]!.prompt).not.toContain(SECRET);
    const inspected = await world.agent.inspect('PV-1');
    expect(JSON.stringify(inspected)).not.toContain(SECRET);
    expect(inspected.events.find((event) => event.type === 'message.received')?.data).toMatchObject({ text: `verify me, my memorable word is ${MASK}` });
    // A page of the log (as an operator API serves it) is masked the same way and costs one read of events.
    const page = await world.agent.inspect('PV-1', { after: 0, limit: 2 });
    expect(page.events.map((event) => event.seq)).toEqual([1, 2]);
    expect(page.events).toEqual(inspected.events.slice(0, 2));
    expect((await world.agent.inspect('PV-1', { after: 2, limit: 3 })).events).toEqual(inspected.events.slice(2, 5));
    expect((await world.agent.inspect('PV-1', { after: inspected.events.length })).events).toEqual([]);
    await expect(world.agent.inspect('PV-1', { limit: 0 })).rejects.toThrow(/limit/);
    await expect(world.agent.inspect('PV-1', { after: -1 })).rejects.toThrow(/after/);
  });

  it('P1 instrumentation receives the prompt and answer of the turn that names a sensitive value with the value masked', async () => {
    const world = privateWorld();
    const ended: { prompt: string; text: string | undefined }[] = [];
    world.agent.instrument({
      operationStarted: () => ({
        llmAttempt: () => ({ ended: (end: LLMAttemptEnd) => void ended.push({ prompt: end.prompt, text: end.text }) }),
        ended: () => undefined,
      }),
    });
    await world.say(`verify me, my memorable word is ${SECRET}`, { memorable_word: SECRET });
    expect(ended).toHaveLength(1);
    expect(ended[0]!.prompt).toContain(`my memorable word is ${MASK}`);
    expect(ended[0]!.text).toContain(MASK);
    expect(JSON.stringify(ended)).not.toContain(SECRET);
  });

  it('P1 instrumentation gets the failed and the prose attempts of that turn without the message (it may hold a value no decision named yet)', async () => {
    const world = privateWorld();
    const ended: { ok: boolean; prompt: string; text: string | undefined }[] = [];
    world.agent.instrument({
      operationStarted: () => ({
        llmAttempt: () => ({ ended: (end: LLMAttemptEnd) => void ended.push({ ok: end.ok, prompt: end.prompt, text: end.text }) }),
        ended: () => undefined,
      }),
    });
    world.llm.enqueue({ error: 'unavailable', message: 'busy' });
    world.llm.enqueue(`Sure, your word ${SECRET} is noted.`);
    await world.say(`verify me, my memorable word is ${SECRET}`, { memorable_word: SECRET });
    expect(ended.length).toBeGreaterThanOrEqual(3);
    expect(ended[0]!.ok).toBe(false);
    expect(ended[0]!.prompt).toContain('customer message withheld');
    expect(ended[1]!.text).toBeUndefined();
    expect(JSON.stringify(ended)).not.toContain(SECRET);
    expect(ended.at(-1)!.prompt).toContain(`my memorable word is ${MASK}`);
  });

  it('P1 the next prompt lists the known sensitive slot by its mask', async () => {
    const world = privateWorld();
    await converse(world);
    const later = world.llm.calls[1]!.prompt;
    expect(later).toContain(`memorable_word=${JSON.stringify(MASK)}`);
  });

  it('P1 a sensitive value the workflow passes to a tool is not stored or evented in clear', async () => {
    const world = privateWorld({ passToTool: true });
    await world.say('verify me', { memorable_word: SECRET });
    await world.say('account A-12345', { account_id: 'A-12345' });
    expect(world.toolInputs).toEqual([{ account: 'A-12345', word: SECRET }]);
    const { events } = await world.agent.inspect('PV-1');
    const stepEvents = events.filter((event) => event.type.startsWith('step.'));
    expect(JSON.stringify(stepEvents)).not.toContain(SECRET);
    for (const commit of world.recording.commits) expect(JSON.stringify(commit.request.ticket)).not.toContain(SECRET);
  });

  it('P1 a ticket view (turn result, getTicket, inspect) shows masks only, never the ciphertexts kept for the engine', async () => {
    const world = privateWorld({ passToTool: true });
    await world.say('verify me', { memorable_word: SECRET });
    const done = await world.say('account A-12345', { account_id: 'A-12345' });
    const stored = JSON.stringify((await world.recording.inner.load('PV-1'))!.ticket.outcomes);
    expect(stored, 'the document keeps the sealed tool input of the completed call').toMatch(/"sealedInput":"tf1\./);
    const inspected = await world.agent.inspect('PV-1');
    const storedEvents = JSON.stringify(await world.recording.inner.events('PV-1'));
    expect(storedEvents, 'the log keeps the sealed entities replay reads').toContain('"sealedEntities"');
    expect(JSON.stringify(inspected.events)).not.toContain('tf1.');
    const views = [done.ticket, await world.agent.getTicket('PV-1'), inspected.ticket];
    for (const view of views) {
      expect(JSON.stringify(view)).not.toMatch(/"sealed(Input|Output|ErrorDetail)?"/);
      expect(JSON.stringify(view)).not.toContain('tf1.');
    }
    expect(JSON.stringify(done.ticket.outcomes)).toContain('****');
  });

  it('P1 a confirmation question and its event restate a sensitive value by its mask', async () => {
    const word = defineSlot({ name: 'memorable_word', schema: z.string().min(4), sensitive: true, question: 'Word?' });
    const intent = defineIntent({ name: 'close_account' });
    const workflow = defineWorkflow({
      name: 'close_account',
      intent,
      required: [word],
      confirm: true,
      run: (context) => ({ status: 'resolved', reply: context.slots.memorable_word === SECRET ? 'Closed.' : 'Wrong.' }),
    });
    const llm = new MockLLM();
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm,
      intents: [intent],
      workflows: [workflow],
      encryptionKey: randomBytes(32).toString('base64'),
    });
    llm.enqueue(
      { intent: 'close_account', confidence: 0.9, entities: { memorable_word: SECRET } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    const asked = await agent.handle({ ticketId: 'PV-2', message: 'close my account please' });
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'confirm' });
    expect(asked.reply).not.toContain(SECRET);
    expect(asked.reply).toContain(MASK);
    const done = await agent.handle({ ticketId: 'PV-2', message: 'yes' });
    expect(done.reply).toBe('Closed.');
    const { events } = await agent.inspect('PV-2');
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('P1 a sensitive slot without an encryptionKey is a ConfigurationError naming the slot', () => {
    const word = defineSlot({ name: 'memorable_word', schema: z.string(), sensitive: true, question: 'Word?' });
    const intent = defineIntent({ name: 'verify' });
    const workflow = defineWorkflow({ name: 'verify', intent, required: [word], run: () => ({ status: 'resolved', reply: 'ok' }) });
    let error: unknown;
    try {
      createAgent({ store: new MemoryTicketStore(), llm: new MockLLM(), intents: [intent], workflows: [workflow] });
    } catch (thrown) {
      error = thrown;
    }
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).issues.join(' ')).toContain('memorable_word');
    expect((error as ConfigurationError).issues.join(' ')).toContain('encryptionKey');
    for (const bad of ['too-short', randomBytes(16).toString('base64')]) {
      expect(() => createAgent({ store: new MemoryTicketStore(), llm: new MockLLM(), intents: [intent], workflows: [workflow], encryptionKey: bad })).toThrow(
        ConfigurationError,
      );
    }
  });
});

describe('P1 O4 LLM error texts', () => {
  it('P1 O4 an LLM error quoting a known sensitive value, an API key or a bearer token is stored and evented masked', async () => {
    const world = privateWorld();
    await world.say(`my memorable word is ${SECRET}`, { memorable_word: SECRET });
    const key = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
    const token = 'sk-abcdefghijklmnopqrstuvwxyz123456';
    world.llm.enqueue({ error: 'invalid_request', message: `rejected ${SECRET} at https://gw.example/v1?key=${key} (Authorization: Bearer ${token})` });
    const result = await world.say('did you get it?', {}, null);
    expect(result.action).toEqual({ type: 'fallback', reason: 'invalid_request' });
    await sleep(20);
    const stored = JSON.stringify(await world.recording.inner.events('PV-1'));
    expect(stored).toContain('llm.failed');
    for (const secret of [SECRET, key, token]) {
      expect(stored).not.toContain(secret);
      expect(world.hooks.join('\n')).not.toContain(secret);
    }
    expect(stored).toContain(`rejected ${MASK}`);
  });
});

describe('P1 messages of turns that degrade', () => {
  it('P1 a known sensitive value repeated in a message whose LLM call fails is kept masked: transcript, stored events, hooks', async () => {
    const world = privateWorld();
    await world.say(`my memorable word is ${SECRET}`, { memorable_word: SECRET });
    world.llm.enqueue({ error: 'invalid_request', message: 'refused' });
    const result = await world.agent.handle({ ticketId: 'PV-1', message: `I said ${SECRET} already` });
    expect(result.action).toMatchObject({ type: 'fallback' });
    await sleep(20);
    const stored = (await world.recording.inner.load('PV-1'))!.ticket;
    expect(JSON.stringify(stored.transcript)).not.toContain(SECRET);
    expect(JSON.stringify(stored.transcript)).toContain(`I said ${MASK} already`);
    expect(JSON.stringify(await world.recording.inner.events('PV-1'))).not.toContain(SECRET);
    expect(world.hooks.join('\n')).not.toContain(SECRET);
  });
});

describe('P1 the withheld message of a failed attempt', () => {
  for (const message of ['e', 'ok', 'the']) {
    it(`P1 only the verbatim message section is withheld for the message ${JSON.stringify(message)}; the rest of the prompt is intact`, async () => {
      const world = privateWorld();
      const ended: LLMAttemptEnd[] = [];
      world.agent.instrument({
        operationStarted: () => ({ llmAttempt: () => ({ ended: (end: LLMAttemptEnd) => void ended.push(end) }), ended: () => undefined }),
      });
      world.llm.enqueue({ error: 'invalid_request', message: 'refused' });
      await world.agent.handle({ ticketId: 'W-1', message });
      const prompt = ended.find((end) => !end.ok)!.prompt!;
      expect((prompt.match(/customer message withheld/g) ?? []).length, `the placeholder; the prompt has ${prompt.length} characters`).toBe(1);
      expect(prompt).toContain('You classify customer-support messages');
    });
  }
});

describe('P2 redaction of message text', () => {
  const CARD = '4111 1111 1111 1111';
  const IBAN = 'DE89 3704 0044 0532 0130 00';
  const EMAIL = 'jane.doe@example.com';
  const message = `please refund card ${CARD} to ${IBAN}, receipt to ${EMAIL}`;

  it('P2 card number, IBAN and e-mail are masked in the transcript and events; the LLM saw the raw current message only', async () => {
    const recording = recordingStore();
    const { agent, llm } = createHarness({ store: recording.store, mock: { maxRecordedCalls: Number.POSITIVE_INFINITY } });
    llm.enqueue({ intent: 'billing_dispute', confidence: 0.9 }, { intent: null, confidence: 0.2 });
    await agent.handle({ ticketId: 'RD-1', message });
    await agent.handle({ ticketId: 'RD-1', message: 'any news?' });
    const { ticket, events } = await agent.inspect('RD-1');
    const everything = JSON.stringify({ ticket, events, commits: recording.commits.map((commit) => commit.request) });
    for (const raw of [CARD, CARD.replaceAll(' ', ''), IBAN, IBAN.replaceAll(' ', ''), EMAIL]) expect(everything, raw).not.toContain(raw);
    const stored = ticket!.transcript.find((entry) => entry.role === 'user')!.text;
    expect(stored).toContain('****1111');
    expect(stored).toContain('DE****3000');
    expect(stored).toContain('***@***');
    expect(llm.calls[0]!.message).toBe(message);
    expect(llm.calls[1]!.prompt).not.toContain(CARD);
    expect(llm.calls[1]!.prompt).not.toContain(EMAIL);
    expect(llm.calls[1]!.prompt).toContain('****1111');
  });

  it('P2 a custom redact is used for stored text (message and reply) instead of the default', async () => {
    const seen: string[] = [];
    const redact = (text: string) => {
      seen.push(text);
      return text.replaceAll('banana', '[fruit]');
    };
    const { agent, llm } = createHarness({ redact, replies: { acknowledge: 'Here is your banana.' } });
    llm.enqueue({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal' } });
    await agent.handle({ ticketId: 'RD-2', message: 'I was charged for a banana' });
    llm.enqueue({ intent: null, confidence: 0.2 });
    await agent.handle({ ticketId: 'RD-2', message: `thanks, card ${CARD}` });
    const { ticket, events } = await agent.inspect('RD-2');
    const texts = ticket!.transcript.map((entry) => entry.text);
    expect(texts[0]).toBe('I was charged for a [fruit]');
    // The custom function replaces the default: the card number stays as the app decided.
    expect(texts).toContain(`thanks, card ${CARD}`);
    expect(JSON.stringify(events)).not.toContain('banana');
    expect(seen).toContain('I was charged for a banana');
  });
});

describe('O4 credentials in tool errors', () => {
  it('O4 a tool error quoting an API key or a bearer token is journaled and evented without them (error text and errorDetail)', async () => {
    const key = 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
    const token = 'sk-abcdefghijklmnopqrstuvwxyz123456';
    const intent = defineIntent({ name: 'sync', description: 'Sync the account' });
    const call = defineTool({
      name: 'call_partner',
      input: z.object({}),
      output: z.object({}),
      run: () => {
        throw Object.assign(new Error(`GET https://partner.example/v1?key=${key} failed (Authorization: Bearer ${token})`), {
          url: `https://partner.example/v1?key=${key}`,
        });
      },
    });
    const workflow = defineWorkflow({
      name: 'sync',
      intent,
      tools: [call],
      run: async (context) => {
        await context.call(call, {});
        return { status: 'resolved', reply: 'Synced.' };
      },
    });
    const recording = recordingStore(new MemoryTicketStore());
    const agent = createAgent({
      store: recording.store,
      llm: new MockLLM({ fallback: { intent: 'sync', confidence: 0.95, entities: {} } }),
      intents: [intent],
      workflows: [workflow],
    });
    const result = await agent.handle({ ticketId: 'KEY-1', message: 'sync please' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    const everything = JSON.stringify({ events: await recording.inner.events('KEY-1'), commits: recording.commits.map((commit) => commit.request) });
    expect(everything).toContain('errorDetail');
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(token);
  });
});

describe('P2 redaction of tool error texts', () => {
  const EMAIL = 'jane.doe@example.com';

  /** A workflow whose tools fail with messages quoting the customer's e-mail address (retried, then compensated). */
  function failingWorld(redact?: (text: string) => string) {
    const email = defineSlot({ name: 'email', schema: z.string(), question: 'Your e-mail?' });
    const intent = defineIntent({ name: 'unsubscribe', description: 'The customer wants to stop the newsletter' });
    const remove = defineTool({
      name: 'remove_subscriber',
      input: z.object({ email: z.string() }),
      output: z.object({}),
      retries: 0,
      run: () => ({}),
      compensate: (input) => {
        throw new Error(`could not re-add ${input.email}`);
      },
    });
    const notify = defineTool({
      name: 'notify_subscriber',
      input: z.object({ email: z.string() }),
      output: z.object({}),
      retries: 1,
      run: (input) => {
        throw new Error(`mailbox ${input.email} rejected the message`);
      },
    });
    const workflow = defineWorkflow({
      name: 'unsubscribe',
      intent,
      required: [email],
      tools: [remove, notify],
      run: async (context) => {
        await context.call(remove, { email: context.slots.email });
        await context.call(notify, { email: context.slots.email });
        return { status: 'resolved', reply: 'Done.' };
      },
    });
    const recording = recordingStore(new MemoryTicketStore());
    const llm = new MockLLM();
    const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow], ...(redact ? { redact } : {}) });
    const shown: string[] = [];
    agent.on(
      'ticket.event',
      ({ event }) =>
        void (event.type.includes('failed') || event.type.includes('retried')
          ? shown.push(JSON.stringify({ ...event, data: { ...event.data, errorDetail: undefined } }))
          : null),
    );
    agent.instrument({
      operationStarted: () => ({
        execution: () => ({
          toolCall: () => ({ retried: (_attempt, error) => void shown.push(error), ended: (end) => void shown.push(JSON.stringify(end)) }),
          ended: (end) => void shown.push(JSON.stringify(end)),
        }),
        ended: () => undefined,
      }),
    });
    llm.enqueue({ intent: 'unsubscribe', confidence: 0.95, entities: { email: EMAIL } });
    return { agent, recording, shown };
  }

  it("P2 a tool error quoting the customer's e-mail is stored, evented and instrumented masked by redact", async () => {
    const world = failingWorld();
    const result = await world.agent.handle({ ticketId: 'RE-1', message: 'unsubscribe me' });
    await sleep(20);
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'needs_human' });
    const { events } = await world.agent.inspect('RE-1');
    const types = events.map((event) => event.type);
    for (const type of ['step.retried', 'step.failed', 'compensation.failed', 'execution.failed']) expect(types).toContain(type);
    const errors = events
      .filter((event) => ['step.retried', 'step.failed', 'compensation.failed'].includes(event.type))
      .map((event) => ('error' in event.data ? String(event.data.error) : ''));
    expect(errors.join('\n')).toContain('mailbox ***@*** rejected the message');
    expect(errors.join('\n')).toContain('could not re-add ***@***');
    // The error texts (what people read); `errorDetail` is the error as thrown, journaled like the tool's input (the e-mail is a slot value there too).
    const texts = (data: object) => JSON.stringify({ ...data, errorDetail: undefined });
    const toolErrors = [...events.map((event) => texts(event.data)).filter((data) => data.includes('"error"')), ...world.shown, JSON.stringify(result.action)];
    expect(toolErrors.join('\n')).not.toContain(EMAIL);
    for (const commit of world.recording.commits) expect(JSON.stringify(commit.request.events)).not.toMatch(/"error":"[^"]*jane\.doe/);
  });

  it('P2 a custom redact masks tool error texts too; one that throws withholds the text and the turn still ends', async () => {
    const masked = failingWorld((text) => text.replaceAll(EMAIL, '[customer]'));
    await masked.agent.handle({ ticketId: 'RE-2', message: 'unsubscribe me' });
    const failed = (await masked.agent.inspect('RE-2')).events.find((event) => event.type === 'step.failed')!;
    expect(failed.data.error).toBe('Error: mailbox [customer] rejected the message');

    const throwing = failingWorld((text) => {
      if (text.includes('@')) throw new Error('redact is broken');
      return text;
    });
    const result = await throwing.agent.handle({ ticketId: 'RE-3', message: 'unsubscribe me' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'needs_human' });
    const errors = (await throwing.agent.inspect('RE-3')).events.filter((event) => event.type === 'step.failed' || event.type === 'compensation.failed');
    expect(errors.map((event) => event.data.error)).toEqual([WITHHELD, WITHHELD]);
  });

  it('P2 a redact that throws on the message, returns no string or is async withholds the stored message and reply; handle resolves, nothing unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const broken: [string, (text: string) => string][] = [
        ['throws', () => Number.prototype.toFixed.call(1, 500)],
        ['returns undefined', () => undefined as unknown as string],
        ['is async and rejects', (async () => Promise.reject(new Error('later'))) as unknown as (text: string) => string],
      ];
      for (const [how, redact] of broken) {
        const warnings: unknown[] = [];
        const world = failingWorld(redact);
        const agent = createAgent({
          store: new MemoryTicketStore(),
          llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }),
          intents: [defineIntent({ name: 'greet', description: 'Says hello' })],
          workflows: [],
          redact,
          logger: { warn: (object) => void warnings.push(object), error: () => undefined },
        });
        const result = await agent.handle({ ticketId: `RW-${how}`, message: `hello, I am ${EMAIL}`, messageId: 'm-1' });
        // The customer still gets the answer; what is stored of the turn is withheld.
        expect(result.reply, how).toMatch(/not sure what you need/);
        const transcript = result.ticket.transcript.map((entry) => entry.text);
        expect(transcript, how).toEqual(['(text withheld: redact failed)', '(text withheld: redact failed)']);
        expect(JSON.stringify((await agent.inspect(`RW-${how}`)).events), how).not.toContain(EMAIL);
        expect(warnings.length, how).toBeGreaterThan(0);
        // A resend is still recognised (the fingerprint does not depend on the redacted text alone).
        expect((await agent.handle({ ticketId: `RW-${how}`, message: `hello, I am ${EMAIL}`, messageId: 'm-1' })).duplicate, how).toBe(true);
        expect((await world.agent.handle({ ticketId: `RW-w-${how}`, message: 'unsubscribe me' })).action.type, how).toBe('execute');
      }
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

/**
 * P1 against careless code and models (found by the example's raw-bytes scan): wherever a
 * sensitive value travels — a tool's error message, the reply `run` writes, the result's
 * `data`, a tool input it was reshaped for, another slot a model filed it under — nothing
 * stored, evented or returned shows it in clear.
 */
/** What a careless workflow or model does with the sensitive value. */
type Habit = 'tool-error' | 'retried-error' | 'compensation-error' | 'reply-and-data' | 'reshaped' | 'misfiled' | 'needs-approval' | 'refused-input';
const EXPECTED_OUTCOME: Record<Habit, string> = {
  'tool-error': 'failed',
  'retried-error': 'resolved',
  'compensation-error': 'needs_human',
  'reply-and-data': 'resolved',
  reshaped: 'resolved',
  misfiled: 'resolved',
  'needs-approval': 'awaiting_approval',
  'refused-input': 'ask',
};

describe('P1 careless workflows and models', () => {
  function carelessWorld(habit: Habit) {
    const word = defineSlot({ name: 'memorable_word', schema: z.string().min(4), sensitive: true, question: 'What is your memorable word?' });
    const note = defineSlot({ name: 'note', schema: z.string(), question: 'Anything to add?' });
    const intent = defineIntent({ name: 'verify', description: 'The customer wants to verify their identity' });
    const check = defineTool({
      name: 'check_word',
      // 'refused-input': the schema refuses the value, so the call never runs and is journaled as failed.
      input: z.object({ text: habit === 'refused-input' ? z.string().max(3) : z.string() }),
      output: z.object({ ok: z.boolean() }),
      retries: habit === 'retried-error' ? 1 : 0,
      requiresApproval: habit === 'needs-approval',
      run: (input, context) => {
        if (habit === 'tool-error') throw new Error(`word ${input.text} rejected by the directory`);
        if (habit === 'retried-error' && context.attempt === 1) throw new Error(`word ${input.text} not reachable yet`);
        return { ok: true };
      },
      compensate: (input) => {
        if (habit === 'compensation-error') throw new Error(`could not undo the check of ${input.text}`);
      },
    });
    const fail = defineTool({
      name: 'record_check',
      input: z.object({}),
      output: z.object({}),
      retries: 0,
      run: () => {
        throw new Error('the record service is down');
      },
    });
    const workflow = defineWorkflow({
      name: 'verify_identity',
      intent,
      required: [word],
      tools: [check, fail],
      asks: [note],
      run: async (context) => {
        const clear = context.slots.memorable_word;
        if (habit === 'compensation-error') {
          await context.call(check, { text: clear });
          await context.call(fail, {});
        }
        if (habit === 'refused-input') {
          // The refused call is caught and the procedure waits for an answer: its journal, with the refused input, is stored.
          await context.call(check, { text: clear }).catch(() => null);
          await context.ask(note, { fresh: true });
        }
        await context.call(check, { text: habit === 'reshaped' ? `checking ${clear.toUpperCase().split('').join(' ')}` : clear });
        return { status: 'resolved', reply: `Verified with ${clear}.`, data: { word: clear } };
      },
    });
    const recording = recordingStore(new MemoryTicketStore());
    const llm = new MockLLM({ maxRecordedCalls: Number.POSITIVE_INFINITY });
    const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow], encryptionKey: randomBytes(32).toString('base64') });
    const hooks: string[] = [];
    agent.on('ticket.event', (event) => hooks.push(JSON.stringify(event)));
    agent.on('turn.completed', (event) => hooks.push(JSON.stringify(event)));
    // What instrumentation (e.g. otel with captureContent) is handed: tool inputs, retries, errors.
    const seen = (what: string) => (value: unknown) => void hooks.push(`${what} ${JSON.stringify(value)}`);
    agent.instrument({
      operationStarted: () => ({
        execution: () => ({
          toolCall: (start) => (seen('tool')(start), { retried: (attempt, error) => seen('retried')({ attempt, error }), ended: seen('tool.ended') }),
          ended: seen('execution.ended'),
        }),
        ended: seen('operation.ended'),
      }),
    });
    llm.enqueue({
      intent: 'verify',
      confidence: 0.95,
      entities: { memorable_word: SECRET, ...(habit === 'misfiled' ? { note: `the word is ${SECRET.toUpperCase()}` } : {}) },
    });
    return { agent, recording, hooks };
  }

  for (const habit of Object.keys(EXPECTED_OUTCOME) as Habit[]) {
    it(`P1 ${habit}: no stored document, event, hook payload or result shows the value in clear`, async () => {
      const world = carelessWorld(habit);
      const result = await world.agent.handle({ ticketId: 'PC-1', message: 'verify me please' });
      await sleep(20);
      if (habit === 'refused-input') expect(result.action).toMatchObject({ type: 'ask', slot: 'note' });
      else expect(result.action).toMatchObject({ type: 'execute', outcome: EXPECTED_OUTCOME[habit] });
      const results: unknown[] = [result, await world.agent.inspect('PC-1')];
      if (habit === 'needs-approval') {
        results.push(await world.agent.approve('PC-1', { by: 'agent-7' }));
        expect(results[2]).toMatchObject({ action: { type: 'execute', outcome: 'resolved' } });
        results.push(await world.agent.inspect('PC-1'));
        await sleep(20);
      }
      const everything = [
        ...results.map((shown) => JSON.stringify(shown)),
        ...world.hooks,
        ...world.recording.commits.map((commit) => JSON.stringify(commit.request)),
      ]
        .join('\n')
        .toLowerCase();
      for (const line of everything.split('\n'))
        if (line.includes(SECRET)) console.log('LEAK', line.slice(Math.max(0, line.indexOf(SECRET) - 300), line.indexOf(SECRET) + 50));
      expect(everything).not.toContain(SECRET);
      expect(everything.replaceAll(' ', '')).not.toContain(SECRET);
      const types = (await world.agent.inspect('PC-1')).events.map((event) => event.type);
      if (habit === 'retried-error') expect(types).toContain('step.retried');
      if (habit === 'compensation-error') expect(types).toContain('compensation.failed');
      if (habit === 'reply-and-data') expect(result.reply).toBe(`Verified with ${MASK}.`);
      if (habit === 'misfiled') expect((await world.agent.getTicket('PC-1'))?.slots.note).toBeUndefined();
    });
  }
});

describe('P1 values that merely contain a sensitive value', () => {
  it('P1 a phone number ending in the digits of the PIN is accepted (only a value naming the PIN as a whole is refused)', async () => {
    const pin = defineSlot({ name: 'pin', schema: z.string().regex(/^\d{4}$/), sensitive: true, question: 'Your PIN?' });
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
    const note = defineSlot({ name: 'note', schema: z.string(), question: 'Anything else?' });
    const intent = defineIntent({ name: 'verify' });
    const workflow = defineWorkflow({
      name: 'verify_line',
      intent,
      required: [pin, phone],
      optional: [note],
      run: () => ({ status: 'resolved', reply: 'Verified.' }),
    });
    const llm = new MockLLM();
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm,
      intents: [intent],
      workflows: [workflow],
      encryptionKey: randomBytes(32).toString('base64'),
    });
    llm.enqueue({ intent: 'verify', confidence: 0.95, entities: { pin: '1234', phone: '5551234', note: 'my pin is 1234' } });
    const result = await agent.handle({ ticketId: 'PN-1', message: 'verify line 5551234, pin 1234' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    const { events } = await agent.inspect('PN-1');
    const rejected = events.filter((event) => event.type === 'slot.rejected').map((event) => ('slot' in event.data ? event.data.slot : null));
    expect(rejected).toEqual(['note']);
  });
});
