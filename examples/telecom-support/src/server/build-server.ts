import type { Agent, TicketStore } from '@ticketflow/core';
import { inspector, type InspectorReplayOptions } from '@ticketflow/inspector';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { OperatorCredential } from '../config/parse-operator-tokens.js';
import { healthRoutes } from './health-routes.js';
import { METRICS_PATH, metricsRoute } from './metrics-route.js';
import { DEFAULT_RETRY_AFTER, HttpError, toHttpError, type RetryAfter } from './http-error.js';
import { fastifyLimitOptions, resolveHttpLimits, type HttpLimits } from './http-limits.js';
import { observeAgent } from './observe-agent.js';
import { openApiRoutes, registerOpenApi } from './openapi-document.js';
import { authenticateOperator, OperatorCredentials, requireOperator } from './operator-auth.js';
import { parseJsonBodies } from './json-body-parser.js';
import { operatorRoutes } from './operator-routes.js';
import { registerRoute } from './register-route.js';
import { requestIdOf, ticketBindingOf } from './request-context.js';
import { assertRouteHasContract, type RouteContract } from './route-contract.js';
import { RouteTable } from './route-table.js';
import { StoreReadiness } from './store-readiness.js';
import type { MetricsSource } from './telemetry.js';
import { nameServerSpan, traceLogFields } from './trace-context.js';
import { answerClientError, answerConnect, answerExpectation } from './raw-answers.js';
import { ticketRoutes } from './ticket-routes.js';
import { watchConnectionCap } from './watch-connection-cap.js';
import { RECORDED_EXAMPLES } from './openapi-examples.js';

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
  /**
   * Operator credentials (`TICKETFLOW_OPERATOR_TOKEN`). None: the operator routes answer
   * 401 `operator_auth_disabled` — they are never open.
   */
  operators?: readonly OperatorCredential[];
  /** Timeouts and the connection cap; see {@link HttpLimits} for the defaults. */
  limits?: Partial<HttpLimits>;
  /**
   * The Prometheus text of the process's metrics (see `startTelemetry`): served at
   * `GET /metrics` behind the operator credential. None: no `/metrics` route (404).
   */
  metrics?: MetricsSource;
  /**
   * The definitions of the running code (`intents`, `workflows`, `slots` — e.g.
   * `createTelecomAgent(…).domain` — and the agent options that shape decisions): enables the
   * inspector's "replay against the running code" on the agent's store. None: that button
   * answers 501.
   */
  replay?: Omit<InspectorReplayOptions, 'store'>;
}

/** A route the server registered (HEAD routes included). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** Every route of a server built by {@link buildServer}, for checks against the OpenAPI document. */
export const registeredRoutes = new WeakMap<FastifyInstance, readonly RegisteredRoute[]>();

