import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeOllama } from './support/fake-ollama.js';
import { spawnServe, type ServeProcess } from './support/serve-process.js';
import { closedPort } from './support/services.js';
import { request } from './support/test-server.js';

const directory = mkdtempSync(join(tmpdir(), 'telecom-serve-'));
const running: ServeProcess[] = [];
const serve = (env: Record<string, string>) => {
  const process = spawnServe(env);
  running.push(process);
  return process;
};

afterEach(() => {
  for (const process of running.splice(0)) if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the serve process', () => {
  it('refuses a bad configuration with exit code 1 and a plain message, never a stack or a secret', async () => {
    const cases: { env: Record<string, string>; expected: string }[] = [
      { env: { TICKETFLOW_STORE: 'mysql://db/app' }, expected: 'TICKETFLOW_STORE must be sqlite:<file>, postgres://… or redis://…' },
      { env: { TICKETFLOW_LLM: 'ollama,gemini' }, expected: 'GEMINI_API_KEY is required' },
      { env: { PORT: 'eighty' }, expected: 'PORT must be an integer from 0 to 65535' },
      { env: { TICKETFLOW_STORE: 'postgres://admin:s3cr3t-pw@/app', TICKETFLOW_LLM: 'gpt' }, expected: 'unknown provider "gpt"' },
    ];
    const processes = cases.map((entry) => ({ ...entry, process: serve(entry.env) }));
    for (const { expected, process } of processes) {
      expect(await process.exited).toEqual({ code: 1, signal: null });
      expect(process.stderr()).toContain('Invalid configuration');
      expect(process.stderr()).toContain(expected);
      expect(process.stderr()).not.toMatch(/\n\s+at /);
      expect(process.stderr()).not.toContain('s3cr3t-pw');
    }
  });

  it('keeps every ticket across a hard kill (SIGKILL) and a restart, and warns about unknown variables', async () => {
    const env = {
      TICKETFLOW_STORE: `sqlite:${join(directory, 'kill.db')}`,
      TICKETFLOW_STROE: 'typo',
      TICKETFLOW_OPERATOR_TOKEN: 'supervisor-1:serve-test-token-0123456789',
    };
    const first = serve(env);
    const url = await first.url;
    expect(first.lines.some((line) => String(line.warning).includes('TICKETFLOW_STROE is ignored (did you mean TICKETFLOW_STORE?)'))).toBe(true);
    const say = (base: string, id: string, message: string) => request(`${base}/tickets/${id}/messages`, { body: { message } });
    await say(url, 'K-ask', 'My fiber internet is down');
    await say(url, 'K-done', 'let me talk to a human');
    await say(url, 'K-approval', 'I was charged twice, refund 75 euros, personal account');
    await say(url, 'K-approval', 'yes');
    const before = await Promise.all(['K-ask', 'K-done', 'K-approval'].map(async (id) => (await request(`${url}/tickets/${id}`)).body.ticket));

    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const second = serve(env);
    const restarted = await second.url;
    const after = await Promise.all(['K-ask', 'K-done', 'K-approval'].map(async (id) => (await request(`${restarted}/tickets/${id}`)).body.ticket));
    expect(after).toEqual(before);
    expect(after.map((ticket) => ticket.status)).toEqual(['collecting', 'escalated', 'awaiting_approval']);
    expect((await say(restarted, 'K-ask', 'Munich')).body.action).toMatchObject({ type: 'execute', workflow: 'fiber_no_internet' });
    const approved = await request(`${restarted}/v1/tickets/K-approval/approve`, {
      body: {},
      headers: { authorization: 'Bearer serve-test-token-0123456789' },
    });
    expect(approved.body).toMatchObject({ action: { outcome: 'resolved' }, ticket: { status: 'resolved' } });
    const events = (await request(`${restarted}/v1/tickets/K-approval/events?limit=1000`)).body.events as { type: string; data?: Record<string, unknown> }[];
    expect(JSON.stringify(events.filter((event) => event.type.startsWith('approval')))).toContain('"supervisor-1"');
  });

  it('answers 200 with the fallback action when TICKETFLOW_LLM=ollama points at a closed port', async () => {
    const process = serve({
      TICKETFLOW_STORE: `sqlite:${join(directory, 'dead-llm.db')}`,
      TICKETFLOW_LLM: 'ollama',
      OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}`,
    });
    const url = await process.url;
    const answer = await request(`${url}/tickets/T-1/messages`, { body: { message: 'my internet is down' } });
    expect(answer.status).toBe(200);
    expect(answer.body.action).toEqual({ type: 'fallback', reason: 'unavailable' });
  });

  it('shuts down gracefully on SIGTERM: finishes the in-flight turn, refuses new work, closes the store, exits 0', async () => {
    const ollama = await startFakeOllama(1_000);
    try {
      const process = serve({ TICKETFLOW_STORE: `sqlite:${join(directory, 'term.db')}`, TICKETFLOW_LLM: 'ollama', OLLAMA_HOST: ollama.url });
      const url = await process.url;
      const inFlight = request(`${url}/tickets/T-term/messages`, { body: { message: 'My fiber internet is down' } });
      // SIGTERM once the turn is in flight: its LLM call is waiting on the (slow) model.
      for (let waited = 0; ollama.requests === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ollama.requests).toBe(1);
      process.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const late = await request(`${url}/healthz`).catch((error: unknown) => ({ status: 0, error }));
      expect([0, 200]).toContain(late.status); // closed port, or liveness on a kept-alive connection
      const finished = await inFlight;
      expect(finished.status).toBe(200);
      expect(finished.body.action).toMatchObject({ type: 'ask', slot: 'region' });
      expect(await process.exited).toEqual({ code: 0, signal: null });
      expect(process.lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped']));
    } finally {
      await ollama.close();
    }
  });

  it('applies the HTTP limits and the operator tokens from the environment, and reports them without the tokens', async () => {
    const process = serve({
      TICKETFLOW_STORE: `sqlite:${join(directory, 'limits.db')}`,
      TICKETFLOW_REQUEST_TIMEOUT_MS: '1000',
      TICKETFLOW_HEADERS_TIMEOUT_MS: '500',
      TICKETFLOW_SWEEP_INTERVAL_MS: '200',
      TICKETFLOW_OPERATOR_TOKEN: 'ops:serve-limits-token-0123456789',
    });
    const url = await process.url;
    const started = process.lines.find((line) => line.msg === 'telecom support server listening')!;
    expect(started).toMatchObject({ operators: ['ops'], http: { requestTimeoutMs: 1_000, headersTimeoutMs: 500 }, sweep: { intervalMs: 200, limit: 100 } });
    expect(JSON.stringify(process.lines)).not.toContain('serve-limits-token');
    expect(
      process.lines.some((line) => line.msg === 'sweeper started' || line.msg === 'the sweeper is off: this version of @ticketflow/core has no agent.recover'),
    ).toBe(true);
    const { connect } = await import('node:net');
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.write('POST /v1/tickets/T-slow/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const began = Date.now();
    await new Promise((resolve) => socket.on('close', resolve));
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - began).toBeLessThan(6_000);
    expect((await request(`${url}/v1/tickets?status=needs_human`, { headers: { authorization: 'Bearer serve-limits-token-0123456789' } })).status).toBe(200);
    process.child.kill('SIGTERM');
    expect(await process.exited).toEqual({ code: 0, signal: null });
  });
});
