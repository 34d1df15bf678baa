import { defineWorkflow } from '@ticketflow/core';
import { talkToHuman } from './intents.js';
import { accountType, phone } from './slots.js';
import type { TelecomTools } from './telecom-tools.js';

/** The hand-over to a person: the ticket joins the customer-care queue. */
export function createSupportWorkflows(tools: TelecomTools) {
  const { openCase } = tools;

  const humanHandover = defineWorkflow({
    name: 'human_handover',
    intent: talkToHuman,
    description: 'hand the ticket to a human support agent',
    required: [],
    optional: [accountType, phone],
    tools: [openCase],
    run: async (context) => {
      const business = context.slots.account_type === 'business';
      const priority: 'high' | 'normal' = business ? 'high' : 'normal';
      const { caseId, position } = await context.call(openCase, {
        queue: business ? 'business-care' : 'customer-care',
        summary: `customer asked for a person on ticket ${context.ticket.id}`,
        priority,
      });
      return {
        status: 'escalated',
        reply: `I've passed your ticket to a colleague (case ${caseId}, position ${position} in the queue). They can see everything we discussed.`,
        data: { caseId },
      };
    },
  });

  return { humanHandover };
}
