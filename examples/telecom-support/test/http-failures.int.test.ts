import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { InvalidArgumentError, StoreError, TicketStateError, type TicketStore } from '@ticketflow/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createLLMs } from '../src/config/create-llms.js';
import { createStore } from '../src/config/create-store.js';
import { loadConfig } from '../src/config/load-config.js';
import { closedPort, PG_URL, REDIS_URL, requireService, RUN_NAMESPACE } from './support/services.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { operatorHeaders, request, startTestServer } from './support/test-server.js';

const pgAvailable = await requireService('postgres', PG_URL);
const redisAvailable = await requireService('redis', REDIS_URL);
const directory = mkdtempSync(join(tmpdir(), 'telecom-failures-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Polls until `check` passes (the store may take a moment to reconnect). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const deadStores = [
  { name: 'postgres', available: pgAvailable, url: PG_URL, port: 5432, config: (url: string) => ({ kind: 'postgres' as const, connectionString: url }) },
  { name: 'redis', available: redisAvailable, url: REDIS_URL, port: 6379, config: (url: string) => ({ kind: 'redis' as const, url }) },
];

describe.each(deadStores)('a dead $name store', ({ name, available, url, port, config }) => {
  it.skipIf(!available)('starts anyway, answers 503 + Retry-After while the store is down, and recovers by itself', async () => {
    const proxy = TcpProxy.for(url, port);
    await proxy.reserve(); // the "database" is down before the server starts
    const store = createStore(config(proxy.url(url)), `${RUN_NAMESPACE}-dead`);
    const server = await startTestServer({ store });
    const id = `${name}-dead-${Date.now().toString(36)}`;
    const say = (message: string, messageId: string) => request(`${server.url}/tickets/${id}/messages`, { body: { message, messageId } });
    try {
      expect((await request(`${server.url}/healthz`)).status).toBe(200);
      const notReady = await request(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.headers.get('retry-after')).toBe('5');
      expect(notReady.body.error.code).toBe('store_unavailable');

      const refused = await say('My fiber internet is down', 'm-1');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(refused.body.error).toMatchObject({ code: 'store_unavailable' });
      for (const path of [`/tickets/${id}`, `/tickets/${id}/events`]) {
        const answer = await request(`${server.url}${path}`);
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).not.toBeNull();
      }
      expect((await request(`${server.url}/tickets/${id}/approve`, { body: {}, headers: operatorHeaders() })).status).toBe(503);

      await proxy.start(); // the database is back: no restart of the server
      await eventually(async () => expect((await request(`${server.url}/readyz`)).status).toBe(200));
      const accepted = await say('My fiber internet is down', 'm-1'); // the client retries the same messageId
      expect(accepted.status).toBe(200);
      expect(accepted.body.action).toMatchObject({ type: 'ask', slot: 'region' });

      await proxy.stop(); // down again, mid-conversation
      const down = await say('Berlin', 'm-2');
      expect(down.status).toBe(503);
      expect((await request(`${server.url}/readyz`)).status).toBe(503);

      await proxy.start();
      await eventually(async () => expect((await request(`${server.url}/readyz`)).status).toBe(200));
      const resumed = await say('Berlin', 'm-2');
      expect(resumed.body.action).toMatchObject({ type: 'execute', workflow: 'fiber_no_internet', outcome: 'resolved' });
      const ticket = await request(`${server.url}/tickets/${id}`);
      expect(ticket.body.ticket.transcript.filter((entry: { role: string }) => entry.role === 'user').map((entry: { text: string }) => entry.text)).toEqual([
        'My fiber internet is down',
        'Berlin',
      ]);
      expect(server.logs.some((line) => line.msg === 'request failed' && line.code === 'store_unavailable' && line.ticketId === id)).toBe(true);
      await store.delete(id);
    } finally {
      await server.close();
      await proxy.stop();
    }
  });
});

