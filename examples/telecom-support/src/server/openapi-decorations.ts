import { errorStatusesOf, pathsOf, type RouteContract } from './route-contract.js';
import { INTEGER_RANGE } from './schemas.js';

/** The parts of an OpenAPI 3.1 document this module touches. */
export type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, OpenApiOperation>>;
  components?: Record<string, Record<string, unknown>>;
};
type OpenApiOperation = Record<string, unknown> & {
  responses?: Record<string, Record<string, unknown> & { content?: Record<string, Record<string, unknown>> }>;
  requestBody?: Record<string, unknown> & { content?: Record<string, Record<string, unknown>> };
  parameters?: (Record<string, unknown> & { schema?: Record<string, unknown> })[];
};

/** Examples recorded from a real conversation (see `record-openapi-examples.ts`). */
export interface RecordedExamples {
  /** operationId → status → example name → example. */
  responses: Record<string, Record<string, Record<string, { summary: string; value: unknown }>>>;
  /** operationId → example name → request body. */
  requests: Record<string, Record<string, { summary: string; value: unknown }>>;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: `invalid_request` (an id, message, body field or query parameter that breaks the schema; `details.issues`), `invalid_json` (malformed JSON or UTF-8, a key twice in one object), `invalid_argument` (refused by the agent), `bad_url`, `bad_request` (malformed HTTP), `store_rejected`.',
  401: 'No valid operator token: `operator_auth_required` (none sent), `operator_auth_invalid` (wrong or malformed), `operator_auth_disabled` (the server has no `TICKETFLOW_OPERATOR_TOKEN`).',
  404: '`ticket_not_found`: there is no ticket with this id.',
  409: "Conflict with the ticket's state, nothing changed: `ticket_state` (e.g. approving a ticket that waits for no approval; `details.status`), `message_id_reused` (this messageId came with another text), `ticket_erased` (erased while the request was in flight).",
  413: '`payload_too_large`: the body is over 64 KiB.',
  415: '`unsupported_media_type`: the body is not `application/json`.',
  503: 'Temporary trouble, retry after `Retry-After` seconds: `store_unavailable` (`details.outcome` says whether the request may have been applied: `unknown` or `not_applied`; retrying with the same messageId is safe), `ticket_busy`, `shutting_down`, `store_corrupt`, `llm_unavailable`, `internal_error`.',
};

/** The operator bearer scheme, named `operatorToken` in operations' `security`. */
export const OPERATOR_SECURITY_SCHEMES = {
  operatorToken: {
    type: 'http' as const,
    scheme: 'bearer',
    description: 'An operator token from `TICKETFLOW_OPERATOR_TOKEN` (`name:token` pairs); the name is recorded as who decided.',
  },
};

const header = (description: string, schema: Record<string, unknown>, required = true) => ({ description, required, schema });
const HEADERS = {
  RequestId: header("The request id: the caller's `X-Request-Id` when it is a safe token, else a UUID. Every log line of the request carries it.", {
    type: 'string',
    minLength: 1,
  }),
  RetryAfter: header('Seconds to wait before retrying.', { type: 'string', pattern: '^[1-9][0-9]*$' }),
  WwwAuthenticate: header('The bearer challenge (RFC 6750).', { type: 'string', pattern: '^Bearer ' }),
  Allow: header('The methods this path accepts.', { type: 'string', minLength: 1 }),
  Deprecation: header('This path is a deprecated alias (RFC 9745): use the `/v1` path.', { type: 'string', pattern: '^@[0-9]+$' }),
  Link: header('The successor of this deprecated path (`rel="successor-version"`).', { type: 'string', pattern: 'rel="successor-version"' }),
};
const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/**
 * Adds to the generated document what route schemas cannot carry: tags, the operator
 * bearer scheme, response headers (`X-Request-Id` everywhere, `Retry-After` on 503,
 * `WWW-Authenticate` on 401, `Deprecation`/`Link` on the aliases), recorded examples,
 * optional bodies, and the answers given when no route matches (404, 405).
 */
