import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import type { ReplayReport, Session } from '../api/types.js';
import { ReplayPanel } from './replay-panel.js';

afterEach(cleanup);

const session: Session = { by: 'op', canDecide: true, title: 't', replay: 'available', statuses: [], attention: [] };

// The shape replayTicket returns (@ticketflow/core, DESIGN §3).
const report: ReplayReport = {
  ticketId: 'T-1',
  turns: [
    {
      turn: 1,
      operation: 'message',
      message: 'refund 80 eur',
      recorded: { action: { type: 'ask', slot: 'account' }, reply: 'Which account?', toolCalls: [] },
      replayed: { action: { type: 'ask', slot: 'account' }, reply: 'Which account?', toolCalls: [], slots: { amount: 80 } },
      same: true,
      divergences: [],
    },
    {
      turn: 2,
      operation: 'message',
      message: 'account A1',
      recorded: {
        action: { type: 'execute', workflow: 'credit', outcome: 'resolved' },
        reply: 'Done.',
        toolCalls: [{ tool: 'issue_credit', input: { amount: 80 } }],
      },
      replayed: {
        action: { type: 'execute', workflow: 'credit', outcome: 'failed' },
        reply: 'Done.',
        toolCalls: [
          { tool: 'issue_credit', input: { amount: 80 } },
          { tool: 'notify', input: { account: 'A1' } },
        ],
        slots: { amount: 80, account: 'A1' },
      },
      same: false,
      divergences: [
        {
          kind: 'action',
          recorded: { type: 'execute', workflow: 'credit', outcome: 'resolved' },
          replayed: { type: 'execute', workflow: 'credit', outcome: 'failed' },
        },
        {
          kind: 'tool_calls',
          recorded: [{ tool: 'issue_credit', input: { amount: 80 } }],
          replayed: [
            { tool: 'issue_credit', input: { amount: 80 } },
            { tool: 'notify', input: { account: 'A1' } },
          ],
        },
        { kind: 'unrecorded_tool_call', tool: 'notify', input: { account: 'A1' } },
      ],
    },
    {
      turn: 2,
      operation: 'approve',
      message: null,
      recorded: { action: null, reply: null, toolCalls: [] },
      replayed: { action: null, reply: null, toolCalls: [], slots: {} },
      same: false,
      divergences: [{ kind: 'error', message: 'ticket "T-1" is not awaiting approval (status open)' }],
    },
  ],
  diverged: true,
};

describe('the replay', () => {
  it('marks divergent turns and the differing values in words, and shows the divergences', async () => {
    render(<ReplayPanel session={session} replay={async () => ({ report })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByRole('status')).textContent).toContain('≠ 2 of 3 turn(s) diverge from the recording.');
    const turns = document.querySelectorAll('.replay-turn');
    expect(turns[0]!.textContent).toContain('✓ same');
    expect(turns[0]!.querySelectorAll('.differs')).toHaveLength(0); // the replayed-only slots are no divergence
    expect(turns[0]!.textContent).toContain('replayed only');
    expect(turns[1]!.className).toContain('diverged');
    expect(turns[1]!.textContent).toContain('≠ DIVERGED');
    expect([...turns[1]!.querySelectorAll('.differs dt')].map((term) => term.textContent)).toEqual(['≠ action', '≠ toolCalls']);
    expect(turns[1]!.textContent).toContain('recorded: run credit → resolved');
    expect(turns[1]!.textContent).toContain('replayed: run credit → failed');
    const divergences = [...screen.getByRole('list', { name: 'Divergences of turn 2 (customer message)' }).querySelectorAll('li')].map(
      (line) => line.textContent,
    );
    expect(divergences).toEqual([
      '≠ action: recorded run credit → resolved, replayed run credit → failed',
      '≠ tool calls: recorded issue_credit({"amount":80}), replayed issue_credit({"amount":80}), notify({"account":"A1"})',
      '⚠ unrecorded tool call: notify with {"account":"A1"} — the recording has no output for it, so it was not executed',
    ]);
    expect(turns[2]!.textContent).toContain('approval');
    expect(turns[2]!.textContent).toContain('✗ error while replaying: ticket "T-1" is not awaiting approval');
    expect(turns[2]!.querySelector('blockquote')).toBeNull();
  });

  it('says when every turn replays the same', async () => {
    render(<ReplayPanel session={session} replay={async () => ({ report: { ticketId: 'T-1', turns: [report.turns[0]!], diverged: false } })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByText(/All 1 turn\(s\) replay the same/)).textContent).toContain('✓');
  });

  it('shows why a replay failed, and why it is unavailable', async () => {
    render(
      <ReplayPanel
        session={session}
        replay={async () => Promise.reject(new ApiError(503, 'store_unavailable', 'The ticket store does not answer; retry shortly.'))}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByText(/does not answer/)).textContent).toContain('503 store_unavailable');
    cleanup();
    render(<ReplayPanel session={{ ...session, replay: 'not_configured' }} replay={async () => ({ report })} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText(/Replay is off/)).toBeTruthy();
  });
});
