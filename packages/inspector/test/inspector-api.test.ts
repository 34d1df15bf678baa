import { ConfigurationError, defineWorkflow, StoreError } from '@ticketflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_STATUSES } from '../src/index.js';
import { converse, createTestApp, OPERATOR, VIEWER } from './support/test-app.js';
import { createTestAgent } from './support/test-agent.js';

const apps: { app: { close(): Promise<unknown> } }[] = [];
async function setup(...args: Parameters<typeof createTestApp>) {
  const created = await createTestApp(...args);
  apps.push(created);
  return created;
}
afterEach(async () => {
  for (const { app } of apps.splice(0)) await app.close();
});

const json = { 'content-type': 'application/json' };

describe('who may see and who may act', () => {
  it('answers 401 with a challenge on every API route without a credential, and asks authorize what each request wants', async () => {
    const t = await setup();
    await converse(t, 'T-1', 'refund 80 eur account A1');
    const routes = [
      ['GET', '/inspector/api/session', 'view', null],
      ['GET', '/inspector/api/queues', 'view', null],
      ['GET', '/inspector/api/tickets', 'view', null],
      ['GET', '/inspector/api/tickets/T-1', 'view', 'T-1'],
      ['GET', '/inspector/api/replay/T-1', 'replay', 'T-1'],
      ['POST', '/inspector/api/approve/T-1', 'approve', 'T-1'],
      ['POST', '/inspector/api/reject/T-1', 'reject', 'T-1'],
      ['POST', '/inspector/api/release/T-1', 'release', 'T-1'],
    ] as const;
    for (const [method, url, action, ticketId] of routes) {
      t.calls.length = 0;
      const response = await t.app.inject({ method, url, headers: { ...json, authorization: 'Bearer wrong' }, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="ticketflow inspector"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(t.calls).toEqual([{ action, ticketId, url }]);
    }
    expect((await t.agent.getTicket('T-1'))!.status).toBe('awaiting_approval');
  });

  it('tells the page who is signed in and whether they may act', async () => {
    const t = await setup({ title: 'Refund desk' });
    const operator = await t.app.inject({ url: '/inspector/api/session', headers: OPERATOR });
    expect(operator.json()).toEqual({
      by: 'operator-1',
      canDecide: true,
      title: 'Refund desk',
      replay: 'not_configured',
      statuses: [...QUEUE_STATUSES],
      attention: ['needs_human', 'awaiting_approval'],
    });
    const viewer = await t.app.inject({ url: '/inspector/api/session', headers: VIEWER });
    expect(viewer.json()).toMatchObject({ by: null, canDecide: false });
  });

  it('lets a read-only viewer look but not approve (403 read_only), and changes nothing', async () => {
    const t = await setup();
    await converse(t, 'T-2', 'refund 80 eur account A2');
    expect((await t.app.inject({ url: '/inspector/api/tickets/T-2', headers: VIEWER })).statusCode).toBe(200);
    const refused = await t.app.inject({ method: 'POST', url: '/inspector/api/approve/T-2', headers: { ...VIEWER, ...json }, payload: {} });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('read_only');
    expect((await t.agent.getTicket('T-2'))!.status).toBe('awaiting_approval');
  });

  it('fails closed when authorize answers something else than true, false or { by }', async () => {
    for (const answer of [{ by: '' }, { by: 42 }, { who: 'x' }, 'yes', { by: 'x'.repeat(257) }]) {
      const t = await setup({ authorize: () => answer as never });
      const response = await t.app.inject({ url: '/inspector/api/queues' });
      expect(response.statusCode, JSON.stringify(answer)).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
  });

  it("awaits an asynchronous authorize, and passes its error to the app's error handler", async () => {
    const t = await setup({ authorize: async () => ({ by: 'async-operator' }) });
    expect((await t.app.inject({ url: '/inspector/api/session' })).json().by).toBe('async-operator');
    const failing = await setup({
      authorize: async () => {
        throw new Error('identity provider down');
      },
    });
    const response = await failing.app.inject({ url: '/inspector/api/session' });
    expect(response.statusCode).toBe(500);
    expect(response.json().message).toBe('identity provider down');
  });
});

describe('queues', () => {
  it('lists every status, those waiting for a person first, oldest update first', async () => {
    const t = await setup();
    await converse(t, 'T-resolved', 'refund 20 eur account A1');
    await converse(t, 'T-approval-1', 'refund 80 eur account A2');
    await converse(t, 'T-approval-2', 'refund 90 eur account A3');
    t.faults.notify = true;
    t.faults.undoCredit = true;
    await converse(t, 'T-human', 'refund 30 eur account A4');
    await converse(t, 'T-collecting', 'I want my money back');
    const { queues } = (await t.app.inject({ url: '/inspector/api/queues', headers: VIEWER })).json();
    expect(queues.map((queue: { status: string }) => queue.status)).toEqual([...QUEUE_STATUSES]);
    const byStatus = Object.fromEntries(
      queues.map((queue: { status: string; tickets: { ticketId: string }[] }) => [queue.status, queue.tickets.map((ticket) => ticket.ticketId)]),
    );
    expect(byStatus).toMatchObject({
      needs_human: ['T-human'],
      awaiting_approval: ['T-approval-1', 'T-approval-2'],
      resolved: ['T-resolved'],
      collecting: ['T-collecting'],
    });
    expect(queues[0]).toMatchObject({ attention: true, cursor: null });
  });

  it('pages one queue with a cursor, without skipping or repeating a ticket', async () => {
    const t = await setup();
    for (let index = 0; index < 7; index += 1) await converse(t, `T-${index}`, `refund ${10 + index} eur account A${index}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `status=resolved&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await t.app.inject({ url: `/inspector/api/tickets?${query}`, headers: VIEWER })).json();
      expect(page.tickets.length).toBeLessThanOrEqual(3);
      seen.push(...page.tickets.map((ticket: { ticketId: string }) => ticket.ticketId));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['T-0', 'T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6']);
    expect(pages).toBe(3);
    const several = (await t.app.inject({ url: '/inspector/api/tickets?status=resolved,needs_human&limit=100', headers: VIEWER })).json();
    expect(several.tickets).toHaveLength(7);
    const repeated = (await t.app.inject({ url: '/inspector/api/tickets?status=needs_human&status=resolved&limit=100', headers: VIEWER })).json();
    expect(repeated.tickets).toHaveLength(7);
  });

  it('answers 400 for a bad limit, status or cursor', async () => {
    const t = await setup();
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'status=NOT%20A%20STATUS', 'status=a,,b', 'cursor=garbage', `cursor=${'x'.repeat(3000)}`]) {
      const response = await t.app.inject({ url: `/inspector/api/tickets?${query}`, headers: VIEWER });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    expect((await t.app.inject({ url: '/inspector/api/queues?limit=1000', headers: VIEWER })).statusCode).toBe(400);
  });
});

describe('a ticket', () => {
  it('O1 returns the ticket and its whole event log: decisions, steps and compensations', async () => {
    const t = await setup();
    t.faults.notify = true;
    await converse(t, 'T-rollback', 'refund 30 eur account A1');
    const body = (await t.app.inject({ url: '/inspector/api/tickets/T-rollback', headers: VIEWER })).json();
    expect(body.ticket).toMatchObject({ id: 'T-rollback', status: 'open', intent: 'refund' });
    const types = body.events.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['decision.made', 'step.completed', 'step.failed', 'step.compensated', 'ticket.rolled_back']));
    expect(body.events.map((event: { seq: number }) => event.seq)).toEqual(types.map((_: unknown, index: number) => index + 1));
  });

  it('O1 pages the event log with ?after=&limit= (nextAfter until the last page), refusing bad ranges', async () => {
    const t = await setup();
    t.faults.notify = true;
    await converse(t, 'T-paged', 'refund 30 eur account A1');
    const all = (await t.app.inject({ url: '/inspector/api/tickets/T-paged', headers: VIEWER })).json().events as { seq: number }[];
    const seen: number[] = [];
    for (let after: number | null = 0; after !== null;) {
      const url = `/inspector/api/tickets/T-paged?after=${String(after)}&limit=3`;
      const page: { events: { seq: number }[]; ticket: { id: string }; nextAfter: number | null } = (await t.app.inject({ url, headers: VIEWER })).json();
      expect(page.events.length).toBeLessThanOrEqual(3);
      expect(page.ticket.id).toBe('T-paged');
      seen.push(...page.events.map((event: { seq: number }) => event.seq));
      after = page.nextAfter;
    }
    expect(seen).toEqual(all.map((event) => event.seq));
    const exact = (await t.app.inject({ url: `/inspector/api/tickets/T-paged?limit=${all.length}`, headers: VIEWER })).json();
    expect(exact.events).toHaveLength(all.length);
    expect(exact.nextAfter, 'a full last page says there is no more').toBeNull();
    for (const query of ['limit=0', 'limit=1001', 'after=-1', 'after=x']) {
      const response = await t.app.inject({ url: `/inspector/api/tickets/T-paged?${query}`, headers: VIEWER });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
  });

  it('answers 404 for an unknown ticket, 400 for an empty id or one over 1,024 characters', async () => {
    const t = await setup();
    const unknown = await t.app.inject({ url: '/inspector/api/tickets/nobody', headers: VIEWER });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'ticket_not_found', message: 'There is no ticket with this id.' } });
    for (const url of [
      '/inspector/api/tickets/',
      `/inspector/api/tickets/${'a'.repeat(1_025)}`,
      '/inspector/api/replay/',
      `/inspector/api/replay/${'a'.repeat(1_025)}`,
    ]) {
      const response = await t.app.inject({ url, headers: VIEWER });
      expect(response.statusCode, url.slice(0, 40)).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
    for (const url of ['/inspector/api/tickets/a%00b', '/inspector/api/tickets/%0A', '/inspector/api/replay/x%1Fy']) {
      const response = await t.app.inject({ url, headers: VIEWER });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'invalid_argument', details: { argument: 'ticketId' } });
    }
  });

  it("serves ids longer than Fastify's default maxParamLength (100), up to the core's 1,024", async () => {
    const t = await setup();
    const id = `T-${'x'.repeat(1_000)}`;
    await converse(t, id, 'refund 80 eur account A1');
    expect((await t.app.inject({ url: `/inspector/api/tickets/${id}`, headers: VIEWER })).json().ticket.id).toBe(id);
    const approved = await t.app.inject({ method: 'POST', url: `/inspector/api/approve/${id}`, headers: { ...OPERATOR, ...json }, payload: {} });
    expect(approved.json().ticket.status).toBe('resolved');
  });

  it('answers ids with reserved URL characters, encoded', async () => {
    const t = await setup();
    await converse(t, 'ticket:a/b?c#d é', 'refund 20 eur account A1');
    const response = await t.app.inject({ url: `/inspector/api/tickets/${encodeURIComponent('ticket:a/b?c#d é')}`, headers: VIEWER });
    expect(response.statusCode).toBe(200);
    expect(response.json().ticket.id).toBe('ticket:a/b?c#d é');
  });
});

