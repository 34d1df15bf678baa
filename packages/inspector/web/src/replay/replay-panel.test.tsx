import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import type { ReplayReport, Session } from '../api/types.js';
import { ReplayPanel } from './replay-panel.js';

afterEach(cleanup);

const session: Session = { by: 'op', canDecide: true, title: 't', replay: 'available', statuses: [], attention: [] };

const report: ReplayReport = {
  turns: [
    { turn: 1, message: 'refund 80 eur', recorded: { action: { type: 'ask', slot: 'account' }, reply: 'Which account?' }, replayed: { action: { type: 'ask', slot: 'account' }, reply: 'Which account?' }, same: true },
    {
      turn: 2,
      message: 'account A1',
      recorded: { action: { type: 'execute', workflow: 'credit', outcome: 'resolved' }, toolCalls: [{ tool: 'issue_credit' }] },
      replayed: { action: { type: 'execute', workflow: 'credit', outcome: 'failed' }, toolCalls: [{ tool: 'issue_credit' }, { tool: 'notify' }] },
      same: false,
      divergences: [{ kind: 'unrecorded_tool_call', tool: 'notify' }],
    },
  ],
  diverged: true,
};

describe('the replay', () => {
  it('marks divergent turns and the differing values in words, and shows the divergences', async () => {
    render(<ReplayPanel session={session} replay={async () => ({ report })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByRole('status')).textContent).toContain('≠ 1 of 2 turn(s) diverge from the recording.');
    const turns = document.querySelectorAll('.replay-turn');
    expect(turns[0]!.textContent).toContain('✓ same');
    expect(turns[1]!.className).toContain('diverged');
    expect(turns[1]!.textContent).toContain('≠ DIVERGED');
    const differing = [...turns[1]!.querySelectorAll('.differs dt')].map((term) => term.textContent);
    expect(differing).toEqual(['≠ action', '≠ toolCalls']);
    expect(turns[1]!.textContent).toContain('recorded: run credit → resolved');
    expect(turns[1]!.textContent).toContain('replayed: run credit → failed');
    expect(turns[1]!.textContent).toContain('unrecorded_tool_call');
    expect(turns[0]!.querySelectorAll('.differs')).toHaveLength(0);
  });

  it('says when every turn replays the same', async () => {
    render(<ReplayPanel session={session} replay={async () => ({ report: { turns: [report.turns[0]!], diverged: false } })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByText(/All 1 turn\(s\) replay the same/)).textContent).toContain('✓');
  });

  it('shows why a replay failed, and why it is unavailable', async () => {
    render(<ReplayPanel session={session} replay={async () => Promise.reject(new ApiError(501, 'replay_not_supported', 'The installed core has no replayTicket.'))} />);
    fireEvent.click(screen.getByRole('button', { name: 'Replay this ticket' }));
    expect((await screen.findByText(/no replayTicket/)).textContent).toContain('501 replay_not_supported');
    cleanup();
    render(<ReplayPanel session={{ ...session, replay: 'not_configured' }} replay={async () => ({ report })} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText(/Replay is off/)).toBeTruthy();
  });
});