describe('a dead LLM', () => {
  it('answers 200 with the fallback action when Ollama is unreachable (TICKETFLOW_LLM=ollama)', async () => {
    const { config } = loadConfig({ TICKETFLOW_LLM: 'ollama', OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` });
    const server = await startTestServer({ store: new SqliteTicketStore({ filename: join(directory, 'dead-llm.db') }), llm: createLLMs(config.llms) });
    try {
      const answer = await request(`${server.url}/tickets/T-dead-llm/messages`, { body: { message: 'My fiber internet is down' } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ action: { type: 'fallback', reason: 'unavailable' }, decision: null });
      expect(answer.body.ticket.transcript.at(-2)).toMatchObject({ role: 'user', text: 'My fiber internet is down', actedOn: false });
      // Hooks run after the turn (they never delay it): the log line may follow the response.
      await vi.waitFor(() =>
        expect(
          server.logs.some(
            (line) => line.msg === 'every LLM failed: answered with the fallback reply' && line.ticketId === 'T-dead-llm' && typeof line.requestId === 'string',
          ),
        ).toBe(true),
      );
    } finally {
      await server.close();
    }
  });

  it('falls back along the chain: ollama down, the offline LLM answers (TICKETFLOW_LLM=ollama,mock)', async () => {
    const { config } = loadConfig({ TICKETFLOW_LLM: 'ollama,mock', OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` });
    const server = await startTestServer({ store: new SqliteTicketStore({ filename: join(directory, 'chain.db') }), llm: createLLMs(config.llms) });
    try {
      const answer = await request(`${server.url}/tickets/T-chain/messages`, { body: { message: 'My fiber internet is down' } });
      expect(answer.body).toMatchObject({ action: { type: 'ask', slot: 'region' }, decision: { intent: 'no_internet' } });
    } finally {
      await server.close();
    }
  });
});

describe('unexpected errors', () => {
  /** A store with a bug: `load` throws a plain error, or a StoreError of a given kind. */
  function brokenStore(error: () => Error): TicketStore {
    const inner = new SqliteTicketStore({ filename: ':memory:' });
    return {
      load: async () => {
        throw error();
      },
      commit: (commit) => inner.commit(commit),
      events: (ticketId, options) => inner.events(ticketId, options),
      delete: (ticketId) => inner.delete(ticketId),
      list: (query) => inner.list(query),
      purge: (options) => inner.purge(options),
      close: () => inner.close(),
    };
  }

  it('answers 503 with a code and Retry-After, and logs the cause, never a 500', async () => {
    const server = await startTestServer({ store: brokenStore(() => new TypeError('boom', { cause: new Error('root cause: disk on fire') })) });
    try {
      const answer = await request(`${server.url}/tickets/T-bug/messages`, { body: { message: 'hello' } });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(JSON.stringify(answer.body)).not.toContain('disk on fire');
      const logged = server.logs.find((line) => line.msg === 'request failed unexpectedly');
      expect(logged).toMatchObject({ level: 50, ticketId: 'T-bug', code: 'internal_error' });
      expect(JSON.stringify(logged)).toContain('root cause: disk on fire');
    } finally {
      await server.close();
    }
  });

  it('maps a corrupt ticket to 503 store_corrupt and a contended one to 503 ticket_busy', async () => {
    for (const [kind, code] of [
      ['corrupt', 'store_corrupt'],
      ['conflict', 'ticket_busy'],
    ] as const) {
      const server = await startTestServer({ store: brokenStore(() => new StoreError({ kind, adapter: 'test', message: kind })) });
      try {
        const answer = await request(`${server.url}/tickets/T-${kind}`);
        expect(answer.status).toBe(503);
        expect(answer.body.error.code).toBe(code);
        expect(answer.headers.get('retry-after')).not.toBeNull();
      } finally {
        await server.close();
      }
    }
  });
});

