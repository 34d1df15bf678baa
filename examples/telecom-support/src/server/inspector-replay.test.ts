import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { TelecomBackend } from '../backend/telecom-backend.js';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { buildServer } from './build-server.js';

const OPERATOR = { name: 'supervisor-1', token: 'test-operator-token-0123456789' };
const headers = { authorization: `Bearer ${OPERATOR.token}` };

describe('the inspector in the example server: replay against the running code', () => {
  async function serverWith(replay: boolean) {
    const store = new MemoryTicketStore();
    const { agent, domain } = createTelecomAgent({ store, backend: new TelecomBackend({ latencyMs: 0 }) });
    await agent.handle({ ticketId: 'T-R', message: 'my fiber internet is down', messageId: 'm1' });
    await agent.handle({ ticketId: 'T-R', message: "I'm in Hamburg", messageId: 'm2' });
    const app = await buildServer({
      agent,
      store,
      logger: false,
      operators: [OPERATOR],
      ...(replay ? { replay: { intents: domain.intents, workflows: domain.workflows, slots: domain.slots } } : {}),
    });
    return app;
  }

  it('replays a recorded ticket with the definitions the server was given: every turn the same', async () => {
    const app = await serverWith(true);
    const response = await app.inject({ method: 'GET', url: '/inspector/api/replay/T-R', headers });
    expect(response.statusCode, response.body).toBe(200);
    const { report } = response.json() as { report: { diverged: boolean; turns: { same: boolean }[] } };
    expect(report.diverged).toBe(false);
    expect(report.turns.map((turn) => turn.same)).toEqual([true, true]);
    await app.close();
  });

  it('without definitions the replay answers 501, and the session says it is not configured', async () => {
    const app = await serverWith(false);
    expect((await app.inject({ method: 'GET', url: '/inspector/api/replay/T-R', headers })).statusCode).toBe(501);
    expect((await app.inject({ method: 'GET', url: '/inspector/api/session', headers })).json()).toMatchObject({ replay: 'not_configured' });
    await app.close();
  });
});
