import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, REDIS_URL, requireService, RUN_NAMESPACE } from './support/services.js';
import { operatorHeaders, request, startTestServer, TEST_OPERATOR, type TestServer } from './support/test-server.js';

const pgAvailable = await requireService('postgres', PG_URL);
const redisAvailable = await requireService('redis', REDIS_URL);
const directory = mkdtempSync(join(tmpdir(), 'telecom-operator-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const stores: { name: string; available: boolean; create: () => TicketStore }[] = [
  { name: 'memory', available: true, create: () => new MemoryTicketStore() },
  { name: 'sqlite', available: true, create: () => new SqliteTicketStore({ filename: join(directory, 'tickets.db'), namespace: RUN_NAMESPACE }) },
  { name: 'postgres', available: pgAvailable, create: () => new PostgresTicketStore({ connectionString: PG_URL, namespace: `${RUN_NAMESPACE}-op` }) },
  { name: 'redis', available: redisAvailable, create: () => new RedisTicketStore({ url: REDIS_URL, namespace: `${RUN_NAMESPACE}-op` }) },
];

const ALICE = { name: 'alice', token: 'alice-token-0123456789abcdef' };
const BOB = { name: 'bob@example.com', token: 'bob-token-ZYXWVUT9876543210' };

describe.each(stores)('operator routes on $name', ({ name, available, create }) => {
  let server: TestServer;
  let store: TicketStore;
  const created: string[] = [];
  const ticket = (label: string) => {
    const id = `${name}-${label}-${Date.now().toString(36)}`;
    created.push(id);
    return id;
  };
  const say = (id: string, message: string) => request(`${server.url}/v1/tickets/${id}/messages`, { body: { message } });
  const parkCredit = async (id: string, amount = 900) => {
    await say(id, `I was overcharged ${amount} euros, business account`);
    const parked = await say(id, 'yes');
    expect(parked.body.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'awaiting_approval' });
  };
  const creditsOf = (id: string) =>
    server.telecom.backend.calls.filter((call) => call.key.startsWith(`${id}:`) && call.operation === 'issue_credit' && call.kind !== 'undo');

  beforeAll(async () => {
    if (!available) return;
    store = create();
    server = await startTestServer({ store, operators: [TEST_OPERATOR, ALICE, BOB] });
  });
  afterAll(async () => {
    if (!server) return;
    for (const id of created) await store.delete(id);
    await server.close();
  });

  it.skipIf(!available)('refuses self-approval over HTTP: without a token the 900 € credit stays parked and nothing is applied', async () => {
    const id = ticket('self');
    await parkCredit(id);
    for (const path of [`/v1/tickets/${id}/approve`, `/tickets/${id}/approve`]) {
      const attempt = await request(`${server.url}${path}`, { body: { by: 'customer-himself', note: 'approved by me' } });
      expect(attempt.status).toBe(401);
      expect(attempt.body.error.code).toBe('operator_auth_required');
      expect(attempt.headers.get('www-authenticate')).toBe('Bearer realm="ticketflow-operator"');
    }
    for (const authorization of [
      'Bearer customer-guess-0123456789',
      `Bearer ${ALICE.token}x`,
      `Bearer ${ALICE.token.slice(0, -1)}`,
      `Basic ${Buffer.from(`alice:${ALICE.token}`).toString('base64')}`,
      'Bearer',
      `Bearer ${ALICE.token} extra`,
    ]) {
      const attempt = await request(`${server.url}/v1/tickets/${id}/approve`, { body: {}, headers: { authorization } });
      expect(attempt.status, authorization).toBe(401);
      expect(attempt.body.error.code).toBe('operator_auth_invalid');
      expect(attempt.headers.get('www-authenticate')).toBe('Bearer realm="ticketflow-operator", error="invalid_token"');
    }
    expect((await request(`${server.url}/v1/tickets/${id}`)).body.ticket.status).toBe('awaiting_approval');
    expect(creditsOf(id)).toEqual([]);
  });

  it.skipIf(!available)('refuses a "by" in the body even with a valid token: who approves is the token, never the body', async () => {
    const id = ticket('by');
    await parkCredit(id);
    const attempt = await request(`${server.url}/v1/tickets/${id}/approve`, { body: { by: 'customer-himself' }, headers: operatorHeaders(ALICE.token) });
    expect(attempt.status).toBe(400);
    expect(attempt.body.error).toMatchObject({ code: 'invalid_request', details: { issues: [{ path: 'body', properties: ['by'] }] } });
    expect(attempt.body.error.message).toContain('operator token');
    expect((await request(`${server.url}/v1/tickets/${id}`)).body.ticket.status).toBe('awaiting_approval');
  });

  it.skipIf(!available)("approves with a token and records the token's name as who approved (case-insensitive scheme, no body needed)", async () => {
    const id = ticket('approve');
    await parkCredit(id);
    const approved = await request(`${server.url}/v1/tickets/${id}/approve`, { method: 'POST', headers: { authorization: `bearer  ${BOB.token}` } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ action: { type: 'execute', outcome: 'resolved' }, ticket: { status: 'resolved' } });
    expect(creditsOf(id)).toHaveLength(1);
    const events = (await request(`${server.url}/v1/tickets/${id}/events?limit=1000`)).body.events as { type: string; data?: Record<string, unknown> }[];
    expect(events.find((event) => event.type === 'approval.granted')?.data).toMatchObject({ by: BOB.name });
    expect(server.logs.some((line) => line.msg === 'approval decided' && line.by === BOB.name && line.ticketId === id)).toBe(true);
    expect(JSON.stringify(server.logs)).not.toContain(BOB.token);
  });

  it.skipIf(!available)("rejects with a token and a note, recorded under the operator's name; a second decision is 409", async () => {
    const id = ticket('reject');
    await parkCredit(id, 120);
    const rejected = await request(`${server.url}/v1/tickets/${id}/reject`, { body: { note: 'not eligible' }, headers: operatorHeaders(ALICE.token) });
    expect(rejected.body).toMatchObject({ action: { type: 'cancelled', reason: 'rejected' }, ticket: { status: 'closed' } });
    const events = (await request(`${server.url}/v1/tickets/${id}/events?limit=1000`)).body.events as { type: string; data?: Record<string, unknown> }[];
    expect(events.find((event) => event.type === 'approval.rejected')?.data).toMatchObject({ by: ALICE.name, note: 'not eligible' });
    const again = await request(`${server.url}/v1/tickets/${id}/approve`, { body: {}, headers: operatorHeaders(ALICE.token) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ticket_state', details: { status: 'closed' } });
  });

  it.skipIf(!available)('releases a needs_human ticket back to the agent (409 for one that needs no human, 404 for none)', async () => {
    const id = ticket('release');
    await say(id, 'refund 20 euros please, I was charged twice. Business account');
    server.telecom.backend.setFault('send_notification', 'fail');
    server.telecom.backend.setFault('issue_credit', 'fail-compensation');
    const broken = await say(id, 'yes');
    server.telecom.backend.clearFaults();
    expect(broken.body.ticket.status).toBe('needs_human');
    expect((await request(`${server.url}/v1/tickets/${id}/release`, { body: {} })).status).toBe(401);
    const released = await request(`${server.url}/v1/tickets/${id}/release`, {
      body: { note: 'credit reverted by hand' },
      headers: operatorHeaders(ALICE.token),
    });
    expect(released.status).toBe(200);
    expect(released.body.ticket.status).not.toBe('needs_human');
    const events = (await request(`${server.url}/v1/tickets/${id}/events?limit=1000`)).body.events as { type: string; data?: Record<string, unknown> }[];
    expect(events.find((event) => event.type === 'ticket.released')?.data).toEqual({ by: ALICE.name, note: 'credit reverted by hand' });
    expect((await request(`${server.url}/v1/tickets/${id}/release`, { body: {}, headers: operatorHeaders() })).status).toBe(409);
    expect((await request(`${server.url}/v1/tickets/${name}-nobody-${Date.now()}/release`, { body: {}, headers: operatorHeaders() })).status).toBe(404);
  });

  it.skipIf(!available)('erases a ticket and its events (204, idempotent); only an operator may', async () => {
    const id = ticket('erase');
    await say(id, 'my fiber internet is down');
    expect((await request(`${server.url}/v1/tickets/${id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await request(`${server.url}/v1/tickets/${id}`)).status).toBe(200);
    const erased = await request(`${server.url}/v1/tickets/${id}`, { method: 'DELETE', headers: operatorHeaders() });
    expect(erased.status).toBe(204);
    expect(erased.body).toBeUndefined();
    expect((await request(`${server.url}/v1/tickets/${id}`)).status).toBe(404);
    expect((await request(`${server.url}/v1/tickets/${id}/events`)).status).toBe(404);
    expect((await request(`${server.url}/v1/tickets/${id}`, { method: 'DELETE', headers: operatorHeaders() })).status).toBe(204);
    expect((await request(`${server.url}/tickets/${name}-never-${Date.now()}`, { method: 'DELETE', headers: operatorHeaders() })).status).toBe(204);
    expect(server.logs.some((line) => line.msg === 'ticket erased' && line.by === TEST_OPERATOR.name && line.ticketId === id)).toBe(true);
  });

  it.skipIf(!available)('lists the queues oldest first, filtered by status and paged with the cursor', async (context) => {
    if (typeof (store as { list?: unknown }).list !== 'function') {
      console.warn(`⚠ ${name}: the store has no list() yet — the queue route is not exercised on it`);
      context.skip();
    }
    const ids = [ticket('queue-a'), ticket('queue-b'), ticket('queue-c')];
    for (const id of ids) await parkCredit(id, 300);
    expect((await request(`${server.url}/v1/tickets?status=awaiting_approval`)).status).toBe(401);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      const query: string = `status=awaiting_approval&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await request(`${server.url}/v1/tickets?${query}`, { headers: operatorHeaders() });
      expect(answer.status).toBe(200);
      expect(answer.body.tickets.length).toBeLessThanOrEqual(2);
      for (const summary of answer.body.tickets) expect(summary.status).toBe('awaiting_approval');
      seen.push(...answer.body.tickets.map((summary: { ticketId: string }) => summary.ticketId));
      cursor = answer.body.cursor;
      if (cursor === null) break;
    }
    const ours = seen.filter((id) => ids.includes(id));
    expect(ours).toEqual(ids); // oldest update first, each once
    const both = await request(`${server.url}/v1/tickets?status=awaiting_approval&status=needs_human&limit=1000`, { headers: operatorHeaders() });
    const comma = await request(`${server.url}/v1/tickets?status=awaiting_approval,needs_human&limit=1000`, { headers: operatorHeaders() });
    expect(comma.body.tickets).toEqual(both.body.tickets);
    const bad = await request(`${server.url}/v1/tickets?status=awaiting_aproval`, { headers: operatorHeaders() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('unknown status "awaiting_aproval"');
    for (const query of ['limit=0', 'limit=1001', 'limit=-1', 'limit=1e2', 'limit=2&limit=3', 'cursor=', `cursor=${'x'.repeat(1_025)}`]) {
      expect((await request(`${server.url}/v1/tickets?${query}`, { headers: operatorHeaders() })).status, query).toBe(400);
    }
  });
});

describe('operator routes without TICKETFLOW_OPERATOR_TOKEN', () => {
  it('are disabled, never open: 401 operator_auth_disabled on every operator route, whatever the token', async () => {
    const server = await startTestServer({ store: new MemoryTicketStore(), operators: [] });
    try {
      const attempts = [
        { method: 'GET', path: '/v1/tickets' },
        { method: 'POST', path: '/v1/tickets/T-1/approve', body: {} },
        { method: 'POST', path: '/v1/tickets/T-1/reject', body: {} },
        { method: 'POST', path: '/v1/tickets/T-1/release', body: {} },
        { method: 'DELETE', path: '/v1/tickets/T-1' },
        { method: 'POST', path: '/tickets/T-1/approve', body: { by: 'x' } },
      ];
      for (const attempt of attempts) {
        for (const headers of [{}, operatorHeaders()]) {
          const answer = await request(`${server.url}${attempt.path}`, { method: attempt.method, headers, ...(attempt.body ? { body: attempt.body } : {}) });
          expect(answer.status, `${attempt.method} ${attempt.path}`).toBe(401);
          expect(answer.body.error.code).toBe('operator_auth_disabled');
          expect(answer.body.error.message).toContain('TICKETFLOW_OPERATOR_TOKEN');
        }
      }
      // The customer routes still work.
      expect((await request(`${server.url}/v1/tickets/T-1/messages`, { body: { message: 'hello' } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
