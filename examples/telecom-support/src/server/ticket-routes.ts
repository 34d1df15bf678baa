import type { Agent, TicketStore } from '@ticketflow/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import { requestLoggers } from './request-context.js';
import { approvalBody, messageBody, ticketParams, type ApprovalBody, type MessageBody, type TicketParams } from './schemas.js';

const MAX_EVENTS_PAGE = 1_000;
const DEFAULT_EVENTS_PAGE = 100;

/**
 * The ticket routes. Handlers only translate HTTP to agent calls; every error goes to the
 * server's error handler, which maps it to the HTTP contract.
 */
export function registerTicketRoutes(app: FastifyInstance, context: { agent: Agent; store: TicketStore }): void {
  const { agent, store } = context;
  const within = <T>(request: FastifyRequest, work: () => Promise<T>) => requestLoggers.run(request.log, work);

  app.post<{ Params: TicketParams; Body: MessageBody }>('/tickets/:id/messages', { schema: { params: ticketParams, body: messageBody } }, async (request) => {
    const { id } = request.params;
    const { message, messageId } = request.body;
    const result = await within(request, () => agent.handle({ ticketId: id, message, ...(messageId !== undefined ? { messageId } : {}) }));
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
  });

  app.get<{ Params: TicketParams }>('/tickets/:id', { schema: { params: ticketParams } }, async (request) => {
    const ticket = await within(request, () => agent.getTicket(request.params.id));
    if (!ticket) throw new HttpError(404, 'ticket_not_found', 'There is no ticket with this id.');
    return { ticket };
  });

  app.get<{ Params: TicketParams; Querystring: Record<string, unknown> }>('/tickets/:id/events', { schema: { params: ticketParams } }, async (request) => {
    const after = integerParameter(request.query, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = integerParameter(request.query, 'limit', DEFAULT_EVENTS_PAGE, 1, MAX_EVENTS_PAGE);
    const events = await store.events(request.params.id, { after, limit });
    if (events.length === 0 && !(await store.load(request.params.id))) throw new HttpError(404, 'ticket_not_found', 'There is no ticket with this id.');
    return { events };
  });

  for (const verdict of ['approve', 'reject'] as const) {
    app.post<{ Params: TicketParams; Body: ApprovalBody }>(`/tickets/:id/${verdict}`, { schema: { params: ticketParams, body: approvalBody } }, async (request) => {
      const { by, note } = request.body;
      const decision = { by, ...(note !== undefined ? { note } : {}) };
      const result = await within(request, () => (verdict === 'approve' ? agent.approve(request.params.id, decision) : agent.reject(request.params.id, decision)));
      request.log.info({ verdict, by, action: result.action.type, status: result.ticket.status }, 'approval decided');
      return { reply: result.reply, action: result.action, ticket: result.ticket };
    });
  }
}

function integerParameter(query: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const raw = query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new HttpError(400, 'invalid_request', `Query parameter "${name}" must be an integer from ${min} to ${max}.`, { parameter: name });
  }
  return value;
}
