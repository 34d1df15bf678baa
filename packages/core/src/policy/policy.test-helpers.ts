import { newTicket } from '../document/ticket-document.js';
import type { Decision } from '../decide/decision.js';
import { buildRegistry } from '../model/registry.js';
import type { TicketDoc } from '../model/ticket.js';
import { createTestDomain } from '../../test/support/test-domain.js';
import { planTurn } from './plan-turn.js';
import type { TurnPlan } from './choose-next-action.js';

/** Plays decisions through the pure policy, as the agent would between commits. */
export function policyHarness(threshold = 0.7) {
  const domain = createTestDomain();
  const registry = buildRegistry({ intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
  let ticket: TicketDoc = newTicket('T-policy', '2026-01-01T00:00:00.000Z');
  const plans: TurnPlan[] = [];
  return {
    registry,
    domain,
    get ticket() {
      return ticket;
    },
    set ticket(next: TicketDoc) {
      ticket = next;
    },
    plans,
    decide(decision: Partial<Decision> & { entities?: Record<string, unknown> }): TurnPlan {
      const turn = ticket.turn + 1;
      const plan = planTurn(
        { ...ticket, turn },
        { intent: null, confidence: 0, entities: {}, ...decision },
        { registry, confidenceThreshold: threshold, turn, at: `2026-01-01T00:00:${String(turn % 60).padStart(2, '0')}.000Z` },
      );
      ticket = plan.draft.ticket;
      plans.push(plan);
      return plan;
    },
    /** Simulates a successful run of the planned workflow, as the executor records it. */
    completeRun(plan: TurnPlan) {
      if (plan.kind !== 'execute') throw new Error('plan does not execute');
      const values: Record<string, unknown> = {};
      for (const slot of plan.workflow.required) values[slot.name] = ticket.slots[slot.name]?.value;
      const slots = { ...ticket.slots };
      if (plan.workflow.confirm) {
        for (const slot of [...plan.workflow.required, ...plan.workflow.optional]) {
          const value = slots[slot.name];
          if (value && !slot.stable) slots[slot.name] = { ...value, spent: true };
        }
      }
      ticket = {
        ...ticket,
        slots,
        status: 'resolved',
        outcomes: { ...ticket.outcomes, [plan.workflow.name]: { outcome: 'resolved', turn: ticket.turn, values } },
      };
    },
  };
}
