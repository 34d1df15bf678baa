import type { ApprovalDecision } from '@ticketflow/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizeRequest } from './authorize-request.js';
import { HttpProblem } from './http-problem.js';
import type { ResolvedInspectorOptions } from './inspector-options.js';
import { ATTENTION_STATUSES, QUEUE_STATUSES } from './queue-statuses.js';
import { readDecisionBody, readEventRange, readInteger, readListQuery, readTicketId } from './read-request.js';
import { replayAvailability, runReplay } from './replay-runner.js';

const DEFAULT_PAGE = 20;
const DEFAULT_QUEUE_PREVIEW = 10;

/**
 * The JSON API the page reads (registered under `<prefix>/api/`). Every route asks `authorize` first;
 * answers are never cached (they hold customer conversations).
 *
 * - `GET session`: who you are, whether you may act, whether replay is available;
 * - `GET queues?limit=`: the first page of each status, those waiting for a person first;
 * - `GET tickets?status=a,b&limit=&cursor=`: one queue, oldest update first, paged;
 * - `GET tickets/<id>?after=&limit=`: the ticket and its event log (all of it, or one page of events after `after`, with `nextAfter`);
 * - `POST approve/<id>`, `reject/<id>`, `release/<id>` with `{ note? }`: recorded with your `by`;
 * - `GET replay/<id>`: the replay report (501 when unavailable).
 *
 * The ticket id is the rest of the path (URL-encoded), so ids of any length and with any
 * characters work whatever the app's `maxParamLength`.
 */
export function registerApiRoutes(app: FastifyInstance, options: ResolvedInspectorOptions): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  });
  registerReadRoutes(app, options);
  registerDecisionRoutes(app, options);
}

/** Session, queues, tickets and replay: what anyone allowed to view may read. */
function registerReadRoutes(app: FastifyInstance, options: ResolvedInspectorOptions): void {
  const { agent, authorize } = options;

  app.get('/session', async (request) => {
    const viewer = await authorizeRequest(authorize, request, 'view', null);
    return {
      by: viewer.by,
      canDecide: viewer.by !== null,
      title: options.title,
      replay: replayAvailability(options.replay),
      statuses: QUEUE_STATUSES,
      attention: ATTENTION_STATUSES,
    };
  });

  app.get('/queues', async (request) => {
    await authorizeRequest(authorize, request, 'view', null);
    const limit = readInteger((request.query as Record<string, unknown>).limit, 'limit', DEFAULT_QUEUE_PREVIEW, 1, 100);
    const pages = await Promise.all(QUEUE_STATUSES.map((status) => agent.list({ status, limit })));
    return { queues: QUEUE_STATUSES.map((status, index) => ({ status, attention: ATTENTION_STATUSES.includes(status), ...pages[index]! })) };
  });

  app.get('/tickets', async (request) => {
    await authorizeRequest(authorize, request, 'view', null);
    return agent.list(readListQuery(request, DEFAULT_PAGE));
  });

  app.get('/tickets/*', async (request) => {
    const ticketId = readTicketId(request);
    await authorizeRequest(authorize, request, 'view', ticketId);
    const range = readEventRange(request);
    // One event more than the page tells whether another page follows.
    const inspection = await agent.inspect(ticketId, range.limit === undefined ? range : { ...range, limit: range.limit + 1 });
    if (!inspection.ticket && inspection.events.length === 0) throw new HttpProblem(404, 'ticket_not_found', 'There is no ticket with this id.');
    if (range.limit === undefined) return inspection;
    const events = inspection.events.slice(0, range.limit);
    const more = inspection.events.length > range.limit;
    return { ...inspection, events, nextAfter: more ? events[events.length - 1]!.seq : null };
  });

  app.get('/replay/*', async (request) => {
    const ticketId = readTicketId(request);
    await authorizeRequest(authorize, request, 'replay', ticketId);
    if (!(await agent.getTicket(ticketId))) throw new HttpProblem(404, 'ticket_not_found', 'There is no ticket with this id.');
    return { report: await runReplay(options.replay, ticketId) };
  });
}

/** Approve, reject and release: what an operator allowed to act may do, recorded with their `by`. */
function registerDecisionRoutes(app: FastifyInstance, options: ResolvedInspectorOptions): void {
  const { agent, authorize } = options;
  for (const verdict of ['approve', 'reject'] as const) {
    app.post(`/${verdict}/*`, async (request, reply) => {
      const { ticketId, decision } = await readDecision(request, verdict);
      const result = verdict === 'approve' ? await agent.approve(ticketId, decision) : await agent.reject(ticketId, decision);
      request.log.info({ ticketId, verdict, by: decision.by, action: result.action.type, status: result.ticket.status }, 'inspector: approval decided');
      return send(reply, { reply: result.reply, action: result.action, ticket: result.ticket });
    });
  }

  app.post('/release/*', async (request, reply) => {
    const { ticketId, decision } = await readDecision(request, 'release');
    const ticket = await agent.release(ticketId, decision);
    request.log.info({ ticketId, by: decision.by, status: ticket.status }, 'inspector: ticket released');
    return send(reply, { ticket });
  });

  async function readDecision(request: FastifyRequest, action: 'approve' | 'reject' | 'release'): Promise<{ ticketId: string; decision: ApprovalDecision }> {
    const ticketId = readTicketId(request);
    const viewer = await authorizeRequest(authorize, request, action, ticketId);
    const { note } = readDecisionBody(request);
    return { ticketId, decision: { by: viewer.by!, ...(note !== undefined ? { note } : {}) } };
  }
}

function send(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).send(body);
}
