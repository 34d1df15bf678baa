import { buildDecisionPrompt } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { createTelecomLLM } from './create-telecom-llm.js';
import { decideTelecom } from './decide-telecom.js';

/** A prompt shaped like the core's: the parts the offline LLM reads. */
function prompt(message: string, context: { intent?: string; pending?: string } = {}): string {
  return [
    '## Current ticket',
    `- intent: ${context.intent ?? 'none yet'}`,
    ...(context.pending ? [`- pending question: ${context.pending} (…)`] : []),
    '',
    '## Latest customer message (verbatim)',
    '<<<CUSTOMER_MESSAGE',
    message,
    'CUSTOMER_MESSAGE>>>',
  ].join('\n');
}

describe('offline LLM: intents', () => {
  it.each([
    ['My internet is down since this morning', 'no_internet', 0.9],
    ['no connection at all', 'no_internet', 0.9],
    ["the wifi doesn't work", 'no_internet', 0.9],
    ['videos keep buffering, the internet is so slow', 'slow_internet', 0.88],
    ['I was charged twice this month', 'billing_dispute', 0.9],
    ['I want a refund', 'billing_dispute', 0.9],
    ['please upgrade me to Unlimited', 'plan_change', 0.9],
    ['I want a cheaper plan', 'plan_change', 0.9],
    ["I'm travelling to Spain next week", 'roaming', 0.9],
    ['activate my new SIM card', 'sim_activation', 0.9],
    ['how do I set up an eSIM?', 'sim_activation', 0.9],
    ['let me talk to a human', 'talk_to_human', 0.95],
    ['something is wrong with my network', 'no_internet', 0.5],
  ])('"%s" → %s (%s)', (message, intent, confidence) => {
    expect(decideTelecom(prompt(message))).toMatchObject({ intent, confidence });
  });

  it('D2 gives no intent (low confidence) to small talk, so the ticket keeps its intent', () => {
    expect(decideTelecom(prompt('thanks a lot!'))).toEqual({ intent: null, confidence: 0.2, entities: {} });
  });

  it('restates the ticket intent for "try again", which re-runs a failed workflow', () => {
    expect(decideTelecom(prompt('please try again', { intent: 'plan_change' }))).toMatchObject({ intent: 'plan_change', confidence: 0.9 });
    expect(decideTelecom(prompt('please try again'))).toMatchObject({ intent: null });
  });
});

describe('offline LLM: entities', () => {
  it.each([
    ['my landline is 030 5550123', { phone: '030 5550123' }],
    ['call me on +49 151 2345678 please', { phone: '+49 151 2345678' }],
    ["I'm in München", { region: 'Munich' }],
    ['refund 80 euros', { amount: 80 }],
    ['they took €12.50 too much', { amount: 12.5 }],
    ['switch to the business pro plan', { plan: 'business_pro' }],
    ['on my iPhone 15 Pro', { phone_model: 'iPhone 15 Pro' }],
    ['it is a samsung galaxy s23', { phone_model: 'Samsung Galaxy S23' }],
    ['my android phone', { device_type: 'android' }],
    ['my fibre line', { service_type: 'fiber' }],
    ['VDSL at home', { service_type: 'dsl' }],
    ['mobile data', { service_type: 'mobile' }],
    ['it is a business account', { account_type: 'business' }],
    ['going to the USA', { destination: 'United States' }],
    ['activate my e-SIM', { sim_format: 'esim' }],
    ['the SIM card number is 8949 0200 0012 3456 789', { iccid: '8949020000123456789', sim_format: 'physical' }],
  ])('"%s" → %o', (message, entities) => {
    expect(decideTelecom(prompt(message)).entities).toMatchObject(entities);
  });

  it('does not mistake plans in phone models, ICCIDs for phones, or "us" for a country', () => {
    const decision = decideTelecom(prompt('my iPhone 15 Plus, SIM 8949020000123456789, can you help us'));
    expect(decision.entities).not.toHaveProperty('plan');
    expect(decision.entities).not.toHaveProperty('phone');
    expect(decision.entities).not.toHaveProperty('destination');
  });

  it('reads yes/no answers as confirm, but "no internet" is not a no', () => {
    expect(decideTelecom(prompt('yes please')).entities).toEqual({ confirm: true });
    expect(decideTelecom(prompt('OK, go ahead')).entities).toEqual({ confirm: true });
    expect(decideTelecom(prompt("no, don't")).entities).toEqual({ confirm: false });
    expect(decideTelecom(prompt('No internet here')).entities).not.toHaveProperty('confirm');
    expect(decideTelecom(prompt('No, make it 60 euros')).entities).toEqual({ confirm: false, amount: 60 });
  });

  it('understands short answers to the pending question', () => {
    expect(decideTelecom(prompt('80', { pending: 'amount' })).entities).toEqual({ amount: 80 });
    expect(decideTelecom(prompt('business', { pending: 'account_type' })).entities).toEqual({ account_type: 'business' });
    expect(decideTelecom(prompt('on my phone', { pending: 'service_type' })).entities).toEqual({ service_type: 'mobile' });
    expect(decideTelecom(prompt('Potsdam', { pending: 'region' })).entities).toEqual({ region: 'Potsdam' });
    expect(decideTelecom(prompt("I'm in bad homburg", { pending: 'region' })).entities).toEqual({ region: 'Bad Homburg' });
    expect(decideTelecom(prompt('Portugal', { pending: 'destination' })).entities).toEqual({ destination: 'Portugal' });
    expect(decideTelecom(prompt('80', { pending: 'region' })).entities).toEqual({});
  });

  it('reads the prompt the core builds (latest message verbatim, ticket context)', () => {
    const built = buildDecisionPrompt({
      message: 'Hamburg',
      ticket: { intent: 'no_internet', slots: {}, pending: { slot: 'region', workflow: 'fiber_no_internet' }, transcript: [], workflow: null } as never,
      registry: { intents: new Map(), slots: new Map(), workflows: new Map() } as never,
    });
    expect(decideTelecom(built)).toEqual({ intent: null, confidence: 0.2, entities: { region: 'Hamburg' } });
  });
});

describe('createTelecomLLM', () => {
  it('is a MockLLM: faults and scripted answers can be injected before the rules answer', async () => {
    const llm = createTelecomLLM();
    llm.failNext('rate_limited');
    await expect(llm.generate(prompt('my internet is down'))).rejects.toMatchObject({ kind: 'rate_limited' });
    const answer = await llm.generate(prompt('my internet is down'));
    expect(JSON.parse(answer.text)).toMatchObject({ intent: 'no_internet' });
    expect(answer.model).toBe('telecom-rules-1');
    expect(llm.calls).toHaveLength(2);
  });
});
