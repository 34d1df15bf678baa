import { InvalidArgumentError, MemoryTicketStore, StoreError, TicketStateError } from '@ticketflow/core';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { TelecomBackend } from '../backend/telecom-backend.js';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { createTelecomLLM } from '../llm/create-telecom-llm.js';
import Fastify from 'fastify';
import { buildServer, registeredRoutes } from './build-server.js';
import { assertRouteHasContract } from './route-contract.js';
import { HttpError, toHttpError } from './http-error.js';
import { RouteTable } from './route-table.js';

describe('toHttpError', () => {
  it('maps the core errors to the HTTP contract, never to a 500', () => {
    const status = (error: unknown) => toHttpError(error).httpError.status;
    expect(status(new InvalidArgumentError({ argument: 'message', message: 'bad' }))).toBe(400);
    expect(status(new TicketStateError({ message: 'not awaiting', status: 'resolved' }))).toBe(409);
    expect(status(new TicketStateError({ message: 'missing', status: null }))).toBe(404);
    expect(status(new StoreError({ kind: 'unavailable', adapter: 'x', message: 'down' }))).toBe(503);
    expect(status(new StoreError({ kind: 'conflict', adapter: 'x', message: 'busy' }))).toBe(503);
    expect(status(new StoreError({ kind: 'invalid', adapter: 'x', message: 'refused' }))).toBe(400);
    expect(status(new StoreError({ kind: 'corrupt', adapter: 'x', message: 'bad json' }))).toBe(503);
    expect(status(new Error('bug'))).toBe(503);
    expect(status('a string thrown')).toBe(503);
    expect(status(null)).toBe(503);
    expect(status(Object.assign(new Error('x'), { statusCode: 500 }))).toBe(503);
    expect(status(Object.assign(new Error('x'), { statusCode: 431 }))).toBe(431);
  });

  it('says whether a store failure may have been applied (StoreError.outcome), and maps reuse and erasure to 409', () => {
    const unknown = toHttpError(new StoreError({ kind: 'unavailable', adapter: 'x', message: 'stalled' })).httpError;
    expect(unknown.details).toEqual({ outcome: 'unknown', mayHaveBeenProcessed: true, safeToRetryWithSameMessageId: true });
    expect(unknown.message).toContain('Retrying with the same messageId is safe');
    const notApplied = toHttpError(new StoreError({ kind: 'unavailable', adapter: 'x', message: 'refused', outcome: 'not_applied' })).httpError;
    expect(notApplied.details).toMatchObject({ outcome: 'not_applied', mayHaveBeenProcessed: false });
    expect(toHttpError(new StoreError({ kind: 'conflict', adapter: 'x', message: 'busy' })).httpError.details).toMatchObject({ outcome: 'not_applied' });
    const reused = Object.defineProperty(new InvalidArgumentError({ argument: 'messageId', message: 'reused' }), 'code', { value: 'message_id_reused' });
    expect(toHttpError(reused).httpError).toMatchObject({ status: 409, code: 'message_id_reused' });
    const erased = Object.defineProperty(new TicketStateError({ message: 'erased', status: null }), 'code', { value: 'ticket_erased' });
    expect(toHttpError(erased).httpError).toMatchObject({ status: 409, code: 'ticket_erased' });
  });

  it('adds Retry-After to every 503', () => {
    for (const error of [
      new Error('bug'),
      new StoreError({ kind: 'unavailable', adapter: 'x', message: 'down' }),
      new StoreError({ kind: 'conflict', adapter: 'x', message: 'busy' }),
    ]) {
      expect(toHttpError(error).httpError.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(new HttpError(400, 'x', 'y').toBody()).toEqual({ error: { code: 'x', message: 'y' } });
  });
});

describe('RouteTable', () => {
  it('tells a known path with the wrong method from an unknown path', () => {
    const table = new RouteTable();
    table.add('/tickets/:id', ['GET', 'HEAD']);
    table.add('/tickets/:id/messages', 'POST');
    expect(table.allowed('/tickets/T-1')).toEqual(['GET', 'HEAD']);
    expect(table.allowed('/tickets/T-1/messages')).toEqual(['POST']);
    expect(table.allowed('/tickets/T-1/nope')).toBeNull();
    expect(table.hasEmptyParameter('/tickets//messages')).toBe(true);
  });
});

describe('route contracts', () => {
  it('refuses a route registered without a contract (schemas for every response), so it fails the start', async () => {
    const app = Fastify({ logger: false });
    app.addHook('onRoute', (route) => assertRouteHasContract(route, ['/inspector']));
    expect(() => app.get('/no-contract', async () => ({ ok: true }))).toThrow(/GET \/no-contract has no route contract/);
    expect(() => app.get('/half', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}))).toThrow(/has no route contract/);
    expect(() => app.get('/inspector/queue', async () => 'page')).not.toThrow();
    await app.close();
  });

  it('builds a server whose every route has a contract', async () => {
    const store = new MemoryTicketStore();
    const { agent } = createTelecomAgent({ store, backend: new TelecomBackend({ latencyMs: 0 }) });
    const app = await buildServer({ agent, store, logger: false });
    const routes = registeredRoutes.get(app)!;
    expect(routes.length).toBeGreaterThan(19);
    expect(routes.filter((route) => route.url.startsWith('/v1/') && route.method !== 'HEAD')).toHaveLength(8);
    await app.close();
  });
});

describe('buildServer while closing', () => {
  it('lets the in-flight turn finish and answers a request that arrives meanwhile 503 shutting_down with Retry-After', async () => {
    const store = new MemoryTicketStore();
    const llm = createTelecomLLM({ latencyMs: 300 });
    const { agent } = createTelecomAgent({ store, backend: new TelecomBackend({ latencyMs: 0 }), llm });
    const app = await buildServer({ agent, store, logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const body = JSON.stringify({ message: 'my fiber internet is down' });
    // A second request on the busy keep-alive connection, sent after close() began.
    const socket = connect(Number(new URL(address).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write(
      `POST /tickets/T-1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    while (llm.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10)); // the turn is in flight
    const closed = app.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.write('GET /tickets/T-1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await closed;
    await ended;
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
    expect(statuses).toEqual([200, 503]);
    expect(received).toContain('"action":{"type":"ask","slot":"region"');
    expect(received).toContain('"code":"shutting_down"');
    expect(received.toLowerCase()).toContain('retry-after: 5');
  });
});
