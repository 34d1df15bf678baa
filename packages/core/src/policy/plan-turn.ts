import type { Decision } from '../decide/decision.js';
import type { TicketDoc } from '../model/ticket.js';
import { applyDecision } from './apply-decision.js';
import { chooseNextAction, type TurnPlan } from './choose-next-action.js';
import type { PolicyContext } from './policy-context.js';

/**
 * The whole pure policy of a turn: apply the decision, then choose the next action.
 * Same ticket + same decision + same context = same plan (E1).
 */
export function planTurn(ticket: TicketDoc, decision: Decision, context: PolicyContext): TurnPlan {
  return chooseNextAction(applyDecision(ticket, decision, context), context);
}
