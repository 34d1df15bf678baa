import { describe, expect, it } from 'vitest';
import { planTurn } from './plan-turn.js';
import { policyHarness } from './policy.test-helpers.js';

describe('choose next action', () => {
  it('D1 one intent maps to several workflows chosen by deterministic rules over known slots', () => {
    const fiber = policyHarness();
    fiber.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Berlin' } });
    expect(fiber.ticket.intent).toBe('no_internet');
    expect(fiber.ticket.workflow).toBe('fiber_troubleshoot');
    const mobile = policyHarness();
    const plan = mobile.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'mobile', region: 'Berlin' } });
    expect(mobile.ticket.intent).toBe('no_internet');
    expect(plan.kind === 'execute' && plan.workflow.name).toBe('mobile_troubleshoot');
  });

  it('D1 asks for the slot a workflow choice depends on before any workflow is chosen', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9 });
    expect(plan.kind === 'reply' && plan.action).toEqual({ type: 'ask', slot: 'service_type', question: 'Is it fiber, mobile or DSL?' });
    expect(harness.ticket.workflow).toBeNull();
  });

  it('D2 missing entities never lower the confidence the engine records, and the engine never adjusts it', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.71, entities: {} });
    const changed = plan.draft.events.find((event) => event.type === 'intent.changed');
    expect(changed?.data?.confidence).toBe(0.71);
    expect(harness.ticket.intent).toBe('no_internet');
  });

  it('D3 D4 below the threshold asks the reserved slot intent, listing the candidate intents by their customer-facing label', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.69 });
    expect(plan.kind).toBe('reply');
    if (plan.kind !== 'reply' || plan.action.type !== 'ask') throw new Error('expected ask');
    expect(plan.action.slot).toBe('intent');
    expect(plan.action.question).toContain('no internet');
    expect(plan.action.question).toContain('billing dispute');
    expect(plan.action.question).not.toContain('Internet does not work at all');
    expect(harness.ticket.intent).toBeNull();
  });

  it('D3 a later low-confidence or intent-less decision keeps an established intent', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9 });
    harness.decide({ intent: 'billing_dispute', confidence: 0.3, entities: { service_type: 'fiber' } });
    expect(harness.ticket.intent).toBe('no_internet');
    const plan = harness.decide({ intent: null, confidence: 0 });
    expect(harness.ticket.intent).toBe('no_internet');
    expect(plan.kind === 'reply' && plan.action).toMatchObject({ type: 'ask', slot: 'region' });
  });

  it('D3a an undeclared intent counts as unclear, even at full confidence', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'order_pizza', confidence: 1 });
    expect(plan.kind === 'reply' && plan.action).toMatchObject({ type: 'ask', slot: 'intent' });
    expect(harness.ticket.intent).toBeNull();
  });

  it('D4 every clarification asks exactly one slot with the question it declares', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'billing_dispute', confidence: 0.9 });
    const plan = harness.plans[0]!;
    expect(plan.kind === 'reply' && plan.action).toEqual({
      type: 'ask',
      slot: 'account_type',
      question: 'Is this a personal or a business account?',
      workflow: 'billing_credit',
    });
  });

  it('S1 asks only for missing required slots, one per turn, in declared order, never optional ones', () => {
    const harness = policyHarness();
    const asked: string[] = [];
    let plan = harness.decide({ intent: 'billing_dispute', confidence: 0.9 });
    while (plan.kind === 'reply' && plan.action.type === 'ask' && plan.action.slot !== 'confirm') {
      asked.push(plan.action.slot);
      plan = harness.decide({ entities: plan.action.slot === 'account_type' ? { account_type: 'personal' } : { amount: 20 } });
    }
    expect(asked).toEqual(['account_type', 'amount']);
    const fiber = policyHarness();
    const fiberPlan = fiber.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    expect(fiberPlan.kind).toBe('execute');
  });

  it('S1 does not ask again for a slot given earlier in the same turn as the intent', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { amount: 30 } });
    expect(plan.kind === 'reply' && plan.action).toMatchObject({ type: 'ask', slot: 'account_type' });
  });

  it('E1 same ticket + same decision = same plan', () => {
    const harness = policyHarness();
    const context = { registry: harness.registry, confidenceThreshold: 0.7, turn: 1, at: '2026-01-01T00:00:00.000Z' };
    const decisions = [
      { intent: 'no_internet', confidence: 0.9, entities: { phone: '040 555 1234' } },
      { intent: null, confidence: 0.2, entities: { service_type: 'fiber' } },
      { intent: 'billing_dispute', confidence: 0.8, entities: { amount: 12, account_type: 'personal' } },
    ];
    let ticket = harness.ticket;
    for (const [index, decision] of decisions.entries()) {
      const turnContext = { ...context, turn: index + 1 };
      const first = planTurn({ ...ticket, turn: index + 1 }, decision, turnContext);
      const second = planTurn({ ...ticket, turn: index + 1 }, decision, turnContext);
      expect(first.draft).toEqual(second.draft);
      expect(first.kind === 'reply' ? first.action : first.kind === 'abandon' ? first.reason : first.workflow.name).toEqual(
        second.kind === 'reply' ? second.action : second.kind === 'abandon' ? second.reason : second.workflow.name,
      );
      ticket = first.draft.ticket;
    }
    expect(ticket.workflow).toBe('billing_credit');
  });

  it('E2 executes once every required slot is known, deferring missing optional slots', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } });
    const plan = harness.decide({ entities: { region: 'Hamburg' } });
    expect(plan.kind).toBe('execute');
    expect(harness.ticket.deferred).toEqual(['device_type']);
    expect(plan.draft.events.some((event) => event.type === 'slots.deferred')).toBe(true);
  });

  it('E2 a confirm workflow asks the reserved slot confirm restating the values, and only a yes runs it', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 25 } });
    if (plan.kind !== 'reply' || plan.action.type !== 'ask') throw new Error('expected ask');
    expect(plan.action.slot).toBe('confirm');
    expect(plan.action.question).toContain('business');
    expect(plan.action.question).toContain('25');
    expect(harness.ticket.status).toBe('awaiting_confirmation');
    expect(harness.decide({ intent: null, confidence: 0.1 }).kind).toBe('reply');
    expect(harness.decide({ entities: { confirm: true } }).kind).toBe('execute');
  });

  it('E2 a correction asks again with the new values; a no without a correction cancels', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 25 } });
    const corrected = harness.decide({ entities: { confirm: false, amount: 35 } });
    if (corrected.kind !== 'reply' || corrected.action.type !== 'ask') throw new Error('expected ask');
    expect(corrected.action.slot).toBe('confirm');
    expect(corrected.action.question).toContain('35');
    const correctedWithYes = harness.decide({ entities: { confirm: true, amount: 40 } });
    expect(correctedWithYes.kind === 'reply' && correctedWithYes.action).toMatchObject({ type: 'ask', slot: 'confirm' });
    const cancelled = harness.decide({ entities: { confirm: false } });
    expect(cancelled.kind === 'reply' && cancelled.action).toEqual({ type: 'cancelled', workflow: 'billing_credit' });
    expect(harness.ticket.confirmation).toBeNull();
    const afterwards = harness.decide({ intent: null, confidence: 0 });
    expect(afterwards.kind === 'reply' && afterwards.action).toEqual({ type: 'acknowledge' });
  });

  it('E2 values added alongside a yes are used', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'no_internet', confidence: 0.9 });
    harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 25 } });
    const plan = harness.decide({ entities: { confirm: true, device_type: 'router X' } });
    expect(plan.kind).toBe('execute');
    expect(harness.ticket.slots.device_type?.value).toBe('router X');
  });

  it('E2a a workflow that ran is not re-run by a turn that changes nothing ("thanks")', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    harness.completeRun(plan);
    const thanks = harness.decide({ intent: null, confidence: 0.1 });
    expect(thanks.kind === 'reply' && thanks.action).toEqual({ type: 'acknowledge' });
    const restated = harness.decide({ intent: 'no_internet', confidence: 0.95 });
    expect(restated.kind === 'reply' && restated.action).toEqual({ type: 'acknowledge' });
    const optional = harness.decide({ entities: { device_type: 'FritzBox' } });
    expect(optional.kind === 'reply' && optional.action).toEqual({ type: 'acknowledge' });
    expect(harness.ticket.slots.device_type?.value).toBe('FritzBox');
  });

  it('E2a a changed required value runs it again', () => {
    const harness = policyHarness();
    harness.completeRun(harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } }));
    const rerun = harness.decide({ entities: { region: 'Munich' } });
    expect(rerun.kind === 'execute' && rerun.workflow.name).toBe('fiber_troubleshoot');
  });

  it('E2a a confirmed credit is never run twice by a thanks', () => {
    const harness = policyHarness();
    harness.decide({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 25 } });
    harness.completeRun(harness.decide({ entities: { confirm: true } }));
    for (const decision of [{ intent: null, confidence: 0 }, { intent: 'billing_dispute', confidence: 0.9 }, { entities: { confirm: true } }]) {
      const plan = harness.decide(decision);
      expect(plan.kind === 'reply' && plan.action).toEqual({ type: 'acknowledge' });
    }
  });

  it('escalates when an intent has no workflow matching the known facts', () => {
    const harness = policyHarness();
    const plan = harness.decide({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'dsl' } });
    expect(plan.kind === 'reply' && plan.action).toEqual({ type: 'escalate', reason: 'no_matching_workflow' });
    expect(harness.ticket.status).toBe('escalated');
  });
});
