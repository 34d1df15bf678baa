import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyHarness } from './policy.test-helpers.js';

const slotValue = fc.oneof(
  fc.record({ service_type: fc.constantFrom('fiber', 'mobile', 'dsl', 'satellite') }),
  fc.record({ region: fc.constantFrom('Berlin', 'Hamburg', 'X', '') }),
  fc.record({ phone: fc.constantFrom('030 1234567', '040 7654321', '099 0000000', 'nope') }),
  fc.record({ account_type: fc.constantFrom('personal', 'business', 'alien') }),
  fc.record({ amount: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constant('lots')) }),
  fc.record({ device_type: fc.constantFrom('FritzBox', 'iPhone 15') }),
  fc.record({ confirm: fc.boolean() }),
  fc.record({ unknown_key: fc.string() }),
);

const decision = fc.record({
  intent: fc.constantFrom('no_internet', 'billing_dispute', 'order_pizza', null),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  entities: fc.array(slotValue, { maxLength: 3 }).map((parts) => Object.assign({}, ...parts) as Record<string, unknown>),
});

describe('policy properties', () => {
  it('D4 S1 a clarification never names more than one slot, nor a slot already known', () => {
    fc.assert(
      fc.property(fc.array(decision, { minLength: 1, maxLength: 12 }), (decisions) => {
        const harness = policyHarness();
        for (const next of decisions) {
          const plan = harness.decide(next);
          if (plan.kind === 'execute') {
            harness.completeRun(plan);
            continue;
          }
          if (plan.kind !== 'reply' || plan.action.type !== 'ask') continue;
          expect(typeof plan.action.slot).toBe('string');
          expect(plan.action.question.length).toBeGreaterThan(0);
          if (plan.action.slot === 'intent') expect(harness.ticket.intent).toBeNull();
          else if (plan.action.slot !== 'confirm') expect(harness.ticket.slots[plan.action.slot]).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('S2 an inferred value never replaces a user value', () => {
    fc.assert(
      fc.property(fc.array(decision, { minLength: 1, maxLength: 12 }), (decisions) => {
        const harness = policyHarness();
        for (const next of decisions) {
          const before = harness.ticket.slots;
          harness.decide(next);
          for (const [name, value] of Object.entries(before)) {
            if (value.source !== 'user') continue;
            const after = harness.ticket.slots[name];
            if (after === undefined) {
              // only spent values of a confirmed workflow leave on an intent switch (S3)
              expect(value.spent).toBe(true);
              continue;
            }
            expect(after.source).toBe('user');
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('S3 stable facts, once known, are never discarded', () => {
    fc.assert(
      fc.property(fc.array(decision, { minLength: 1, maxLength: 12 }), (decisions) => {
        const harness = policyHarness();
        for (const next of decisions) {
          const before = harness.ticket.slots;
          const plan = harness.decide(next);
          if (plan.kind === 'execute') harness.completeRun(plan);
          for (const name of ['service_type', 'account_type']) {
            if (before[name]) expect(harness.ticket.slots[name]).toBeDefined();
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
