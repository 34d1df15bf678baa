import { describe, expect, it } from 'vitest';
import { policyHarness } from './policy.test-helpers.js';

describe('apply decision', () => {
  it('S2 infers a slot from its sources and records where it came from', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { phone: '030 1234567' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Berlin', source: 'inferred', from: ['phone'] });
    expect(plan.draft.events).toContainEqual(
      expect.objectContaining({ type: 'slot.inferred', data: expect.objectContaining({ slot: 'region', value: 'Berlin' }) }),
    );
  });

  it('S2 an inference is reversible: recomputed when its source changes, removed when it no longer derives', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { phone: '030 1234567' } });
    harness.decide({ entities: { phone: '040 7654321' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Hamburg', source: 'inferred' });
    const reverted = harness.decide({ entities: { phone: '099 1111111' } });
    expect(harness.ticket.slots.region).toBeUndefined();
    expect(reverted.draft.events).toContainEqual(
      expect.objectContaining({ type: 'slot.reverted', data: expect.objectContaining({ slot: 'region', value: 'Hamburg' }) }),
    );
  });

  it('S2 an inferred value never overrides a value the user gave', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { region: 'Munich' } });
    harness.decide({ entities: { phone: '030 1234567' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Munich', source: 'user' });
    harness.decide({ entities: { phone: '040 1234567' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Munich', source: 'user' });
  });

  it('S2 a user value replaces an inferred one', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { phone: '030 1234567' } });
    const plan = harness.decide({ entities: { region: 'Potsdam' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Potsdam', source: 'user' });
    expect(plan.draft.events).toContainEqual(
      expect.objectContaining({ type: 'slot.set', data: expect.objectContaining({ slot: 'region', replaced: { value: 'Berlin', source: 'inferred' } }) }),
    );
  });

  it('S3 stable facts persist across turns and intent switches; a correction replaces the value', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal' } });
    expect(harness.ticket.intent).toBe('billing_dispute');
    expect(harness.ticket.slots.service_type?.value).toBe('fiber');
    expect(harness.ticket.slots.region?.value).toBe('Hamburg');
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { region: 'Munich' } });
    expect(harness.ticket.slots.region).toMatchObject({ value: 'Munich', source: 'user' });
    expect(harness.ticket.slots.account_type?.value).toBe('personal');
  });

  it('S3 values of a confirm workflow that ran are spent: a new intent does not reuse them', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 25 } });
    harness.completeRun(harness.decide({ entities: { confirm: true } }));
    expect(harness.ticket.slots.amount?.spent).toBe(true);
    expect(harness.ticket.slots.account_type?.spent).toBeUndefined();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9 });
    expect(harness.ticket.slots.amount).toBeUndefined();
    expect(harness.ticket.slots.account_type?.value).toBe('business');
    expect(plan.draft.events).toContainEqual(expect.objectContaining({ type: 'slot.cleared', data: expect.objectContaining({ slot: 'amount' }) }));
  });

  it('S4 a value that fails the slot schema is not stored; the slot stays missing', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'galactic', amount: -5 } });
    expect(harness.ticket.slots.account_type).toBeUndefined();
    expect(harness.ticket.slots.amount).toBeUndefined();
    expect(plan.kind === 'reply' && plan.action).toMatchObject({ type: 'ask', slot: 'account_type' });
    expect(plan.draft.events.filter((event) => event.type === 'slot.rejected').map((event) => event.data?.slot)).toEqual(['account_type', 'amount']);
  });

  it('records unknown entity keys and ignores them', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { favourite_colour: 'blue', tool: 'issue_credit' } });
    expect(harness.ticket.slots).toEqual({});
    expect(plan.draft.events).toContainEqual(expect.objectContaining({ type: 'entity.ignored', data: { names: ['favourite_colour', 'tool'] } }));
  });

  it('O2 every change of decision state has an event explaining it', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', phone: '030 1234567' } });
    const types = plan.draft.events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['intent.changed', 'slot.set', 'slot.inferred', 'workflow.chosen']));
    const correction = harness.decide({ entities: { service_type: 'mobile' } });
    expect(correction.draft.events.map((event) => event.type)).toEqual(expect.arrayContaining(['slot.corrected', 'workflow.chosen']));
  });
});
