import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { TelecomBackend } from '../backend/telecom-backend.js';
import { createTelecomAgent } from '../create-telecom-agent.js';

function harness() {
  const backend = new TelecomBackend({ latencyMs: 0 });
  const telecom = createTelecomAgent({ store: new MemoryTicketStore(), backend, toolTimeoutMs: 100, llmRetry: { retries: 0 } });
  const say = (ticketId: string, message: string) => telecom.agent.handle({ ticketId, message });
  const callsOf = (ticketId: string) => backend.calls.filter((call) => call.key.startsWith(`${ticketId}:`));
  return { ...telecom, backend, say, callsOf };
}

describe('telecom domain: intents → workflows (D1)', () => {
  it.each([
    ['My fiber internet is down, I am in Berlin', 'fiber_no_internet'],
    ['My DSL line is dead, landline 030 5550123', 'dsl_no_internet'],
  ])('D1 "%s" runs %s', async (message, workflow) => {
    const { say } = harness();
    const result = await say('T', message);
    expect(result.action).toMatchObject({ type: 'execute', workflow });
  });

  it('D1 mobile data goes to the mobile data procedure, which first needs the line’s number', async () => {
    const { say } = harness();
    expect((await say('T', 'My mobile data stopped working, I am in Berlin')).action).toMatchObject({
      type: 'ask',
      slot: 'phone',
      workflow: 'mobile_data_troubleshooting',
    });
    expect((await say('T', 'My phone shows no service')).action).toMatchObject({ type: 'ask', slot: 'phone', workflow: 'no_service_troubleshooting' });
  });

  it('D1 asks for service_type when the workflow cannot be chosen without it', async () => {
    const { say } = harness();
    expect((await say('T', 'no internet since this morning')).action).toMatchObject({ type: 'ask', slot: 'service_type' });
    expect((await say('T', 'fiber')).action).toMatchObject({ type: 'ask', slot: 'region', workflow: 'fiber_no_internet' });
  });

  it('D3 asks for the intent itself when the message is unclear, listing the candidates', async () => {
    const { say } = harness();
    const result = await say('T', 'hello, something is wrong with my network');
    expect(result.decision).toMatchObject({ intent: 'no_internet', confidence: 0.5 });
    expect(result.action).toMatchObject({ type: 'ask', slot: 'intent', question: expect.stringContaining('changing your plan') });
  });

  it('chooses the eSIM or the physical SIM workflow by sim_format; a physical SIM needs its number', async () => {
    const { say } = harness();
    expect((await say('E', 'Please activate my new eSIM on 0151 2345678')).action).toMatchObject({
      type: 'execute',
      workflow: 'esim_activation',
      outcome: 'resolved',
    });
    expect((await say('P', 'I need to activate my new SIM card for 0151 7654321')).action).toMatchObject({
      type: 'ask',
      slot: 'iccid',
      workflow: 'physical_sim_activation',
    });
    expect((await say('P', '8949 0200 0012 3456 780')).action).toMatchObject({ type: 'execute', workflow: 'physical_sim_activation', outcome: 'resolved' });
  });

  it('hands over to a human: the ticket joins the queue and is escalated', async () => {
    const { say, backend } = harness();
    const result = await say('H', 'I want to talk to a real person');
    expect(result.action).toEqual({ type: 'execute', workflow: 'human_handover', outcome: 'escalated' });
    expect(backend.queue).toHaveLength(1);
  });
});

describe('telecom domain: inferred and stable slots', () => {
  it('S2 infers the region from a landline area code, with its source', async () => {
    const { say } = harness();
    const result = await say('T', 'My DSL line is dead, landline 030 5550123');
    expect(result.ticket.slots.region).toMatchObject({ value: 'Berlin', source: 'inferred', from: ['phone'] });
  });

  it('S2 a mobile number gives no region, so the region is asked', async () => {
    const { say } = harness();
    const result = await say('T', 'My DSL internet is down, call me on 0151 2345678');
    expect(result.ticket.slots.region).toBeUndefined();
    expect(result.action).toMatchObject({ type: 'ask', slot: 'region' });
  });

  it('S2 re-infers the region when the phone is corrected, and removes it when the new number gives none', async () => {
    const { say } = harness();
    await say('T', 'My DSL line is dead, landline 030 5550123');
    const corrected = await say('T', 'sorry, the line is 0341 5550188');
    expect(corrected.ticket.slots.region).toMatchObject({ value: 'Leipzig', source: 'inferred' });
    expect(corrected.action).toMatchObject({ type: 'execute', workflow: 'dsl_no_internet' });
    const mobile = await say('T', 'no wait, use 0151 2345678');
    expect(mobile.ticket.slots.region).toBeUndefined();
    expect(mobile.action).toMatchObject({ type: 'ask', slot: 'region' });
  });

  it('S2 never overrides a region the customer stated', async () => {
    const { say } = harness();
    const result = await say('T', "My DSL line is dead. I'm in Munich, landline 030 5550123");
    expect(result.ticket.slots.region).toMatchObject({ value: 'Munich', source: 'user' });
  });

  it('S2 infers the device type from a named phone model and follows a change of model', async () => {
    const { say } = harness();
    const first = await say('R', "I'm travelling to Spain and need roaming on my iPhone 15");
    expect(first.ticket.slots.device_type).toMatchObject({ value: 'ios', source: 'inferred', from: ['phone_model'] });
    const second = await say('R', 'oh, I will take my Pixel 8 instead');
    expect(second.ticket.slots.device_type).toMatchObject({ value: 'android', source: 'inferred' });
  });

  it('S3 an intent switch keeps the stable facts: no question asked again', async () => {
    const { say } = harness();
    await say('T', 'My fiber internet is down');
    await say('T', 'Hamburg');
    const slow = await say('T', 'it is also really slow in the evenings');
    expect(slow.ticket.intent).toBe('slow_internet');
    expect(slow.action).toMatchObject({ type: 'execute', workflow: 'slow_internet_check', outcome: 'resolved' });
    expect(slow.ticket.slots).toMatchObject({ service_type: { value: 'fiber' }, region: { value: 'Hamburg' } });
  });
});

