import { defineWorkflow } from '@ticketflow/core';
import { billingDispute, planChange } from './intents.js';
import { PLANS, type PlanId } from './plans.js';
import { accountType, amount, phone, plan } from './slots.js';
import type { TelecomTools } from './telecom-tools.js';
import { accountOf, euros, notificationTarget, text } from './workflow-helpers.js';

/**
 * Workflows that move money or change contracts: both are `confirm: true` (DESIGN E2), so
 * the customer sees the values and says yes before anything runs, and both undo their
 * first step when a later one fails (E3).
 */
export function createBillingWorkflows(tools: TelecomTools) {
  const { issueCredit, changePlan, sendNotification } = tools;

  const billingCredit = defineWorkflow({
    name: 'billing_credit',
    intent: billingDispute,
    description: 'credit your account',
    required: [accountType, amount],
    optional: [phone],
    confirm: true,
    tools: [issueCredit, sendNotification],
    run: async (context) => {
      const value = Number(context.slots.amount);
      // Above the approval threshold this call pauses until a supervisor approves it.
      const credit = await context.call(issueCredit, { account: accountOf(context), amount: value, reason: 'billing dispute' });
      await context.call(sendNotification, { ...notificationTarget(context), text: `We credited ${euros(value)} to your account (${credit.creditId}).` });
      return {
        status: 'resolved',
        reply: `Done: I credited ${euros(value)} to your ${text(context.slots, 'account_type')} account (${credit.creditId}). It will show on your next bill.`,
        data: { creditId: credit.creditId },
      };
    },
  });

  const planChangeWorkflow = defineWorkflow({
    name: 'plan_change',
    intent: planChange,
    description: 'switch your plan',
    required: [accountType, plan],
    optional: [phone],
    confirm: true,
    tools: [changePlan, sendNotification],
    run: async (context) => {
      const chosen = PLANS[text(context.slots, 'plan') as PlanId];
      if (chosen.businessOnly && context.slots.account_type !== 'business') {
        return {
          status: 'resolved',
          reply: `${chosen.label} is only available for business accounts. Basic, Plus and Unlimited are open to personal accounts.`,
        };
      }
      const change = await context.call(changePlan, { account: accountOf(context), plan: chosen.id });
      // If the contract summary cannot be sent, the change is rolled back (compensated):
      // a plan switch the customer has no written record of is not allowed.
      await context.call(sendNotification, {
        ...notificationTarget(context),
        text: `Your plan changes from ${change.previousPlan} to ${chosen.label} (${chosen.monthlyPrice} €/month). Reference ${change.changeId}.`,
      });
      return {
        status: 'resolved',
        reply: `You're now on ${chosen.label} at ${chosen.monthlyPrice} € per month (reference ${change.changeId}). I sent you the contract summary.`,
        data: { changeId: change.changeId },
      };
    },
  });

  return { billingCredit, planChange: planChangeWorkflow };
}