describe('approve, reject, release', () => {
  it('approve runs the pending step and records who approved from authorize, not from the body', async () => {
    const t = await setup();
    await converse(t, 'T-approve', 'refund 80 eur account A1');
    const response = await t.app.inject({
      method: 'POST',
      url: '/inspector/api/approve/T-approve',
      headers: { ...OPERATOR, ...json },
      payload: { note: 'loyal customer' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ action: { type: 'execute', outcome: 'resolved' }, ticket: { status: 'resolved' } });
    const { events } = await t.agent.inspect('T-approve');
    expect(events.find((event) => event.type === 'approval.granted')?.data).toMatchObject({ by: 'operator-1', note: 'loyal customer', tool: 'issue_credit' });
    const again = await t.app.inject({ method: 'POST', url: '/inspector/api/approve/T-approve', headers: { ...OPERATOR, ...json }, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ticket_state', details: { status: 'resolved' } });
  });

  it('refuses a "by" in the body, a note that is too long, a body that is not a JSON object', async () => {
    const t = await setup();
    await converse(t, 'T-body', 'refund 80 eur account A1');
    const post = (payload: string, headers: Record<string, string> = json) =>
      t.app.inject({ method: 'POST', url: '/inspector/api/approve/T-body', headers: { ...OPERATOR, ...headers }, payload });
    const withBy = await post(JSON.stringify({ by: 'customer-himself' }));
    expect(withBy.statusCode).toBe(400);
    expect(withBy.json().error.message).toContain('"by" is who you are signed in as');
    expect((await post(JSON.stringify({ note: 'x'.repeat(4_001) }))).statusCode).toBe(400);
    expect((await post('[1,2]')).statusCode).toBe(400);
    expect((await post('"approve"')).statusCode).toBe(400);
    expect((await post('{"note":')).statusCode).toBe(400);
    expect((await t.agent.getTicket('T-body'))!.status).toBe('awaiting_approval');
  });

  it('refuses a form post (415) and a cross-site request (403): another site cannot make an operator approve', async () => {
    const t = await setup();
    await converse(t, 'T-csrf', 'refund 80 eur account A1');
    const form = await t.app.inject({
      method: 'POST',
      url: '/inspector/api/approve/T-csrf',
      headers: { ...OPERATOR, 'content-type': 'text/plain' },
      payload: '',
    });
    expect(form.statusCode).toBe(415);
    const empty = await t.app.inject({ method: 'POST', url: '/inspector/api/approve/T-csrf', headers: OPERATOR });
    expect(empty.statusCode).toBe(415);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/inspector/api/approve/T-csrf',
      headers: { ...OPERATOR, ...json, 'sec-fetch-site': 'cross-site' },
      payload: {},
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('cross_site');
    expect((await t.agent.getTicket('T-csrf'))!.status).toBe('awaiting_approval');
  });

  it('E3 reject compensates the steps already run and closes the ticket', async () => {
    const t = await setup();
    await converse(t, 'T-reject', 'refund 80 eur account A1');
    const response = await t.app.inject({
      method: 'POST',
      url: '/inspector/api/reject/T-reject',
      headers: { ...OPERATOR, ...json },
      payload: { note: 'not eligible' },
    });
    expect(response.json()).toMatchObject({ action: { type: 'cancelled', reason: 'rejected' }, ticket: { status: 'closed' } });
    expect(t.effects).toEqual(['reserve:T-reject:1:0', 'unreserve:T-reject:1:0']);
  });

  it('release hands a needs_human ticket back to the agent; on another ticket it is 409, on none 404', async () => {
    const t = await setup();
    t.faults.notify = true;
    t.faults.undoCredit = true;
    await converse(t, 'T-human', 'refund 30 eur account A1');
    const released = await t.app.inject({
      method: 'POST',
      url: '/inspector/api/release/T-human',
      headers: { ...OPERATOR, ...json },
      payload: { note: 'reversed by hand' },
    });
    expect(released.statusCode).toBe(200);
    expect(released.json().ticket.status).toBe('collecting');
    const { events } = await t.agent.inspect('T-human');
    expect(events.find((event) => event.type === 'ticket.released')?.data).toEqual({ by: 'operator-1', note: 'reversed by hand' });
    expect((await t.app.inject({ method: 'POST', url: '/inspector/api/release/T-human', headers: { ...OPERATOR, ...json }, payload: {} })).statusCode).toBe(
      409,
    );
    expect((await t.app.inject({ method: 'POST', url: '/inspector/api/approve/nobody', headers: { ...OPERATOR, ...json }, payload: {} })).statusCode).toBe(404);
  });

  it('answers two concurrent approvals with one success and one 409: the step runs once', async () => {
    const t = await setup();
    await converse(t, 'T-race', 'refund 80 eur account A1');
    const approve = () => t.app.inject({ method: 'POST', url: '/inspector/api/approve/T-race', headers: { ...OPERATOR, ...json }, payload: {} });
    const statuses = (await Promise.all([approve(), approve()])).map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 409]);
    expect(t.effects.filter((effect) => effect.startsWith('credit:'))).toEqual(['credit:T-race:1:1']);
  });
});

describe('replay', () => {
  it('answers 501 replay_not_configured without replay definitions, 404 for an unknown ticket', async () => {
    const t = await setup();
    await converse(t, 'T-replay', 'refund 20 eur account A1');
    const response = await t.app.inject({ url: '/inspector/api/replay/T-replay', headers: VIEWER });
    expect(response.statusCode).toBe(501);
    expect(response.json().error.code).toBe('replay_not_configured');
  });

  it('answers a configuration error found only at request time as a JSON problem, not a bare 500', async () => {
    const testAgent = createTestAgent();
    // A redactor that finds its own configuration bad only when first used.
    const redact = () => {
      throw new ConfigurationError({ message: 'Invalid redact rules', issues: ['rules[0]: must be a RegExp'] });
    };
    const t = await setup({ replay: { store: testAgent.store, intents: testAgent.intents, workflows: testAgent.workflows, redact } }, testAgent);
    await converse(t, 'T-misconfigured', 'refund 20 eur account A1');
    const response = await t.app.inject({ url: '/inspector/api/replay/T-misconfigured', headers: VIEWER });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      error: {
        code: 'configuration_error',
        message: expect.stringMatching(/^The inspector is misconfigured: Invalid redact rules/),
        details: { issues: ['rules[0]: must be a RegExp'] },
      },
    });
  });

  it('replays a ticket against the running definitions: every turn the same, nothing written, no tool called', async () => {
    const testAgent = createTestAgent();
    const t = await setup({ replay: { store: testAgent.store, intents: testAgent.intents, workflows: testAgent.workflows } }, testAgent);
    await converse(t, 'T-replay', 'I want my money back', 'refund 80 eur account A1');
    await t.agent.approve('T-replay', { by: 'supervisor-1' });
    const before = await t.agent.inspect('T-replay');
    const effects = [...t.effects];
    expect((await t.app.inject({ url: '/inspector/api/session', headers: VIEWER })).json().replay).toBe('available');
    const response = await t.app.inject({ url: '/inspector/api/replay/T-replay', headers: VIEWER });
    expect(response.statusCode).toBe(200);
    const { report } = response.json();
    expect(report).toMatchObject({ ticketId: 'T-replay', diverged: false });
    expect(report.turns.map((turn: { turn: number; operation: string; same: boolean }) => [turn.turn, turn.operation, turn.same])).toEqual([
      [1, 'message', true],
      [2, 'message', true],
      [2, 'approve', true],
    ]);
    expect(await t.agent.inspect('T-replay')).toEqual(before);
    expect(t.effects).toEqual(effects);
    expect(t.calls.filter((call) => call.action === 'replay')).toEqual([{ action: 'replay', ticketId: 'T-replay', url: '/inspector/api/replay/T-replay' }]);
  });

  it('reports the turns that a changed workflow would run differently, an unrecorded tool call included, without running it', async () => {
    const recorded = createTestAgent();
    await converse(recorded, 'T-changed', 'refund 20 eur account A1');
    const changed = createTestAgent();
    const [credit] = changed.workflows;
    const extraTool = credit!.tools.find((tool) => tool.name === 'notify')!;
    const twice = defineWorkflow({
      name: credit!.name,
      intent: credit!.intent,
      required: credit!.required,
      tools: credit!.tools,
      run: async (ctx) => {
        const result = await credit!.run(ctx);
        await ctx.call(extraTool, { account: 'second-notice' });
        return result;
      },
    });
    const t = await setup({ replay: { store: recorded.store, intents: recorded.intents, workflows: [twice] } }, recorded);
    const effects = [...recorded.effects];
    const { report } = (await t.app.inject({ url: '/inspector/api/replay/T-changed', headers: VIEWER })).json();
    expect(report.diverged).toBe(true);
    expect(report.turns[0].same).toBe(false);
    expect(report.turns[0].divergences).toContainEqual({ kind: 'unrecorded_tool_call', tool: 'notify', input: { account: 'second-notice' } });
    expect(recorded.effects).toEqual(effects);
  });

  it('refuses a replay option with its own ticketId: the ticket comes from the request', async () => {
    const testAgent = createTestAgent();
    await expect(
      setup({ replay: { store: testAgent.store, intents: testAgent.intents, workflows: testAgent.workflows, ticketId: 'T-1' } as never }, testAgent),
    ).rejects.toMatchObject({ issues: [expect.stringMatching(/^replay\.ticketId: /)] });
  });
});

describe('failures of the agent and the store', () => {
  it('answers 503 with Retry-After when the store does not answer', async () => {
    const testAgent = createTestAgent();
    testAgent.agent.list = async () => {
      throw new StoreError({ kind: 'unavailable', adapter: 'test', message: 'connection refused' });
    };
    const t = await setup({}, testAgent);
    const response = await t.app.inject({ url: '/inspector/api/tickets', headers: VIEWER });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json().error.code).toBe('store_unavailable');
  });

  it("passes an unexpected error on to the app's error handler", async () => {
    const testAgent = createTestAgent();
    testAgent.agent.inspect = async () => {
      throw new TypeError('boom');
    };
    const t = await setup({}, testAgent);
    const response = await t.app.inject({ url: '/inspector/api/tickets/T-1', headers: VIEWER });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ message: 'boom' });
  });
});
