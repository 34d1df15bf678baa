import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { converse } from '../../test/support/test-app.js';
import { createTestAgent, type TestAgent } from '../../test/support/test-agent.js';
import { App, parseRoute } from './app.js';
import { ApiError, type ApiClient } from './api/client.js';
import { tokenStore } from './api/token-store.js';
import type { Session } from './api/types.js';

/**
 * An API client over a real agent, with the server's rules: a token, read-only viewers,
 * 409 on a ticket that waits for nothing. (The plugin's own tests cover the HTTP side.)
 */
function fakeApi(testAgent: TestAgent, options: { canDecide?: boolean } = {}) {
  const calls: string[] = [];
  const statuses = ['needs_human', 'awaiting_approval', 'collecting', 'open', 'resolved', 'closed'];
  const guard = () => {
    if (tokenStore.get() !== 'good-token') throw new ApiError(401, 'unauthorized', 'The inspector needs an operator credential.');
  };
  const session: Session = {
    by: options.canDecide === false ? null : 'operator-1',
    canDecide: options.canDecide !== false,
    title: 'Refund desk',
    replay: 'not_configured',
    statuses,
    attention: statuses.slice(0, 2),
  };
  const api: ApiClient = {
    session: async () => (guard(), session),
    queues: async (limit = 10) => {
      guard();
      const pages = await Promise.all(statuses.map((status) => testAgent.agent.list({ status, limit })));
      return { queues: statuses.map((status, index) => ({ status, attention: index < 2, ...pages[index]! })) };
    },
    tickets: async ({ status, cursor, limit }) => (
      guard(),
      calls.push(`tickets ${status} ${cursor ? 'cursor' : ''}`),
      testAgent.agent.list({ ...(status ? { status } : {}), ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) })
    ),
    ticket: async (id) => {
      guard();
      const inspection = await testAgent.agent.inspect(id);
      if (!inspection.ticket) throw new ApiError(404, 'ticket_not_found', 'There is no ticket with this id.');
      return inspection as never;
    },
    decide: async (id, verdict, note) => {
      guard();
      calls.push(`${verdict} ${id} ${note}`);
      const decision = { by: 'operator-1', ...(note ? { note } : {}) };
      if (verdict === 'release') return { ticket: (await testAgent.agent.release(id, decision)) as never };
      const result = verdict === 'approve' ? await testAgent.agent.approve(id, decision) : await testAgent.agent.reject(id, decision);
      return result as never;
    },
    replay: async () => Promise.reject(new ApiError(501, 'replay_not_configured', 'off')),
  };
  return { api, calls };
}

beforeEach(() => {
  tokenStore.set(null);
  location.hash = '';
});
afterEach(cleanup);

