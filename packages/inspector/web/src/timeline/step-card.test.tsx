import { cleanup, fireEvent, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { STEP_SAMPLES, storedEvents } from './event-samples.test-helpers.js';
import { TimelineView } from './timeline-view.js';

afterEach(cleanup);

describe('tool steps and their undo', () => {
  it('E3 shows each step with its input, output, attempts, duration and outcome, and the undo next to it', () => {
    const { getByRole, getByLabelText } = render(<TimelineView events={STEP_SAMPLES} />);
    const plan = getByRole('article', { name: 'Tool step #0 change_plan' });
    for (const expected of ['completed', 'undone (compensated)', '{"plan":"unlimited"}', '{"previous":"basic"}', '840 ms', 'T:2:0'])
      expect(plan.textContent).toContain(expected);
    expect(plan.querySelector('dt + dd')).toBeTruthy();
    const sms = getByRole('article', { name: 'Tool step #1 send_notification' });
    for (const expected of [
      'failed',
      'Error: SMS gateway down',
      'retry 2',
      'Error: 503 from the SMS gateway',
      '2.4 s',
      'not undone: the tool has no compensation',
    ])
      expect(sms.textContent).toContain(expected);
    expect(sms.querySelector('.masked')!.textContent).toContain('****1234');
    const undo = getByLabelText('Compensation');
    expect([...undo.querySelectorAll('li')].map((line) => line.textContent)).toEqual([
      '– Step #1 send_notification: not undone: the tool has no compensation',
      '↺ Step #0 change_plan: undone (compensated)',
    ]);
  });

  it('shows a failed compensation in words, not only in colour', () => {
    const events = storedEvents([
      ['step.started', { step: 0, tool: 'issue_credit', key: 'K0', input: { amount: 30 } }],
      ['step.completed', { step: 0, tool: 'issue_credit', key: 'K0', attempts: 1, output: { creditId: 'C-1' } }],
      ['compensation.failed', { step: 0, tool: 'issue_credit', key: 'K0', attempts: 3, error: 'billing refused the reversal' }],
      ['execution.failed', { workflow: 'credit', reason: 'failed', error: 'boom', compensated: false, steps: 1 }],
    ]);
    const { getByRole, getByLabelText, container } = render(<TimelineView events={events} />);
    expect(getByRole('article', { name: 'Tool step #0 issue_credit' }).textContent).toContain(
      'compensation FAILED, 3 attempt(s) — billing refused the reversal',
    );
    expect(getByLabelText('Compensation').textContent).toContain('⚠ Step #0 issue_credit: compensation FAILED — billing refused the reversal');
    expect(container.querySelector('[data-type="execution.failed"]')!.textContent).toContain('Execution failed — compensation incomplete');
  });

  it('shows a step waiting for approval, then who approved it, and links the later run back to its card', () => {
    const events = storedEvents([
      ['message.received', { turn: 1, text: 'refund 80' }],
      ['approval.requested', { workflow: 'credit', step: 0, tool: 'issue_credit', key: 'K1', input: { amount: 80 } }],
      ['turn.completed', { turn: 1, action: { type: 'execute', workflow: 'credit', outcome: 'awaiting_approval' }, reply: 'A person will approve it.' }],
      ['approval.granted', { workflow: 'credit', step: 0, tool: 'issue_credit', key: 'K1', by: 'supervisor-1', note: 'fine' }],
      ['step.started', { step: 0, tool: 'issue_credit', key: 'K1', input: { amount: 80 } }],
      ['step.completed', { step: 0, tool: 'issue_credit', key: 'K1', attempts: 1, output: { creditId: 'C-9' } }],
      ['execution.completed', { workflow: 'credit', outcome: 'resolved', steps: 1 }],
    ]);
    const { getByRole, getAllByRole, container } = render(<TimelineView events={events} />);
    const headings = getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual([expect.stringMatching(/^Turn 1 /), expect.stringMatching(/^Approved by supervisor-1 /)]);
    const card = getByRole('article', { name: 'Tool step #0 issue_credit' });
    expect(card.textContent).toContain('✓ approved by supervisor-1 — “fine”');
    expect(card.textContent).toContain('{"creditId":"C-9"}');
    const reference = container.querySelector('.step-ref')!;
    expect(reference.textContent).toContain('details in Turn 1');
    const link = reference.querySelector('a')!;
    fireEvent.click(link);
    expect(document.activeElement).toBe(card);
  });
});
