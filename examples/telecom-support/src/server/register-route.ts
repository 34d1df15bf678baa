import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { errorEnvelope } from './response-schemas.js';
import { API_PREFIX, errorStatusesOf, pathsOf, type RouteConfig, type RouteContract } from './route-contract.js';

/** When the unversioned aliases were deprecated (RFC 9745 `Deprecation` header, epoch seconds). */
export const ALIASES_DEPRECATED_AT = Date.UTC(2025, 5, 1) / 1_000;

/**
 * Registers a route contract at its paths (`/v1/…` and the deprecated alias). The zod
 * schemas validate the request and serialise every declared answer (fastify-type-provider-zod);
 * operator routes get the bearer check before the body is even read.
 */
export function registerRoute(app: FastifyInstance, contract: RouteContract, context: { operatorHook: onRequestHookHandler }): void {
  const response: Record<number, unknown> = {
    [contract.success.status]: { description: contract.success.description, content: { 'application/json': { schema: contract.success.schema } } },
  };
  for (const status of errorStatusesOf(contract))
    response[status] = { description: `Error (${status})`, content: { 'application/json': { schema: errorEnvelope } } };

  for (const path of pathsOf(contract)) {
    const config: RouteConfig = { contract, deprecated: path.deprecated, operationId: path.operationId };
    const options: RouteOptions = {
      method: contract.method,
      url: path.url,
      config,
      schema: {
        operationId: path.operationId,
        tags: [contract.tag],
        summary: contract.summary,
        ...(contract.description ? { description: contract.description } : {}),
        ...(path.deprecated ? { deprecated: true } : {}),
        ...(contract.operator ? { security: [{ operatorToken: [] }] } : {}),
        ...(contract.params ? { params: contract.params } : {}),
        ...(contract.querystring ? { querystring: contract.querystring } : {}),
        ...(contract.body ? { body: contract.body } : {}),
        response,
      },
      ...(contract.operator ? { onRequest: context.operatorHook } : {}),
      ...(contract.bodyOptional ? { preValidation: emptyBodyAsObject } : {}),
      ...(path.deprecated ? { onSend: announceSuccessor } : {}),
      handler: (request: FastifyRequest, reply: FastifyReply) => contract.handler(request as never, reply),
    };
    app.route(options);
  }
}

async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Marks an answer of a deprecated alias (RFC 9745 `Deprecation`, RFC 8288 `Link`). */
async function announceSuccessor(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('deprecation', `@${ALIASES_DEPRECATED_AT}`);
  // The raw URL goes into a header only when it is plain URI characters.
  const target = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(request.url) ? request.url : (request.routeOptions.url ?? '/');
  reply.header('link', `<${API_PREFIX}${target}>; rel="successor-version"`);
  return payload;
}
