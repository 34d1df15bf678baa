import type { Agent, TicketStore } from '@ticketflow/core';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_RETRY_AFTER, HttpError, toHttpError, type RetryAfter } from './http-error.js';
import { registerHealthRoutes } from './health-routes.js';
import { observeAgent } from './observe-agent.js';
import { requestIdOf, ticketBindingOf } from './request-context.js';
import { RouteTable } from './route-table.js';
import { StoreReadiness } from './store-readiness.js';
import { registerTicketRoutes } from './ticket-routes.js';

/** Largest accepted request body. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The agent that handles the tickets (see `createTelecomAgent`). */
  agent: Agent;
  /** The agent's store: `/readyz` probes it. The caller closes it after `app.close()`. */
  store: TicketStore;
  /**
   * `true` (default): JSON lines on stdout at `info`; `false`: silent; or pino options
   * (`level`, `stream` — e.g. to capture lines in tests).
   */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** `Retry-After` seconds per kind of trouble. */
  retryAfter?: Partial<RetryAfter>;
  /** How long `/readyz` waits for the store, ms. Default 3 000. */
  readinessTimeoutMs?: number;
}

/**
 * Builds the HTTP server (Fastify 5) without listening, for the `serve` entry and for
 * tests (`app.listen({ port: 0 })` or `app.inject`). The HTTP contract (DESIGN §7):
 *
 * - errors are `{ error: { code, message, details? } }` and never a 500: the server's own
 *   trouble is a 503 with a code and `Retry-After`;
 * - 400 for bad ids, messages, JSON or bodies; 404 for unknown routes and tickets; 405 (with
 *   `Allow`) for a known route with the wrong method; 409 for an approval on a ticket that
 *   waits for none; 413 above 64 KiB; 415 for a body that is not JSON;
 * - `/healthz` is always 200; `/readyz` is 503 until the store answers;
 * - after `close()` starts, new requests get 503 `shutting_down` while in-flight ones finish.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const retryAfter = { ...DEFAULT_RETRY_AFTER, ...options.retryAfter };
  const routes = new RouteTable();
  const state = { closing: false };

  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Our own 503 on closing carries the error shape and Retry-After (Fastify's does not).
    return503OnClosing: false,
    routerOptions: { maxParamLength: 8_192 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    childLoggerFactory(logger, bindings, childOptions, rawRequest) {
      return logger.child({ ...bindings, ...ticketBindingOf(rawRequest.url) }, childOptions);
    },
    frameworkErrors(error, request, reply) {
      reply.header('x-request-id', request.id);
      sendError(request, reply, error);
    },
    clientErrorHandler(error, socket) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({ error: { code: status === 431 ? 'headers_too_large' : 'bad_request', message: 'The HTTP request is malformed.' } });
      socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  });

  // Only JSON bodies: without this, Fastify would also accept text/plain.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRoute', (route) => routes.add(route.url, route.method));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (state.closing && request.url !== '/healthz') {
      reply.header('connection', 'close');
      throw new HttpError(503, 'shutting_down', 'The server is shutting down; retry on another instance.', undefined, retryAfter.unexpected);
    }
  });
  // close() stops accepting connections and waits for the open ones. A keep-alive
  // connection whose in-flight turn finishes later would keep it waiting, so idle
  // connections are reaped until the server is closed; a request already pipelined on
  // one gets the 503 above.
  let reaper: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    state.closing = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
  });
  app.addHook('onClose', async () => clearInterval(reaper));

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.allowed(path);
    if (allowed && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(request, reply, new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed }));
    }
    if (!allowed && routes.hasEmptyParameter(path)) {
      return sendError(request, reply, new HttpError(400, 'invalid_request', 'The ticket id is empty.'));
    }
    return sendError(request, reply, new HttpError(404, 'not_found', 'There is no such route. See GET /healthz, GET /readyz and /tickets/:id.'));
  });

  const readiness = new StoreReadiness(options.store, options.readinessTimeoutMs);
  const stopObserving = observeAgent(options.agent, app.log);
  app.addHook('onClose', async () => stopObserving());

  registerHealthRoutes(app, { readiness, state, retryAfter });
  registerTicketRoutes(app, { agent: options.agent, store: options.store });
  await app.ready();
  return app;

  function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    const { httpError, level } = safeMap(error);
    const log: FastifyBaseLogger = request.log ?? app.log;
    const fields = { status: httpError.status, code: httpError.code };
    if (level === 'error') log.error({ ...fields, err: error }, 'request failed unexpectedly');
    else if (level === 'warn') log.warn({ ...fields, reason: error instanceof Error ? error.message : String(error) }, 'request failed');
    else log.info(fields, 'request refused');
    if (httpError.retryAfterSeconds !== undefined) reply.header('retry-after', String(httpError.retryAfterSeconds));
    return reply.code(httpError.status).type('application/json; charset=utf-8').send(httpError.toBody());
  }

  function safeMap(error: unknown) {
    try {
      return toHttpError(error, retryAfter);
    } catch {
      return { httpError: new HttpError(503, 'internal_error', 'The service hit an unexpected problem; please retry shortly.', undefined, retryAfter.unexpected), level: 'error' as const };
    }
  }
}

function loggerOptions(logger: ServerOptions['logger']) {
  if (logger === false) return false;
  const base = { level: 'info', base: { service: 'telecom-support' } };
  if (logger === undefined || logger === true) return base;
  return { ...base, ...(logger.level ? { level: logger.level } : {}), ...(logger.stream ? { stream: logger.stream } : {}) };
}