describe('the inspector page', () => {
  it('parses its routes from the hash, ids with any characters included', () => {
    expect(parseRoute('')).toEqual({ page: 'queues' });
    expect(parseRoute('#/')).toEqual({ page: 'queues' });
    expect(parseRoute(`#/tickets/${encodeURIComponent('a/b?c#d é')}`)).toEqual({ page: 'ticket', id: 'a/b?c#d é' });
    expect(parseRoute('#/tickets/%E0%A4%A')).toEqual({ page: 'queues' });
  });

  it('asks for a credential when refused, then shows the queues with those waiting for a person first', async () => {
    const testAgent = createTestAgent();
    await converse(testAgent, 'T-done', 'refund 20 eur account A1');
    await converse(testAgent, 'T-wait', 'refund 80 eur account A2');
    const { api } = fakeApi(testAgent);
    render(<App api={api} />);
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Operator token'), { target: { value: 'wrong' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Sign in' }).closest('form')!);
    expect(await screen.findByText(/That credential was refused/)).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Operator token'), { target: { value: 'good-token' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Sign in' }).closest('form')!);
    await screen.findByRole('heading', { name: 'Queues', level: 1 });
    const queues = (await screen.findAllByRole('heading', { level: 2 })).map((heading) => heading.textContent);
    expect(queues[0]).toMatch(/Awaiting approval.*waits for a person/);
    expect(queues[1]).toMatch(/Resolved/);
    expect(screen.getByText('Signed in as operator-1')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'T-wait' }).getAttribute('href')).toBe('#/tickets/T-wait');
  });

  it('pages a queue with "Show more" until the last ticket, oldest first', async () => {
    const testAgent = createTestAgent();
    for (let index = 0; index < 25; index += 1) await converse(testAgent, `T-${String(index).padStart(2, '0')}`, `refund ${index + 1} eur account A${index}`);
    tokenStore.set('good-token');
    const { api, calls } = fakeApi(testAgent);
    render(<App api={api} />);
    const section = (await screen.findByRole('heading', { name: /Resolved/ })).closest('section')!;
    expect(within(section).getAllByRole('row')).toHaveLength(21);
    fireEvent.click(within(section).getByRole('button', { name: 'Show more resolved' }));
    await waitFor(() => expect(within(section).getAllByRole('row')).toHaveLength(26));
    expect(within(section).queryByRole('button', { name: 'Show more resolved' })).toBeNull();
    expect(
      within(section)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(Array.from({ length: 25 }, (_, index) => `T-${String(index).padStart(2, '0')}`));
    expect(calls).toEqual(['tickets resolved cursor']);
  });

  it('approves a pending credit as an operator and shows the new status', async () => {
    const testAgent = createTestAgent();
    await converse(testAgent, 'T-credit', 'refund 80 eur account A1');
    tokenStore.set('good-token');
    location.hash = '#/tickets/T-credit';
    const { api, calls } = fakeApi(testAgent);
    render(<App api={api} />);
    await screen.findByRole('heading', { name: 'Waiting for your approval' });
    expect(screen.getByText(/Awaiting approval/, { selector: '.summary .badge' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText(/Note/), { target: { value: 'loyal customer' } });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect((await screen.findByText(/Approved\. Status: resolved/)).closest('[role=status]')).toBeTruthy();
    await waitFor(() => expect(document.querySelector('.summary .badge')!.textContent).toContain('Resolved'));
    expect(calls).toEqual(['approve T-credit loyal customer']);
    expect(document.querySelector('.group-operator h3')!.textContent).toMatch(/^Approved by operator-1/);
  });

  it('releases a needs_human ticket, and shows a refused decision with its reason', async () => {
    const testAgent = createTestAgent();
    testAgent.faults.notify = true;
    testAgent.faults.undoCredit = true;
    await converse(testAgent, 'T-human', 'refund 30 eur account A1');
    tokenStore.set('good-token');
    location.hash = '#/tickets/T-human';
    const { api } = fakeApi(testAgent);
    api.decide = async () => {
      throw new ApiError(409, 'ticket_state', 'ticket "T-human" does not need a human (status collecting)');
    };
    render(<App api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Release to the agent' }));
    expect((await screen.findByText(/does not need a human/)).textContent).toContain('409 ticket_state');
  });

  it('shows no decision buttons to a read-only viewer, and says why', async () => {
    const testAgent = createTestAgent();
    await converse(testAgent, 'T-credit', 'refund 80 eur account A1');
    tokenStore.set('good-token');
    location.hash = '#/tickets/T-credit';
    render(<App api={fakeApi(testAgent, { canDecide: false }).api} />);
    expect(await screen.findByText(/Your access is read-only/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByText('Read-only access')).toBeTruthy();
  });

  it('opens a ticket by id from the queues and says when there is none', async () => {
    const testAgent = createTestAgent();
    tokenStore.set('good-token');
    render(<App api={fakeApi(testAgent).api} />);
    fireEvent.input(await screen.findByLabelText('Open a ticket by id'), { target: { value: 'T-nobody' } });
    fireEvent.submit(screen.getByRole('button', { name: 'Open' }).closest('form')!);
    expect(await screen.findByText('✗ There is no ticket with this id.')).toBeTruthy();
    expect(document.activeElement?.tagName).toBe('H1');
  });
});
