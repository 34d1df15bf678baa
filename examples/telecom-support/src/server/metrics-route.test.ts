import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { buildServer } from './build-server.js';
import { PROMETHEUS_CONTENT_TYPE } from './telemetry.js';

const operators = [{ name: 'prometheus', token: 'scrape-token-0123456789' }];

async function server(metrics?: { contentType: string; text(): Promise<string> }, withOperators = true) {
  const store = new MemoryTicketStore();
  const { agent } = createTelecomAgent({ store });
  return buildServer({ agent, store, logger: false, operators: withOperators ? operators : [], ...(metrics ? { metrics } : {}) });
}

describe('GET /metrics', () => {
  it('answers the Prometheus text with a valid operator token, 401 without one, and never caches', async () => {
    const app = await server({ contentType: PROMETHEUS_CONTENT_TYPE, text: async () => 'ticketflow_turns_total 3\n' });
    const refused = await app.inject({ url: '/metrics' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: 'operator_auth_required' } });
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    const scraped = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${operators[0]!.token}` } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(scraped.headers['cache-control']).toBe('no-store');
    expect(scraped.body).toBe('ticketflow_turns_total 3\n');
    await app.close();
  });

  it('is never open: without operator tokens it answers 401 operator_auth_disabled', async () => {
    const app = await server({ contentType: PROMETHEUS_CONTENT_TYPE, text: async () => 'x 1\n' }, false);
    expect((await app.inject({ url: '/metrics' })).json()).toMatchObject({ error: { code: 'operator_auth_disabled' } });
    await app.close();
  });

  it('answers 503 with the error envelope when the metrics cannot be collected, and 404 when telemetry is off', async () => {
    const failing = await server({ contentType: PROMETHEUS_CONTENT_TYPE, text: async () => Promise.reject(new Error('reader shut down')) });
    const answer = await failing.inject({ url: '/metrics', headers: { authorization: `Bearer ${operators[0]!.token}` } });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ error: { code: 'metrics_unavailable' } });
    await failing.close();
    const off = await server();
    expect((await off.inject({ url: '/metrics', headers: { authorization: `Bearer ${operators[0]!.token}` } })).statusCode).toBe(404);
    await off.close();
  });
});
