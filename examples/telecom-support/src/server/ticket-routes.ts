import type { Agent, TurnResult } from '@ticketflow/core';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { requestLoggers } from './request-context.js';
import { eventsResponse, ticketResponse, turnResponse } from './response-schemas.js';
import { defineRoute, type RouteContract } from './route-contract.js';
import { DEFAULT_EVENTS_PAGE, eventsQuery, messageBody, newTicketParams, ticketParams } from './schemas.js';

/** Runs agent work with the request's logger, so hook lines carry its request and ticket ids. */
export const withinRequest = <T>(request: Pick<FastifyRequest, 'log'>, work: () => Promise<T>): Promise<T> => requestLoggers.run(request.log, work);

/**
 * The conversation routes: a customer's message, the ticket, its events. Handlers only
 * translate HTTP to agent calls; every error goes to the server's error handler, which
 * maps it to the HTTP contract.
 */
export function ticketRoutes(context: { agent: Agent }): RouteContract[] {
  const { agent } = context;
  const sendMessage = defineRoute({
    method: 'POST',
    path: '/tickets/:id/messages',
    versioned: true,
    operationId: 'sendMessage',
    tag: 'conversation',
    summary: "Handle a customer's message",
    description:
      'Decides (LLM), plans and, when the plan says so, runs a workflow, then answers with the reply, the action and the ticket. An unknown ticket id starts a new ticket. ' +
      'LLM outages and failed workflows are 200 (`fallback`, `outcome: failed`). Send a `messageId` to make retries safe: after a 503 (`details.outcome: unknown`) the message may or may not have been processed, and resending it with the same `messageId` returns the recorded result.',
    params: newTicketParams,
    body: messageBody,
    success: { status: 200, description: 'The turn was handled.', schema: turnResponse },
    errors: [409],
    async handler(request) {
      const { id } = request.params;
      const { message, messageId } = request.body;
      const result = await withinRequest(request, () => agent.handle({ ticketId: id, message, ...(messageId !== undefined ? { messageId } : {}) }));
      if (await erasedMeanwhile(result, () => withinRequest(request, () => agent.getTicket(id)))) {
        throw new HttpError(409, 'ticket_erased', 'The ticket was erased while this message was in flight; nothing was recorded.');
      }
      const { action, decision } = result;
      request.log.info(
        {
          action: action.type,
          ...('workflow' in action ? { workflow: action.workflow } : {}),
          ...('outcome' in action ? { outcome: action.outcome } : {}),
          intent: decision?.intent ?? null,
          confidence: decision?.confidence ?? null,
          status: result.ticket.status,
          duplicate: result.duplicate,
        },
        'turn handled',
      );
      return { reply: result.reply, action, ticket: result.ticket, decision, duplicate: result.duplicate };
    },
  });

  const getTicket = defineRoute({
    method: 'GET',
    path: '/tickets/:id',
    versioned: true,
    operationId: 'getTicket',
    tag: 'conversation',
    summary: 'Read a ticket',
    params: ticketParams,
    success: { status: 200, description: 'The ticket.', schema: ticketResponse },
    errors: [404],
    async handler(request) {
      const ticket = await withinRequest(request, () => agent.getTicket(request.params.id));
      if (!ticket) throw new HttpError(404, 'ticket_not_found', 'There is no ticket with this id.');
      return { ticket };
    },
  });

  const listEvents = defineRoute({
    method: 'GET',
    path: '/tickets/:id/events',
    versioned: true,
    operationId: 'listTicketEvents',
    tag: 'conversation',
    summary: "Page through a ticket's event log",
    description: 'Every decision, change, step and compensation, in `seq` order (O1). Page with `after` = the last `seq` seen.',
    params: ticketParams,
    querystring: eventsQuery,
    success: { status: 200, description: 'A page of events (empty after the last one).', schema: eventsResponse },
    errors: [404],
    async handler(request) {
      const { id } = request.params;
      const { after = 0, limit = DEFAULT_EVENTS_PAGE } = request.query;
      // Through the agent, not the store: `inspect` shows every sensitive value the ticket knows masked (P1), also in
      // a message typed before the model named it, which the append-only log keeps as written.
      const { ticket, events } = await agent.inspect(id, { after, limit });
      if (!ticket && events.length === 0) throw new HttpError(404, 'ticket_not_found', 'There is no ticket with this id.');
      return { events };
    },
  });

  return [sendMessage, getTicket, listEvents] as RouteContract[];
}

/**
 * Whether the ticket was erased while the message was in flight: the agent says so (`erased`),
 * or the workflow it ran lost its claim (`claim_lost`) and the ticket is gone — an erasure
 * takes over a running execution and undoes it.
 */
async function erasedMeanwhile(result: TurnResult, read: () => Promise<unknown>): Promise<boolean> {
  const { action } = result;
  if (action.type === 'erased') return true;
  return action.type === 'execute' && action.outcome === 'failed' && action.reason === 'claim_lost' && (await read()) === null;
}
