import { MemoryTicketStore, StoreError, type TicketStore } from '@ticketflow/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, UNDOCUMENTED_PREFIXES } from '../src/server/build-server.js';
import { toOpenApiPath } from '../src/server/openapi-decorations.js';
import { OpenApiContract, type OpenApiDocument } from './support/openapi-contract.js';
import { operatorHeaders, startTestServer, type TestServer } from './support/test-server.js';

/**
 * The published contract (issue 19): the document served at /openapi.json is valid
 * OpenAPI 3.1, describes every route the server has, and every answer the server gives —
 * a conversation, the operator routes and each failure class, over real HTTP — conforms to
 * it: status documented, required headers present and well-formed, body valid against the
 * response schema (JSON Schema 2020-12).
 */

let server: TestServer;
let downServer: TestServer;
let document: OpenApiDocument;
let contract: OpenApiContract;
const problems: string[] = [];

/** Sends a request and checks the answer against the document. */
async function call(
  base: string,
  method: string,
  url: string,
  options: { body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
) {
  const hasBody = options.body !== undefined || options.raw !== undefined;
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': options.contentType ?? 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.raw !== undefined ? { body: options.raw } : {}),
  });
  const text = await response.text();
  problems.push(...contract.check({ method, url, status: response.status, headers: response.headers, text }));
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as any) };
}

beforeAll(async () => {
  server = await startTestServer({ store: new MemoryTicketStore() });
  const down: TicketStore = Object.assign(new MemoryTicketStore(), {
    load: async () => {
      throw new StoreError({ kind: 'unavailable', adapter: 'test', message: 'no answer', outcome: 'unknown' });
    },
  });
  downServer = await startTestServer({ store: down });
  const response = await fetch(`${server.url}/openapi.json`);
  document = (await response.json()) as OpenApiDocument;
  contract = new OpenApiContract(document);
});
afterAll(async () => {
  await server?.close();
  await downServer?.close();
});

