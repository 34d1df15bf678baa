import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import type { TicketStore } from '@ticketflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, REDIS_URL, requireService, RUN_NAMESPACE } from './support/services.js';
import { operatorHeaders, request, startTestServer, type TestServer } from './support/test-server.js';

const pgAvailable = await requireService('postgres', PG_URL);
const redisAvailable = await requireService('redis', REDIS_URL);
const directory = mkdtempSync(join(tmpdir(), 'telecom-http-'));

const stores: { name: string; available: boolean; create: () => TicketStore }[] = [
  { name: 'sqlite', available: true, create: () => new SqliteTicketStore({ filename: join(directory, 'tickets.db'), namespace: RUN_NAMESPACE }) },
  { name: 'postgres', available: pgAvailable, create: () => new PostgresTicketStore({ connectionString: PG_URL, namespace: RUN_NAMESPACE }) },
  { name: 'redis', available: redisAvailable, create: () => new RedisTicketStore({ url: REDIS_URL, namespace: RUN_NAMESPACE }) },
];

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe.each(stores)('HTTP flows on $name', ({ name, available, create }) => {
  let server: TestServer;
  let store: TicketStore;
  const created: string[] = [];
  const ticket = (label: string) => {
    const id = `${name}-${label}-${Date.now().toString(36)}`;
    created.push(id);
    return id;
  };
  const say = (id: string, message: string, messageId?: string) =>
    request(`${server.url}/tickets/${id}/messages`, { body: { message, ...(messageId ? { messageId } : {}) } });

  beforeAll(async () => {
    if (!available) return;
    store = create();
    server = await startTestServer({ store });
  });
  afterAll(async () => {
    if (!server) return;
    for (const id of created) await store.delete(id);
    await server.close();
  });

  it.skipIf(!available)('answers readiness and liveness', async () => {
    expect((await request(`${server.url}/healthz`)).status).toBe(200);
    expect(await request(`${server.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it.skipIf(!available)('asks for the one missing slot, then executes (D4, E2)', async () => {
    const id = ticket('fiber');
    const asked = await say(id, 'My fiber internet is down');
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({
      action: { type: 'ask', slot: 'region', workflow: 'fiber_no_internet' },
      decision: { intent: 'no_internet' },
      ticket: { id, status: 'collecting' },
    });
    const done = await say(id, 'Berlin');
    expect(done.body).toMatchObject({ action: { type: 'execute', workflow: 'fiber_no_internet', outcome: 'resolved' }, ticket: { status: 'resolved' } });
    const fetched = await request(`${server.url}/tickets/${id}`);
    expect(fetched.body.ticket).toMatchObject({ id, intent: 'no_internet', slots: { region: { value: 'Berlin', source: 'user' } } });
    const events = await request(`${server.url}/tickets/${id}/events?limit=3`);
    expect(events.body.events.map((event: { seq: number }) => event.seq)).toEqual([1, 2, 3]);
    const next = await request(`${server.url}/tickets/${id}/events?after=3&limit=1000`);
    expect(next.body.events[0].seq).toBe(4);
    expect(next.body.events.some((event: { type: string }) => event.type === 'execution.completed')).toBe(true);
  });

  it.skipIf(!available)('infers the region from a landline number (S2) and reports it as inferred', async () => {
    const id = ticket('dsl');
    const result = await say(id, 'My DSL line is dead, no internet. Landline 030 5550123');
    expect(result.body.action).toMatchObject({ type: 'execute', workflow: 'dsl_no_internet' });
    expect(result.body.ticket.slots.region).toMatchObject({ value: 'Berlin', source: 'inferred', from: ['phone'] });
  });

  it.skipIf(!available)('confirms before a plan change; a no cancels and nothing runs (E2)', async () => {
    const id = ticket('plan');
    const asked = await say(id, 'Switch me to the Plus plan, personal account');
    expect(asked.body.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('plus') });
    const cancelled = await say(id, 'no');
    expect(cancelled.body.action).toEqual({ type: 'cancelled', workflow: 'plan_change' });
    expect(server.telecom.backend.calls.filter((call) => call.key.startsWith(`${id}:`))).toEqual([]);
  });

  it.skipIf(!available)('rolls a failed plan change back with compensation, then succeeds on retry (E3, T5)', async () => {
    const id = ticket('rollback');
    await say(id, 'Upgrade me to the Unlimited plan, personal account');
    server.telecom.backend.setFault('send_notification', 'fail');
    const failed = await say(id, 'yes');
    server.telecom.backend.clearFaults();
    expect(failed.status).toBe(200);
    expect(failed.body.action).toMatchObject({ type: 'execute', workflow: 'plan_change', outcome: 'failed' });
    const calls = server.telecom.backend.calls.filter((call) => call.key.startsWith(`${id}:`));
    expect(calls.find((call) => call.operation === 'change_plan' && call.kind === 'undo')).toMatchObject({ result: 'ok' });
    expect(server.telecom.backend.plans.get(`ticket:${id}`)).toBe('basic');
    const retried = await say(id, 'yes, try again');
    expect(retried.body.action).toMatchObject({ outcome: 'resolved' });
    expect(server.telecom.backend.plans.get(`ticket:${id}`)).toBe('unlimited');
  });

  it.skipIf(!available)('parks a credit above 50 € for approval; approve runs it, a second approve is 409', async () => {
    const id = ticket('credit');
    await say(id, 'I was overcharged 80 euros, business account');
    const parked = await say(id, 'yes');
    expect(parked.body.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'awaiting_approval' });
    const waiting = await say(id, 'any news?');
    expect(waiting.body.action).toMatchObject({ type: 'wait' });
    const approved = await request(`${server.url}/tickets/${id}/approve`, { body: { note: 'ok' }, headers: operatorHeaders() });
    expect(approved).toMatchObject({ status: 200, body: { action: { type: 'execute', outcome: 'resolved' }, ticket: { status: 'resolved' } } });
    const again = await request(`${server.url}/tickets/${id}/approve`, { body: {}, headers: operatorHeaders() });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'ticket_state', details: { status: 'resolved' } });
  });

  it.skipIf(!available)('reject compensates and closes the pending credit', async () => {
    const id = ticket('reject');
    await say(id, 'Please refund 120 euros, I was charged twice. Personal account');
    await say(id, 'yes');
    const rejected = await request(`${server.url}/tickets/${id}/reject`, { body: { note: 'not eligible' }, headers: operatorHeaders() });
    expect(rejected.body).toMatchObject({ action: { type: 'cancelled', workflow: 'billing_credit', reason: 'rejected' }, ticket: { status: 'closed' } });
    expect(server.telecom.backend.liveEffects().filter((effect) => effect.key.startsWith(`${id}:`))).toEqual([]);
  });

  it.skipIf(!available)('processes a repeated messageId once (T7)', async () => {
    const id = ticket('dedupe');
    const first = await say(id, 'let me talk to a human', 'm-1');
    const second = await say(id, 'let me talk to a human', 'm-1');
    expect(second.body).toMatchObject({ reply: first.body.reply, duplicate: true });
    expect(server.telecom.backend.calls.filter((call) => call.key.startsWith(`${id}:`) && call.operation === 'open_case')).toHaveLength(1);
  });

  it.skipIf(!available)('answers 404 for an unknown ticket and 409 for approving a ticket that waits for nothing', async () => {
    const unknown = `${name}-never-${Date.now()}`;
    expect((await request(`${server.url}/tickets/${unknown}`)).body).toEqual({ error: { code: 'ticket_not_found', message: expect.any(String) } });
    expect((await request(`${server.url}/tickets/${unknown}/events`)).status).toBe(404);
    expect((await request(`${server.url}/tickets/${unknown}/approve`, { body: {}, headers: operatorHeaders() })).status).toBe(404);
    const id = ticket('not-waiting');
    await say(id, 'hello');
    expect((await request(`${server.url}/tickets/${id}/reject`, { body: {}, headers: operatorHeaders() })).status).toBe(409);
  });

  it.skipIf(!available)('logs every line of a ticket request with its request id and ticket id', async () => {
    const id = ticket('logs');
    const response = await fetch(`${server.url}/tickets/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `req-${id}` },
      body: JSON.stringify({ message: 'my internet is slow' }),
    });
    expect(response.headers.get('x-request-id')).toBe(`req-${id}`);
    const lines = server.logs.filter((line) => line.requestId === `req-${id}`);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['incoming request', 'turn handled', 'request completed']));
    expect(lines.every((line) => line.ticketId === id)).toBe(true);
  });
});
