import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';

/** The tags of the OpenAPI document. */
export type RouteTag = 'conversation' | 'operator' | 'health' | 'documentation';

/** The version prefix of the API; the unversioned paths are deprecated aliases. */
export const API_PREFIX = '/v1';

/** Error statuses a route may answer, each with the shared error envelope. */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 503;

type Schema = z.ZodType | undefined;
type Output<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** A request whose params, query and body have been parsed by the route's schemas. */
export type ContractRequest<P extends Schema, Q extends Schema, B extends Schema> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & {
  params: Output<P>;
  query: Output<Q>;
  body: Output<B>;
};

/**
 * One route of the HTTP API, described once: its schemas (zod) validate the request,
 * serialise the answer and generate the OpenAPI operation. `errors` lists what the route
 * can answer besides its success; the statuses every route of its kind can answer (400,
 * 503; 413/415 with a body; 401 for operators) are added by {@link errorStatusesOf}.
 */
export interface RouteContract<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path without the version prefix, Fastify syntax (`/tickets/:id`). */
  path: string;
  /** True: served at `/v1{path}`, with `{path}` kept as a deprecated alias. */
  versioned: boolean;
  operationId: string;
  tag: RouteTag;
  summary: string;
  description?: string;
  /** Requires the operator bearer token (401 without it). */
  operator?: boolean;
  params?: P;
  querystring?: Q;
  body?: B;
  /** The body may be left out entirely (it then counts as `{}`). */
  bodyOptional?: boolean;
  success: { status: 200 | 204; description: string; schema: z.ZodType };
  errors: readonly ErrorStatus[];
  handler(request: ContractRequest<P, Q, B>, reply: FastifyReply): Promise<unknown>;
}

/** Identity function that infers the handler's types from the schemas. */
export function defineRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  contract: RouteContract<P, Q, B>,
): RouteContract<P, Q, B> {
  return contract;
}

/** Every error status a route can answer, sorted (413/415: any method that may carry a body). */
export function errorStatusesOf(contract: RouteContract): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([400, 503, ...contract.errors]);
  // Fastify reads a body on every method but GET and HEAD, declared or not.
  if (contract.body || contract.method !== 'GET') {
    statuses.add(413);
    statuses.add(415);
  }
  if (contract.operator) statuses.add(401);
  return [...statuses].sort((left, right) => left - right);
}

/** The paths a contract is served at: the canonical one first, then its deprecated alias. */
export function pathsOf(contract: RouteContract): { url: string; deprecated: boolean; operationId: string }[] {
  if (!contract.versioned) return [{ url: contract.path, deprecated: false, operationId: contract.operationId }];
  return [
    { url: `${API_PREFIX}${contract.path}`, deprecated: false, operationId: contract.operationId },
    { url: contract.path, deprecated: true, operationId: `${contract.operationId}Unversioned` },
  ];
}

/** What the server keeps about each registered route, for the document and the checks. */
export interface RouteConfig {
  contract: RouteContract;
  deprecated: boolean;
  operationId: string;
}

/**
 * Refuses a route registered without a contract (no response schemas, no operation id):
 * called from the server's `onRoute` hook, so such a route fails the server's start — and
 * every test. Routes under `exemptPrefixes` (e.g. a mounted plugin that serves its own
 * pages, like the inspector) are outside the API contract and hidden from the document.
 */
export function assertRouteHasContract(route: Pick<RouteOptions, 'url' | 'method' | 'config' | 'schema'>, exemptPrefixes: readonly string[]): void {
  if (exemptPrefixes.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`))) return;
  const config = route.config as Partial<RouteConfig> | undefined;
  const response = route.schema?.response as Record<string, unknown> | undefined;
  if (!config?.contract || !response || Object.keys(response).length < 2) {
    throw new Error(
      `${String(route.method)} ${route.url} has no route contract (schemas for the request and every response status): register it with registerRoute(app, defineRoute({ … }))`,
    );
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `registerRoute` on every route of the API. */
    contract?: RouteContract;
    deprecated?: boolean;
    operationId?: string;
  }
}