describe('telecom domain: money, confirmations, compensation and approval', () => {
  it('E2 asks for a confirmation that restates the values; a no cancels and nothing runs', async () => {
    const { say, callsOf } = harness();
    const asked = await say('C', 'I want to switch to the Plus plan, personal account');
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringMatching(/plan: plus.*\(yes\/no\)/) });
    expect((await say('C', 'no')).action).toEqual({ type: 'cancelled', workflow: 'plan_change' });
    expect(callsOf('C')).toEqual([]);
  });

  it('E3 compensates the credit when the notification after it fails', async () => {
    const { say, backend, callsOf } = harness();
    await say('C', 'You overcharged me 30 euros, personal account');
    backend.setFault('send_notification', 'fail');
    const failed = await say('C', 'yes');
    expect(failed.action).toMatchObject({ type: 'execute', workflow: 'billing_credit', outcome: 'failed' });
    expect(callsOf('C').map((call) => `${call.operation}:${call.kind}:${call.result}`)).toEqual([
      'issue_credit:run:ok',
      'send_notification:run:failed',
      'send_notification:run:failed',
      'issue_credit:undo:ok',
    ]);
    expect(backend.liveEffects().filter((effect) => effect.operation === 'issue_credit')).toEqual([]);
    expect(failed.ticket.slots.amount).toMatchObject({ value: 30 });
  });

  it('E3 reverts a plan change when the contract summary cannot be sent, and a retry succeeds (T5)', async () => {
    const { say, backend } = harness();
    await say('P', 'Upgrade me to Unlimited, personal account');
    backend.setFault('send_notification', 'fail');
    expect((await say('P', 'yes')).action).toMatchObject({ outcome: 'failed' });
    expect(backend.plans.get('ticket:P')).toBe('basic');
    backend.clearFaults();
    expect((await say('P', 'yes, try again')).action).toMatchObject({ outcome: 'resolved' });
    expect(backend.plans.get('ticket:P')).toBe('unlimited');
  });

  it('a hanging tool times out, the execution fails and is compensated', async () => {
    const { say, backend, callsOf } = harness();
    await say('H', 'Switch me to the Basic plan, personal account');
    backend.setFault('change_plan', 'hang');
    const result = await say('H', 'yes');
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(callsOf('H').filter((call) => call.kind === 'undo')).toEqual([expect.objectContaining({ operation: 'change_plan', result: 'noop' })]);
  });

  it('a compensation that fails too leaves the ticket to a human (needs_human)', async () => {
    const { say, backend } = harness();
    await say('N', 'refund 20 euros please, I was charged twice. Business account');
    backend.setFault('send_notification', 'fail');
    backend.setFault('issue_credit', 'fail-compensation');
    const result = await say('N', 'yes');
    expect(result.ticket.status).toBe('needs_human');
    expect((await say('N', 'hello?')).action).toEqual({ type: 'escalate', reason: 'needs_human' });
  });

  it('runs a credit of exactly 50 € without approval; above 50 € it waits for a supervisor', async () => {
    const { say, agent, callsOf } = harness();
    await say('A', 'refund 50 euros, personal account');
    expect((await say('A', 'yes')).action).toMatchObject({ outcome: 'resolved' });
    await say('B', 'refund 50.01 euros, personal account');
    const parked = await say('B', 'yes');
    expect(parked.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'awaiting_approval' });
    expect(callsOf('B')).toEqual([]);
    const approved = await agent.approve('B', { by: 'supervisor-1', note: 'ok' });
    expect(approved.action).toMatchObject({ outcome: 'resolved' });
    expect(callsOf('B').map((call) => call.operation)).toEqual(['issue_credit', 'send_notification']);
  });

  it('a rejected credit is closed and nothing stays applied', async () => {
    const { say, agent, backend } = harness();
    await say('R', 'refund 200 euros, business account');
    await say('R', 'yes');
    const rejected = await agent.reject('R', { by: 'supervisor-1', note: 'no' });
    expect(rejected.ticket.status).toBe('closed');
    expect(backend.liveEffects()).toEqual([]);
  });

  it('refuses Business Pro for a personal account without touching the backend', async () => {
    const { say, callsOf } = harness();
    await say('X', 'Switch me to the Business Pro plan, personal account');
    const result = await say('X', 'yes');
    expect(result.reply).toContain('only available for business accounts');
    expect(callsOf('X')).toEqual([]);
  });
});
