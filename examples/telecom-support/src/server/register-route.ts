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

/** No body (none sent, or an empty one) is an empty decision; a JSON `null` is not an object and is refused. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}

/** Marks an answer of a deprecated alias (RFC 9745 `Deprecation`, RFC 8288 `Link`). */
async function announceSuccessor(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('deprecation', `@${ALIASES_DEPRECATED_AT}`);
  reply.header('link', `<${successorOf(request.url)}>; rel="successor-version"`);
  return payload;
}

/**
 * The `/v1` URL of an alias request: its path and query (an absolute-form target,
 * `GET http://host/tickets/…`, included), every character a URI cannot hold percent-encoded
 * as UTF-8, so the `Link` header is always a valid URI reference.
 */
export function successorOf(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    try {
      const url = new URL(path);
      path = `${url.pathname}${url.search}`;
    } catch {
      path = '/';
    }
  }
  return `${API_PREFIX}${path.replace(/[^A-Za-z0-9\-._~:/?[\]@!$&'()*+,;=%]/gu, (character) => percentEncoded(character))}`;
}

function percentEncoded(character: string): string {
  let encoded = '';
  for (const byte of Buffer.from(character, 'utf8')) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return encoded;
}
