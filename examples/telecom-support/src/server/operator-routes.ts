import type { Agent } from '@ticketflow/core';
import { z } from 'zod';
import { HttpError } from './http-error.js';
import type { OperatorIdentity } from './operator-auth.js';
import { approvalResponse, ticketPageResponse, ticketResponse } from './response-schemas.js';
import { defineRoute, type RouteContract } from './route-contract.js';
import { DEFAULT_TICKETS_PAGE, operatorDecisionBody, ticketParams, ticketsQuery } from './schemas.js';
import { withinRequest } from './ticket-routes.js';

const OPERATOR_ONLY = 'Operators only: `Authorization: Bearer <token>` from `TICKETFLOW_OPERATOR_TOKEN`';
/** For the routes that record a person's decision. */
const OPERATOR_NOTE = `${OPERATOR_ONLY}; the decision is recorded under the token's name.`;

/**
 * The routes for people who run the agent: the queues, approvals, release and erasure.
 * Every one requires the operator bearer token; who acted is the token's name.
 */
export function operatorRoutes(context: { agent: Agent }): RouteContract[] {
  const { agent } = context;
  const operatorOf = (request: { operator?: OperatorIdentity }): OperatorIdentity => {
    // The route's onRequest hook has set it; its absence would be a wiring bug, never an open door.
    if (!request.operator) throw new HttpError(401, 'operator_auth_required', 'This route is for operators.');
    return request.operator;
  };

  const listTickets = defineRoute({
    method: 'GET',
    path: '/tickets',
    versioned: true,
    operationId: 'listTickets',
    tag: 'operator',
    operator: true,
    summary: 'List tickets (the queues), oldest update first',
    description: `E.g. \`?status=needs_human\` (failed compensations to repair) or \`?status=awaiting_approval\`. Page with the returned \`cursor\`. ${OPERATOR_ONLY}.`,
    querystring: ticketsQuery,
    success: { status: 200, description: 'A page of ticket summaries.', schema: ticketPageResponse },
    errors: [],
    async handler(request) {
      const { status, cursor, limit = DEFAULT_TICKETS_PAGE } = request.query;
      return agent.list({ ...(status ? { status } : {}), ...(cursor !== undefined ? { cursor } : {}), limit });
    },
  });

  const decide = (verdict: 'approve' | 'reject') =>
    defineRoute({
      method: 'POST',
      path: `/tickets/:id/${verdict}`,
      versioned: true,
      operationId: `${verdict}Ticket`,
      tag: 'operator',
      operator: true,
      summary: verdict === 'approve' ? 'Approve the step a ticket waits on, and run the rest' : 'Reject the step a ticket waits on: compensate and close',
      description: `409 when the ticket waits for no approval. ${OPERATOR_NOTE}`,
      params: ticketParams,
      body: operatorDecisionBody,
      bodyOptional: true,
      success: { status: 200, description: 'The decision was applied.', schema: approvalResponse },
      errors: [404, 409],
      async handler(request) {
        const { name: by } = operatorOf(request);
        const { note } = request.body;
        const decision = { by, ...(note !== undefined ? { note } : {}) };
        const result = await withinRequest(request, () =>
          verdict === 'approve' ? agent.approve(request.params.id, decision) : agent.reject(request.params.id, decision),
        );
        request.log.info({ verdict, by, action: result.action.type, status: result.ticket.status }, 'approval decided');
        return { reply: result.reply, action: result.action, ticket: result.ticket };
      },
    });

  const release = defineRoute({
    method: 'POST',
    path: '/tickets/:id/release',
    versioned: true,
    operationId: 'releaseTicket',
    tag: 'operator',
    operator: true,
    summary: 'Hand a needs_human ticket back to the agent',
    description: `Once a person has repaired what a failed compensation left. 409 when the ticket does not need a human. ${OPERATOR_NOTE}`,
    params: ticketParams,
    body: operatorDecisionBody,
    bodyOptional: true,
    success: { status: 200, description: 'The ticket was released.', schema: ticketResponse },
    errors: [404, 409],
    async handler(request) {
      const { name: by } = operatorOf(request);
      const { note } = request.body;
      const ticket = await withinRequest(request, () => agent.release(request.params.id, { by, ...(note !== undefined ? { note } : {}) }));
      request.log.info({ by, status: ticket.status }, 'ticket released');
      return { ticket };
    },
  });

  const erase = defineRoute({
    method: 'DELETE',
    path: '/tickets/:id',
    versioned: true,
    operationId: 'eraseTicket',
    tag: 'operator',
    operator: true,
    summary: 'Erase a ticket and its events (right to erasure)',
    description: `Idempotent: erasing an unknown or already erased ticket is also 204. ${OPERATOR_ONLY}.`,
    params: ticketParams,
    success: { status: 204, description: 'The ticket and its events are gone.', schema: z.null() },
    errors: [409],
    async handler(request, reply) {
      const { name: by } = operatorOf(request);
      await withinRequest(request, () => agent.erase(request.params.id));
      request.log.info({ by }, 'ticket erased');
      return reply.code(204).send();
    },
  });

  return [listTickets, decide('approve'), decide('reject'), release, erase] as RouteContract[];
}