/** Paths outside the API contract: plugins that serve their own pages (the inspector). */
export const UNDOCUMENTED_PREFIXES = ['/inspector', METRICS_PATH] as const;

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
  const limits = resolveHttpLimits(options.limits);
  const credentials = new OperatorCredentials(options.operators ?? []);
  const routes = new RouteTable();
  const contracts: RouteContract[] = [];
  const state = { closing: false };

  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    ...fastifyLimitOptions(limits),
    genReqId: requestIdOf,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Our own 503 on closing carries the error shape and Retry-After (Fastify's does not).
    return503OnClosing: false,
    routerOptions: { maxParamLength: 8_192 },
    childLoggerFactory(logger, bindings, childOptions, rawRequest) {
      return logger.child({ ...bindings, ...ticketBindingOf(rawRequest.url) }, childOptions);
    },
    frameworkErrors(error, request, reply) {
      reply.header('x-request-id', request.id);
      sendError(request, reply, error);
    },
    clientErrorHandler: answerClientError,
  });
  app.server.maxConnections = limits.maxConnections;
  app.server.on('connect', answerConnect);
  app.server.on('checkExpectation', answerExpectation);
  watchConnectionCap(app, limits.maxConnections);
  // Requests are validated and answers serialised by the routes' zod schemas.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Only JSON bodies: without this, Fastify would also accept text/plain.
  app.removeContentTypeParser('text/plain');
  parseJsonBodies(app);

  const registered: RegisteredRoute[] = [];
  registeredRoutes.set(app, registered);
  app.addHook('onRoute', (route) => {
    assertRouteHasContract(route, UNDOCUMENTED_PREFIXES);
    routes.add(route.url, route.method);
    for (const method of typeof route.method === 'string' ? [route.method] : route.method) registered.push({ method: method.toUpperCase(), url: route.url });
  });
  // The HTTP server span (when the OpenTelemetry SDK runs) is named after the route; each turn's spans are its children.
  app.addHook('onRequest', nameServerSpan);
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

  const answerUnrouted = (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request);
    const allowed = routes.allowed(path);
    if (allowed && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        request,
        reply,
        new HttpError(405, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(' or ')}.`, { allow: allowed }),
      );
    }
    if (!allowed && routes.hasEmptyParameter(path)) {
      return sendError(request, reply, new HttpError(400, 'invalid_request', 'The ticket id is empty.'));
    }
    return sendError(request, reply, new HttpError(404, 'not_found', 'There is no such route. See GET /openapi.json for the API.'));
  };
  app.setNotFoundHandler(answerUnrouted);
  // A QUERY without Content-Type fails before routing (RFC 10008 wants one): no route takes
  // QUERY, so it is answered like any method its path does not take (405 or 404).
  app.setErrorHandler((error, request, reply) =>
    (error as { code?: unknown }).code === 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE' && !routes.allowed(pathOf(request))?.includes(request.method)
      ? answerUnrouted(request, reply)
      : sendError(request, reply, error),
  );

  const readiness = new StoreReadiness(options.store, options.readinessTimeoutMs);
  const stopObserving = observeAgent(options.agent, app.log);
  app.addHook('onClose', async () => stopObserving());

  await registerOpenApi(app, { contracts: () => contracts, examples: RECORDED_EXAMPLES, version: API_VERSION, hiddenPrefixes: UNDOCUMENTED_PREFIXES });
  contracts.push(
    ...healthRoutes({ readiness, state, retryAfter }),
    ...openApiRoutes(app),
    ...ticketRoutes({ agent: options.agent }),
    ...operatorRoutes({ agent: options.agent }),
  );
  const operatorHook = requireOperator(credentials);
  for (const contract of contracts) registerRoute(app, contract, { operatorHook });
  if (options.metrics) metricsRoute(app, options.metrics, operatorHook);

  // Plugins outside the API contract mount here, behind the operator credential: the inspector
  // page at /inspector/ (its API refuses requests without a valid operator token; `by` is the token's name).
  await app.register(inspector, {
    agent: options.agent,
    prefix: '/inspector',
    title: 'Telecom support',
    authorize: (request) => operatorOf(request, credentials),
    ...(options.replay ? { replay: { ...options.replay, store: options.store } } : {}),
  });

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
    for (const [name, value] of Object.entries(httpError.headers ?? {})) reply.header(name, value);
    return reply.code(httpError.status).type('application/json; charset=utf-8').send(httpError.toBody());
  }

  function safeMap(error: unknown) {
    try {
      return toHttpError(error, retryAfter);
    } catch {
      return {
        httpError: new HttpError(503, 'internal_error', 'The service hit an unexpected problem; please retry shortly.', undefined, retryAfter.unexpected),
        level: 'error' as const,
      };
    }
  }
}

/** The request's path, without its query. */
const pathOf = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

/** The inspector's `authorize`: an operator token's name is who approves; anyone else is refused. */
function operatorOf(request: FastifyRequest, credentials: OperatorCredentials): { by: string } | false {
  const result = authenticateOperator(request, credentials);
  return result.ok && { by: result.operator.name };
}

/** The version of the API document (the API's own, not the package's). */
export const API_VERSION = '1.0.0';

function loggerOptions(logger: ServerOptions['logger']) {
  if (logger === false) return false;
  // mixin: trace_id and span_id of the active span on every line (OpenTelemetry's log correlation).
  const base = { level: 'info', base: { service: 'telecom-support' }, mixin: traceLogFields };
  if (logger === undefined || logger === true) return base;
  return { ...base, ...(logger.level ? { level: logger.level } : {}), ...(logger.stream ? { stream: logger.stream } : {}) };
}