describe('the OpenAPI document (GET /openapi.json)', () => {
  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator) and every schema in it compiles as JSON Schema 2020-12', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    let compiled = 0;
    for (const schema of Object.values<unknown>(document.components.schemas)) {
      contract.validator(schema);
      compiled += 1;
    }
    for (const operations of Object.values<Record<string, any>>(document.paths)) {
      for (const operation of Object.values<any>(operations)) {
        for (const response of Object.values<any>(operation.responses)) {
          const media = contract.resolve(response).content?.['application/json'];
          if (media) contract.validator(media.schema);
          if (media) compiled += 1;
          for (const example of Object.values<any>(media?.examples ?? {})) {
            const validate = contract.validator(media.schema);
            expect(validate(example.value), `${operation.operationId} example ${example.summary}: ${JSON.stringify(validate.errors)}`).toBe(true);
          }
        }
      }
    }
    expect(compiled).toBeGreaterThan(30);
  });

  it('describes every route the server registered, each with an operation id, a tag, its parameters and a schema for every status', () => {
    const outside = (url: string) => UNDOCUMENTED_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
    const routes = registeredRoutes.get(server.app)!.filter((route) => route.method !== 'HEAD' && !outside(route.url));
    expect(Object.keys(document.paths).filter(outside)).toEqual([]);
    expect(routes.length).toBe(19); // 3 probes and documents, 3 conversation and 5 operator routes at /v1 and their aliases
    const operationIds = new Set<string>();
    for (const route of routes) {
      const operation = document.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url} is missing from the document`).toBeDefined();
      expect(operationIds.has(operation.operationId), `duplicate operationId ${operation.operationId}`).toBe(false);
      operationIds.add(operation.operationId);
      expect(['conversation', 'operator', 'health', 'documentation']).toContain(operation.tags[0]);
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => status.startsWith('2')),
        `${operation.operationId} has no success`,
      ).toBe(true);
      expect(statuses).toEqual(expect.arrayContaining(['400', '503']));
      for (const status of statuses) {
        const response = operation.responses[status];
        expect(response.headers['x-request-id'], `${operation.operationId} ${status}`).toBeDefined();
        if (status !== '204') expect(response.content['application/json'].schema, `${operation.operationId} ${status}`).toBeDefined();
        if (Number(status) >= 400) expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
      expect(operation.responses['503'].headers['retry-after']).toEqual({ $ref: '#/components/headers/RetryAfter' });
      for (const parameter of route.url.match(/:[A-Za-z]+/g) ?? []) {
        expect(operation.parameters.some((entry: any) => entry.in === 'path' && entry.name === parameter.slice(1) && entry.required)).toBe(true);
      }
      if (operation.tags[0] === 'operator') {
        expect(operation.security).toEqual([{ operatorToken: [] }]);
        expect(operation.responses['401'].headers['www-authenticate']).toBeDefined();
      } else expect(operation.security).toBeUndefined();
      const versioned = route.url.startsWith('/v1/');
      if (!versioned && document.paths[`/v1${toOpenApiPath(route.url)}`]) {
        expect(operation.deprecated, `${route.url} is an alias`).toBe(true);
        expect(operation.responses['200'] ?? operation.responses['204']).toMatchObject({
          headers: { deprecation: expect.any(Object), link: expect.any(Object) },
        });
      } else expect(operation.deprecated).toBeUndefined();
    }
    expect(document.components.securitySchemes.operatorToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of [
      '/v1/tickets/{id}/messages',
      '/v1/tickets/{id}',
      '/v1/tickets/{id}/events',
      '/v1/tickets',
      '/v1/tickets/{id}/approve',
      '/v1/tickets/{id}/reject',
      '/v1/tickets/{id}/release',
      '/healthz',
      '/readyz',
      '/openapi.json',
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
    expect(document.paths['/v1/tickets/{id}'].delete.operationId).toBe('eraseTicket');
    expect(document.paths['/v1/tickets'].get.parameters.map((parameter: any) => parameter.name).sort()).toEqual(['cursor', 'limit', 'status']);
  });

  it('carries examples recorded from a real conversation', () => {
    const examples = document.paths['/v1/tickets/{id}/messages'].post.responses['200'].content['application/json'].examples;
    expect(Object.keys(examples)).toEqual(expect.arrayContaining(['ask', 'execute', 'duplicate', 'awaitingApproval']));
    expect(examples.ask.value).toMatchObject({ action: { type: 'ask', slot: 'region' }, ticket: { status: 'collecting' } });
    expect(document.paths['/v1/tickets/{id}/messages'].post.requestBody.content['application/json'].examples.first.value).toEqual({
      message: 'My fiber internet is down',
      messageId: 'm-1',
    });
    expect(
      document.paths['/v1/tickets/{id}/messages'].post.responses['503'].content['application/json'].examples.storeUnavailable.value.error.details,
    ).toMatchObject({ outcome: 'unknown' });
  });
});

describe('every answer conforms to the document', () => {
  it('a conversation, the operator routes and every failure class, over real HTTP', async () => {
    const base = server.url;
    const operator = operatorHeaders();
    const say = (id: string, message: string, messageId?: string, prefix = '/v1') =>
      call(base, 'POST', `${prefix}/tickets/${id}/messages`, { body: { message, ...(messageId ? { messageId } : {}) } });

    // Health and documentation.
    await call(base, 'GET', '/healthz');
    await call(base, 'GET', '/readyz');
    await call(base, 'GET', '/openapi.json');

    // A conversation, through /v1 and through the deprecated aliases.
    expect((await say('C-1', 'My fiber internet is down', 'm-1')).body.action.type).toBe('ask');
    expect((await say('C-1', 'Berlin', 'm-2')).body.action.type).toBe('execute');
    expect((await say('C-1', 'Berlin', 'm-2')).body.duplicate).toBe(true);
    await say('C-1', 'thanks', undefined, '');
    await call(base, 'GET', '/v1/tickets/C-1');
    await call(base, 'GET', '/tickets/C-1');
    await call(base, 'GET', '/v1/tickets/C-1/events?limit=3');
    await call(base, 'GET', '/v1/tickets/C-1/events?after=3&limit=1000');
    await call(base, 'GET', '/tickets/C-1/events');
    await say('C-2', 'I have no internet at all'); // an intent question
    await say('C-3', 'let me talk to a human'); // escalation

    // Operator routes.
    await say('C-4', 'I was overcharged 80 euros, business account');
    expect((await say('C-4', 'yes')).body.action.outcome).toBe('awaiting_approval');
    await say('C-4', 'any news?'); // wait
    await call(base, 'GET', '/v1/tickets?status=awaiting_approval', { headers: operator });
    await call(base, 'GET', '/v1/tickets?status=awaiting_approval,needs_human&limit=1', { headers: operator });
    await call(base, 'GET', '/tickets?status=resolved&status=collecting', { headers: operator });
    expect((await call(base, 'POST', '/v1/tickets/C-4/approve', { body: { note: 'ok' }, headers: operator })).status).toBe(200);
    await say('C-5', 'Please refund 120 euros, I was charged twice. Personal account');
    await say('C-5', 'yes');
    expect((await call(base, 'POST', '/tickets/C-5/reject', { headers: operator })).status).toBe(200);
    await say('C-6', 'refund 20 euros please, I was charged twice. Business account');
    server.telecom.backend.setFault('send_notification', 'fail');
    server.telecom.backend.setFault('issue_credit', 'fail-compensation');
    await say('C-6', 'yes');
    server.telecom.backend.clearFaults();
    expect((await call(base, 'POST', '/v1/tickets/C-6/release', { body: { note: 'fixed by hand' }, headers: operator })).status).toBe(200);
    expect((await call(base, 'DELETE', '/v1/tickets/C-3', { headers: operator })).status).toBe(204);
    expect((await call(base, 'DELETE', '/tickets/C-3', { headers: operator })).status).toBe(204);

    // 400
    for (const [method, url, options] of [
      ['POST', '/v1/tickets/C-7/messages', { body: { message: '' } }],
      ['POST', '/v1/tickets/C-7/messages', { body: { message: 'hi', messageID: 'typo' } }],
      ['POST', '/v1/tickets/C-7/messages', { raw: '{"message":' }],
      ['POST', '/v1/tickets/C-7/messages', { body: { message: '   ' } }],
      ['POST', `/v1/tickets/${'a'.repeat(129)}/messages`, { body: { message: 'hi' } }],
      ['GET', '/v1/tickets/C-1/events?limit=0', {}],
      ['GET', '/v1/tickets/C-1/events?after=-1', {}],
      ['GET', '/v1/tickets?status=bogus', { headers: operator }],
      ['POST', '/v1/tickets/C-4/approve', { body: { by: 'customer-himself' }, headers: operator }],
      ['GET', '/v1/tickets/bad%ZZid', {}],
    ] as const) {
      expect((await call(base, method, url, options)).status, `${method} ${url}`).toBe(400);
    }
    // 401
    expect((await call(base, 'POST', '/v1/tickets/C-4/approve', { body: { by: 'customer-himself' } })).status).toBe(401);
    expect((await call(base, 'GET', '/v1/tickets', { headers: operatorHeaders('wrong-token-0123456789') })).status).toBe(401);
    expect((await call(base, 'DELETE', '/tickets/C-1')).status).toBe(401);
    // 404
    expect((await call(base, 'GET', '/v1/tickets/C-missing')).status).toBe(404);
    expect((await call(base, 'GET', '/v1/tickets/C-missing/events')).status).toBe(404);
    expect((await call(base, 'POST', '/v1/tickets/C-missing/approve', { headers: operator })).status).toBe(404);
    expect((await call(base, 'GET', '/v2/tickets/C-1')).status).toBe(404);
    // 405
    expect((await call(base, 'GET', '/v1/tickets/C-1/messages')).status).toBe(405);
    expect((await call(base, 'PUT', '/v1/tickets/C-1')).status).toBe(405);
    // 409
    expect((await call(base, 'POST', '/v1/tickets/C-4/approve', { headers: operator })).status).toBe(409);
    expect((await call(base, 'POST', '/v1/tickets/C-1/release', { headers: operator })).status).toBe(409);
    // 413, 415
    expect((await call(base, 'POST', '/v1/tickets/C-7/messages', { raw: JSON.stringify({ message: 'x'.repeat(70_000) }) })).status).toBe(413);
    expect((await call(base, 'POST', '/v1/tickets/C-7/messages', { raw: 'hello', contentType: 'text/plain' })).status).toBe(415);
    expect(
      (await call(base, 'POST', '/v1/tickets/C-4/approve', { raw: 'note=ok', contentType: 'application/x-www-form-urlencoded', headers: operator })).status,
    ).toBe(415);
    expect((await call(base, 'DELETE', '/v1/tickets/C-2', { raw: 'please', contentType: 'text/plain', headers: operator })).status).toBe(415);
    expect((await call(base, 'DELETE', '/v1/tickets/C-2', { raw: JSON.stringify({ note: 'x'.repeat(70_000) }), headers: operator })).status).toBe(413);
    expect((await call(base, 'GET', '/v1/tickets?cursor=not-a-cursor', { headers: operator })).status).toBe(400);
    // 503: the store does not answer
    const down = downServer.url;
    expect((await call(down, 'POST', '/v1/tickets/C-1/messages', { body: { message: 'hello', messageId: 'm-1' } })).status).toBe(503);
    expect((await call(down, 'GET', '/v1/tickets/C-1')).status).toBe(503);
    expect((await call(down, 'GET', '/readyz')).status).toBe(503);
    expect((await call(down, 'POST', '/tickets/C-1/approve', { headers: operator })).status).toBe(503);

    expect(problems).toEqual([]);
    const statuses = new Set([...contract.seen].map((key) => key.split(' ').at(-1)));
    expect([...statuses].sort()).toEqual(['200', '204', '400', '401', '404', '405', '409', '413', '415', '503']);
    console.info(
      `contract: ${contract.checked.responses} responses checked (${contract.checked.headers} headers, ${contract.checked.bodies} bodies) covering ${contract.seen.size} documented responses`,
    );
  });
});

describe('the contract checker', () => {
  it('catches an undocumented status, a missing Retry-After, a body off its schema and a wrong content type', () => {
    const json = (headers: Record<string, string>) => new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1', ...headers });
    const checker = new OpenApiContract(document);
    expect(checker.check({ method: 'GET', url: '/v1/tickets/T-1', status: 418, headers: json({}), text: '{}' })).toEqual([
      expect.stringContaining('status 418 is not documented'),
    ]);
    expect(checker.check({ method: 'GET', url: '/v1/tickets/T-1', status: 503, headers: json({}), text: '{"error":{"code":"x","message":"y"}}' })).toEqual([
      expect.stringContaining('required header retry-after is missing'),
    ]);
    expect(checker.check({ method: 'GET', url: '/v1/tickets/T-1', status: 200, headers: json({}), text: '{"ticket":{"id":"T-1"}}' })).toEqual([
      expect.stringContaining('body:'),
    ]);
    expect(
      checker.check({
        method: 'GET',
        url: '/v1/tickets/T-1',
        status: 404,
        headers: json({ 'content-type': 'text/html' }),
        text: '{"error":{"code":"x","message":"y"}}',
      }),
    ).toEqual([expect.stringContaining('content-type text/html')]);
    expect(
      checker.check({ method: 'GET', url: '/v1/tickets/T-1/messages', status: 405, headers: json({}), text: '{"error":{"code":"x","message":"y"}}' }),
    ).toEqual([expect.stringContaining('required header allow is missing')]);
    expect(checker.check({ method: 'GET', url: '/nowhere', status: 200, headers: json({}), text: '{}' })).toEqual([
      expect.stringContaining('404 was expected'),
    ]);
    expect(checker.check({ method: 'POST', url: '/tickets/T-1/approve', status: 200, headers: json({}), text: '{}' })).toEqual(
      expect.arrayContaining([expect.stringContaining('required header deprecation is missing')]),
    );
  });
});
