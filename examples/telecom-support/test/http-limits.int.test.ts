import { connect, type Socket } from 'node:net';
import { MemoryTicketStore } from '@ticketflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelecomLLM } from '../src/llm/create-telecom-llm.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

/**
 * Slow and greedy clients over real TCP (DESIGN §7, issue 12.15): a client that trickles
 * its request is cut off after the request timeout (408), one that trickles its headers
 * after the header timeout, an idle keep-alive connection after the keep-alive timeout,
 * and connections above the cap are refused — while normal requests keep being served.
 * The bounds asserted are the configured timeouts plus Node's check interval plus a
 * generous allowance for a loaded machine: they check that the timeouts fire, not speed.
 */

const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
});

async function start(limits: Parameters<typeof startTestServer>[0]['limits'], llm = createTelecomLLM()) {
  const server = await startTestServer({ store: new MemoryTicketStore(), llm, limits });
  servers.push(server);
  return { server, port: Number(new URL(server.url).port) };
}

/** A raw client: what it received, and when (ms after it connected) the server closed it. */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  sockets.push(socket);
  const started = Date.now();
  const state = { received: '', closedAfterMs: -1, connected: false };
  socket.on('connect', () => (state.connected = true));
  socket.on('data', (chunk) => (state.received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      state.closedAfterMs = Date.now() - started;
      resolve();
    }),
  );
  return { socket, state, closed };
}

/** Writes `text` one byte every `everyMs` until the socket closes (or the text runs out). */
function trickle(socket: Socket, text: string, everyMs: number): () => void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) return clearInterval(timer);
    socket.write(text[index]!);
    index += 1;
  }, everyMs);
  return () => clearInterval(timer);
}

const statusOf = (received: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);

describe('slow clients', () => {
  it('closes 300 connections that trickle their body byte by byte within the request timeout (408), serving normal requests meanwhile', async () => {
    const requestTimeoutMs = 2_000;
    const { server, port } = await start({ requestTimeoutMs, headersTimeoutMs: 1_000 });
    const body = JSON.stringify({ message: 'x'.repeat(180) });
    const clients = Array.from({ length: 300 }, (_value, index) => {
      const client = rawClient(port);
      client.socket.write(
        `POST /v1/tickets/T-slow-${index}/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      trickle(client.socket, body, 100);
      return client;
    });

    // Meanwhile, normal clients are served.
    const served: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      const [health, turn] = await Promise.all([
        request(`${server.url}/healthz`),
        request(`${server.url}/v1/tickets/T-normal-${round}/messages`, { body: { message: 'my fiber internet is down' } }),
      ]);
      served.push(health.status, turn.status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served.every((status) => status === 200)).toBe(true);

    await Promise.all(clients.map((client) => client.closed));
    const closedAfter = clients.map((client) => client.state.closedAfterMs).sort((left, right) => left - right);
    const timedOut = clients.filter((client) => statusOf(client.state.received) === 408).length;
    console.info(
      `300 trickling bodies: closed after ${closedAfter[0]}–${closedAfter.at(-1)} ms (median ${closedAfter[150]} ms), ${timedOut} answered 408; request timeout ${requestTimeoutMs} ms`,
    );
    expect(closedAfter[0]).toBeGreaterThanOrEqual(requestTimeoutMs - 100); // not cut before the timeout
    expect(closedAfter.at(-1)).toBeLessThan(requestTimeoutMs + 8_000);
    expect(timedOut).toBe(300);
    expect(clients[0]!.state.received).toContain('"code":"request_timeout"');
    // None of the trickled messages reached the agent.
    expect((await request(`${server.url}/v1/tickets/T-slow-0`)).status).toBe(404);
  });

  it('closes connections that trickle their headers (slowloris) within the header timeout', async () => {
    const headersTimeoutMs = 1_000;
    const { server, port } = await start({ requestTimeoutMs: 5_000, headersTimeoutMs });
    const clients = Array.from({ length: 100 }, () => {
      const client = rawClient(port);
      trickle(client.socket, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(200)}\r\n\r\n`, 50);
      return client;
    });
    expect((await request(`${server.url}/healthz`)).status).toBe(200);
    await Promise.all(clients.map((client) => client.closed));
    const closedAfter = clients.map((client) => client.state.closedAfterMs).sort((left, right) => left - right);
    console.info(`100 trickling headers: closed after ${closedAfter[0]}–${closedAfter.at(-1)} ms; header timeout ${headersTimeoutMs} ms`);
    expect(closedAfter[0]).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
    expect(closedAfter.at(-1)).toBeLessThan(headersTimeoutMs + 8_000);
    expect(clients.every((client) => statusOf(client.state.received) === 408)).toBe(true);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const keepAliveTimeoutMs = 500;
    const { port } = await start({ keepAliveTimeoutMs });
    const client = rawClient(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.closed;
    expect(statusOf(client.state.received)).toBe(200);
    expect(client.state.received.toLowerCase()).toContain('keep-alive: timeout=');
    expect(client.state.closedAfterMs).toBeGreaterThanOrEqual(keepAliveTimeoutMs - 100);
    expect(client.state.closedAfterMs).toBeLessThan(keepAliveTimeoutMs + 5_000);
  });

  it('does not cut a slow turn: the request timeout covers receiving the request, not the answer', async () => {
    const { server } = await start({ requestTimeoutMs: 500, headersTimeoutMs: 500 }, createTelecomLLM({ latencyMs: 1_500 }));
    const answer = await request(`${server.url}/v1/tickets/T-slow-llm/messages`, { body: { message: 'my fiber internet is down' } });
    expect(answer.status).toBe(200);
    expect(answer.body.action).toMatchObject({ type: 'ask', slot: 'region' });
  });
});

describe('the connection cap', () => {
  it('refuses connections above the cap at once and accepts new ones when others close', async () => {
    const maxConnections = 20;
    const { server, port } = await start({ maxConnections, headersTimeoutMs: 20_000, requestTimeoutMs: 20_000 });
    const held = Array.from({ length: maxConnections }, () => rawClient(port));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = Array.from({ length: 10 }, () => rawClient(port));
    for (const client of refused) client.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await Promise.all(refused.map((client) => client.closed));
    expect(refused.every((client) => client.state.received === '')).toBe(true);
    expect(held.every((client) => client.state.closedAfterMs === -1)).toBe(true);

    for (const client of held.slice(0, 5)) client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await request(`${server.url}/healthz`)).status).toBe(200);
  });
});