describe('honest failures: a 503 says whether the request may have been applied', () => {
  /** SQLite whose next commit lands and then reports a stalled connection (outcome unknown). */
  function stallingAfterCommit(): TicketStore & { stallNextCommit(): void } {
    const inner = new SqliteTicketStore({ filename: ':memory:' });
    let stall = false;
    return {
      load: (ticketId) => inner.load(ticketId),
      async commit(commit) {
        const result = await inner.commit(commit);
        if (stall && result.ok) {
          stall = false;
          throw new StoreError({ kind: 'unavailable', adapter: 'test', message: 'the connection stalled after the commit was sent', outcome: 'unknown' });
        }
        return result;
      },
      events: (ticketId, options) => inner.events(ticketId, options),
      delete: (ticketId) => inner.delete(ticketId),
      list: (query) => inner.list(query),
      purge: (options) => inner.purge(options),
      close: () => inner.close(),
      stallNextCommit: () => (stall = true),
    };
  }

  it('answers 503 outcome "unknown" when the commit may have landed; the retry with the same messageId returns the recorded result, processed once', async () => {
    const store = stallingAfterCommit();
    const server = await startTestServer({ store });
    const say = (message: string, messageId: string) => request(`${server.url}/v1/tickets/T-stall/messages`, { body: { message, messageId } });
    try {
      store.stallNextCommit(); // a turn that asks a question commits once
      const unknown = await say('My fiber internet is down', 'm-1');
      expect(unknown.status).toBe(503);
      expect(unknown.headers.get('retry-after')).toBe('5');
      expect(unknown.body.error).toMatchObject({
        code: 'store_unavailable',
        details: { outcome: 'unknown', mayHaveBeenProcessed: true, safeToRetryWithSameMessageId: true },
      });
      expect(unknown.body.error.message).toContain('may or may not have been applied');
      const retried = await say('My fiber internet is down', 'm-1');
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ duplicate: true, action: { type: 'ask', slot: 'region' } });
      const ticket = await request(`${server.url}/v1/tickets/T-stall`);
      expect(ticket.body.ticket.transcript.filter((entry: { role: string }) => entry.role === 'user')).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('answers 503 outcome "not_applied" when the store refused before anything was sent', async () => {
    const inner = new SqliteTicketStore({ filename: ':memory:' });
    const store: TicketStore = {
      load: async () => {
        throw new StoreError({ kind: 'unavailable', adapter: 'test', message: 'connection refused', outcome: 'not_applied' });
      },
      commit: (commit) => inner.commit(commit),
      events: (ticketId, options) => inner.events(ticketId, options),
      delete: (ticketId) => inner.delete(ticketId),
      list: (query) => inner.list(query),
      purge: (options) => inner.purge(options),
      close: () => inner.close(),
    };
    const server = await startTestServer({ store });
    try {
      const answer = await request(`${server.url}/v1/tickets/T-refused/messages`, { body: { message: 'hello', messageId: 'm-1' } });
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'store_unavailable', details: { outcome: 'not_applied', mayHaveBeenProcessed: false } });
      expect(answer.body.error.message).toContain('nothing was changed');
    } finally {
      await server.close();
    }
  });

  it('answers 409 for a reused messageId and for a ticket erased mid-flight, 409 ticket_state for an approval nobody waits for', async () => {
    const store = new SqliteTicketStore({ filename: ':memory:' });
    const server = await startTestServer({ store });
    const agent = server.telecom.agent;
    const realHandle = agent.handle.bind(agent);
    try {
      // The core refuses a reused messageId (T7) and a turn on a ticket erased meanwhile (P3) with typed errors.
      agent.handle = async (input) => {
        if (input.messageId === 'm-reused')
          throw Object.defineProperty(new InvalidArgumentError({ argument: 'messageId', message: 'already used for another message' }), 'code', {
            value: 'message_id_reused',
          });
        if (input.messageId === 'm-erased')
          throw Object.defineProperty(new TicketStateError({ message: 'the ticket was erased', status: null }), 'code', { value: 'ticket_erased' });
        return realHandle(input);
      };
      const reused = await request(`${server.url}/v1/tickets/T-409/messages`, { body: { message: 'other text', messageId: 'm-reused' } });
      expect(reused.status).toBe(409);
      expect(reused.body.error).toMatchObject({ code: 'message_id_reused', details: { argument: 'messageId' } });
      const erased = await request(`${server.url}/v1/tickets/T-409/messages`, { body: { message: 'hello', messageId: 'm-erased' } });
      expect(erased.status).toBe(409);
      expect(erased.body.error.code).toBe('ticket_erased');
      await request(`${server.url}/v1/tickets/T-409/messages`, { body: { message: 'hello' } });
      const notWaiting = await request(`${server.url}/v1/tickets/T-409/approve`, { body: {}, headers: operatorHeaders() });
      expect(notWaiting.status).toBe(409);
      expect(notWaiting.body.error).toMatchObject({ code: 'ticket_state', details: { status: expect.any(String) } });
    } finally {
      await server.close();
    }
  });
});