export function decorateDocument(document: OpenApiDocument, contracts: readonly RouteContract[], examples: RecordedExamples): OpenApiDocument {
  document.tags = [
    { name: 'conversation', description: 'What a customer-facing app calls: send a message, read the ticket and its events.' },
    { name: 'operator', description: 'For people who run the agent, behind the operator bearer token: queues, approvals, release, erasure.' },
    { name: 'health', description: 'Probes for orchestrators and load balancers.' },
    { name: 'documentation', description: 'This document.' },
  ];
  const components = (document.components ??= {});
  components.headers = HEADERS;
  components.responses = {
    RouteNotFound: { description: '`not_found`: no route has this path.', headers: { 'x-request-id': ref('RequestId') }, content: errorContent },
    MethodNotAllowed: {
      description: '`method_not_allowed`: the path exists but not with this method; `Allow` lists the right ones.',
      headers: { 'x-request-id': ref('RequestId'), allow: ref('Allow') },
      content: errorContent,
    },
  };

  for (const contract of contracts) {
    for (const path of pathsOf(contract)) {
      const operation = document.paths?.[toOpenApiPath(path.url)]?.[contract.method.toLowerCase()];
      if (!operation) continue;
      decorateOperation(operation, contract, path.deprecated, examples);
    }
  }
  pruneUnusedSchemas(document);
  return document;
}

/**
 * Drops component schemas nothing refers to (the type provider publishes an input and an
 * output variant of every registered schema; responses only use the output one).
 */
function pruneUnusedSchemas(document: OpenApiDocument): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const used = new Set<string>();
  const pending: unknown[] = [document.paths, document.components?.responses];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...value);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const name =
          key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/') ? child.slice('#/components/schemas/'.length) : undefined;
        if (name !== undefined && !used.has(name)) {
          used.add(name);
          pending.push(schemas[name]);
        } else pending.push(child);
      }
    }
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

function decorateOperation(operation: OpenApiOperation, contract: RouteContract, deprecated: boolean, examples: RecordedExamples): void {
  const responses = (operation.responses ??= {});
  const recorded = examples.responses[contract.operationId] ?? {};
  const success = responses[String(contract.success.status)];
  if (success) {
    if (contract.success.status === 204) delete success.content;
    success.headers = headersFor(contract.success.status, deprecated);
    const media = success.content?.['application/json'];
    if (media && recorded[contract.success.status]) media.examples = recorded[contract.success.status];
  }
  for (const status of errorStatusesOf(contract)) {
    const response = responses[String(status)];
    if (!response) continue;
    response.description = ERROR_DESCRIPTIONS[status] ?? `Error ${status}.`;
    response.headers = headersFor(status, deprecated);
    const media = response.content?.['application/json'];
    if (media && recorded[status]) media.examples = recorded[status];
  }
  for (const parameter of operation.parameters ?? []) publishIntegerRange(parameter);
  if (operation.requestBody) {
    operation.requestBody.required = !contract.bodyOptional;
    const media = operation.requestBody.content?.['application/json'];
    const requestExamples = examples.requests[contract.operationId];
    if (media && requestExamples) media.examples = requestExamples;
  }
}

/**
 * A query-string integer (marked with its range by `queryInteger`) is published as what a
 * client sends: an integer with its `minimum` and `maximum`, instead of the digits pattern
 * the server checks the raw text with.
 */
function publishIntegerRange(parameter: Record<string, unknown> & { schema?: Record<string, unknown> }): void {
  const range = parameter.schema?.[INTEGER_RANGE];
  if (!Array.isArray(range)) return;
  const [minimum, maximum] = range as [number, number];
  const { description } = parameter.schema!;
  parameter.schema = { type: 'integer', minimum, maximum, ...(description !== undefined ? { description } : {}) };
}

function headersFor(status: number, deprecated: boolean): Record<string, unknown> {
  return {
    'x-request-id': ref('RequestId'),
    ...(status === 503 ? { 'retry-after': ref('RetryAfter') } : {}),
    ...(status === 401 ? { 'www-authenticate': ref('WwwAuthenticate') } : {}),
    ...(deprecated ? { deprecation: ref('Deprecation'), link: ref('Link') } : {}),
  };
}

/** `/tickets/:id` → `/tickets/{id}`. */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
