import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { decorateDocument, OPERATOR_SECURITY_SCHEMES, type OpenApiDocument, type RecordedExamples } from './openapi-decorations.js';
import { openApiResponse } from './response-schemas.js';
import { defineRoute, type RouteContract } from './route-contract.js';

/**
 * Registers @fastify/swagger so that the OpenAPI 3.1 document is generated from the route
 * contracts: the zod schemas become JSON Schemas (2020-12, the 3.1 dialect) through
 * fastify-type-provider-zod, then {@link decorateDocument} adds what Fastify's schemas
 * cannot say (headers, the security scheme, recorded examples, route-less answers).
 * Must run before the routes are registered.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  context: { contracts: () => readonly RouteContract[]; examples: RecordedExamples; version: string; hiddenPrefixes: readonly string[] },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Telecom support agent (ticketflow example)',
        version: context.version,
        description:
          'Customer messages go to `POST /v1/tickets/{id}/messages`; an LLM decides, plain code executes, on a durable ticket. ' +
          "Every error is `{ error: { code, message, details? } }` and never a 500: the server's own trouble is a 503 with `Retry-After`. " +
          'The unversioned paths (`/tickets/…`) are deprecated aliases of `/v1/tickets/…`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      components: { securitySchemes: OPERATOR_SECURITY_SCHEMES },
    },
    hideUntagged: true,
    transform: (input) => {
      if (context.hiddenPrefixes.some((prefix) => input.url === prefix || input.url.startsWith(`${prefix}/`)))
        return { schema: { hide: true }, url: input.url };
      return jsonSchemaTransform(input);
    },
    transformObject: (input) => decorateDocument(jsonSchemaTransformObject(input) as OpenApiDocument, context.contracts(), context.examples),
  });
}

/** `GET /openapi.json`: the document, generated once when the server is ready. */
export function openApiRoutes(app: FastifyInstance): RouteContract[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      versioned: false,
      operationId: 'getOpenApiDocument',
      tag: 'documentation',
      summary: 'This OpenAPI 3.1 document',
      success: { status: 200, description: 'The OpenAPI document.', schema: openApiResponse },
      errors: [],
      handler: async () => app.swagger(),
    }),
  ] as RouteContract[];
}
