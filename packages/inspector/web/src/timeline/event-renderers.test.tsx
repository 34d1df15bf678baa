import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_RENDERERS } from './event-renderers.js';
import { EVENT_SAMPLES, storedEvents } from './event-samples.test-helpers.js';
import { STEP_RUN_EVENTS, UNDO_EVENTS } from './build-timeline.js';
import { EventLine, TimelineView } from './timeline-view.js';

afterEach(cleanup);

/** Every event type the core writes (its TicketEventMap), the procedure and sweeper events included. */
const CORE_EVENT_TYPES = [
  'message.received',
  'llm.called',
  'llm.failed',
  'llm.skipped',
  'turn.degraded',
  'decision.made',
  'slot.set',
  'slot.corrected',
  'slot.inferred',
  'slot.reverted',
  'slot.rejected',
  'slot.cleared',
  'entity.ignored',
  'intent.changed',
  'workflow.chosen',
  'slots.deferred',
  'confirmation.requested',
  'confirmation.accepted',
  'confirmation.declined',
  'status.changed',
  'execution.started',
  'execution.completed',
  'execution.failed',
  'execution.recovered',
  'execution.recovery_started',
  'step.started',
  'step.retried',
  'step.completed',
  'step.failed',
  'step.compensated',
  'step.not_compensable',
  'compensation.failed',
  'ticket.rolled_back',
  'approval.requested',
  'approval.granted',
  'approval.rejected',
  'reply.sent',
  'turn.completed',
  'ticket.released',
  'message.duplicated',
  'llm.circuit_opened',
  'llm.circuit_closed',
  'clarification.limited',
  'execution.superseded',
  'execution.suspended',
  'execution.resumed',
  'execution.abandoned',
  'execution.lost',
  'approval.expired',
  'input.requested',
  'input.expired',
];

function renderLine(type: string, data: Record<string, unknown>) {
  const [event] = storedEvents([[type, data]]);
  const { container } = render(
    <ul>
      <EventLine event={event!} />
    </ul>,
  );
  return container;
}

describe('the timeline renders every event type', () => {
  it('O1 has a renderer (or a step card) for every event type the core writes, and a test sample for every renderer', () => {
    const covered = new Set([...Object.keys(EVENT_RENDERERS), ...STEP_RUN_EVENTS, ...UNDO_EVENTS]);
    expect(CORE_EVENT_TYPES.filter((type) => !covered.has(type))).toEqual([]);
    expect(Object.keys(EVENT_RENDERERS).filter((type) => !(type in EVENT_SAMPLES))).toEqual([]);
  });

  for (const [type, sample] of Object.entries(EVENT_SAMPLES)) {
    it(`O1 shows ${type}: ${sample.shows.slice(0, 3).join(', ')}…`, async () => {
      const container = renderLine(type, sample.data);
      const text = container.textContent ?? '';
      for (const expected of sample.shows) expect(text, `${type} shows ${expected}`).toContain(expected);
      expect(container.querySelector('li')!.getAttribute('data-type')).toBe(type);
      expect(within(container as HTMLElement).getByText(type)).toBeTruthy(); // the raw type in the record line
      const record = container.querySelector('details.record')!;
      expect(record.querySelector('pre')).toBeNull(); // rendered when opened: long logs stay light
      (record as HTMLDetailsElement).open = true;
      fireEvent(record, new Event('toggle'));
      await waitFor(() => expect(record.querySelector('pre')!.textContent).toBe(JSON.stringify(sample.data, null, 2)));
    });
  }

  it('O1 shows an event type it does not know with its name and every field of its data, so nothing is hidden', () => {
    const container = renderLine('refund.audited', { auditor: 'ops-3', verdict: 'fine', detail: { items: 2 } });
    const text = container.textContent ?? '';
    expect(container.querySelector('.event-label')!.textContent).toBe('refund.audited');
    for (const expected of ['auditor', 'ops-3', 'verdict', 'fine', 'detail', '{"items":2}']) expect(text).toContain(expected);
  });

  it('shows an event of a known type whose data is missing or malformed without breaking the page', () => {
    for (const type of Object.keys(EVENT_RENDERERS)) {
      for (const data of [{}, { slot: 42, from: { x: 1 }, to: null, values: 'oops', entities: [1, 2], usage: 'many', action: 'run' }]) {
        const container = renderLine(type, data);
        expect(container.querySelector('.event-label')!.textContent!.length, type).toBeGreaterThan(0);
        cleanup();
      }
    }
  });

  it('P1 keeps masked values masked: shows the mask and says so, never anything else', () => {
    const container = renderLine('slot.set', { slot: 'card_number', value: '****1234', source: 'user' });
    const masked = container.querySelector('.masked')!;
    expect(masked.textContent).toContain('****1234');
    expect(masked.textContent).toContain('masked');
    expect(container.textContent).not.toMatch(/\d{5,}/);
  });

  it('shows hostile text as text: no element, script or link comes out of recorded data', () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><a href="javascript:alert(1)">x</a>';
    const container = renderLine('message.received', { turn: 1, text: hostile });
    expect(container.querySelector('img, script, a[href^="javascript"]')).toBeNull();
    expect(container.textContent).toContain(hostile);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows a long value shortened, with the whole of it one click away', () => {
    const long = 'x'.repeat(500);
    const container = renderLine('slot.set', { slot: 'notes', value: long, source: 'user' });
    const details = container.querySelector('.json-details')!;
    expect(details.querySelector('summary')!.textContent!.length).toBeLessThan(200);
    expect(details.querySelector('pre')!.textContent).toBe(long);
  });
});

describe('the timeline view', () => {
  it('O1 groups the events into turns with the customer message first and the reply last', () => {
    const events = storedEvents([
      ['message.received', EVENT_SAMPLES['message.received']!.data],
      ['decision.made', EVENT_SAMPLES['decision.made']!.data],
      ['turn.completed', EVENT_SAMPLES['turn.completed']!.data],
      ['message.received', { turn: 2, text: 'Berlin' }],
      ['llm.failed', EVENT_SAMPLES['llm.failed']!.data],
      ['turn.degraded', EVENT_SAMPLES['turn.degraded']!.data],
      ['turn.completed', { turn: 2, action: { type: 'fallback', reason: 'unavailable' }, reply: 'Sorry, try again.' }],
    ]);
    const { getAllByRole } = render(<TimelineView events={events} />);
    const groups = getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(groups[0]).toMatch(/^Turn 1/);
    expect(groups[1]).toMatch(/^Turn 2.*degraded/);
    const turns = document.querySelectorAll('.group');
    expect(turns[1]!.className).toContain('degraded');
    expect(turns[1]!.querySelector('[data-type="message.received"]')!.textContent).toContain('Berlin');
    expect(turns[1]!.querySelector('[data-type="turn.degraded"]')!.textContent).toContain('connect ECONNREFUSED');
  });

  it('shows the latest sections of a long ticket first, the earlier ones on demand', () => {
    const entries: [string, Record<string, unknown>][] = [];
    for (let turn = 1; turn <= 250; turn += 1)
      entries.push(['message.received', { turn, text: `message ${turn}` }], ['turn.completed', { turn, action: { type: 'acknowledge' }, reply: 'ok' }]);
    const { getByRole, container } = render(<TimelineView events={storedEvents(entries)} />);
    const turns = () => [...container.querySelectorAll('.group h3')].map((heading) => heading.textContent!.split(' ').slice(0, 2).join(' '));
    expect(turns()).toHaveLength(40);
    expect(turns()[0]).toBe('Turn 211');
    expect(turns()[39]).toBe('Turn 250');
    fireEvent.click(getByRole('button', { name: 'Show 160 earlier of 210 hidden sections' }));
    expect(turns()).toHaveLength(200);
    fireEvent.click(getByRole('button', { name: 'Show 50 earlier of 50 hidden sections' }));
    expect(turns()[0]).toBe('Turn 1');
    expect(container.querySelector('ol.timeline')!.getAttribute('start')).toBe('1');
  });

  it('shows an empty log as such', () => {
    const { container } = render(<TimelineView events={[]} />);
    expect(container.textContent).toBe('No events recorded.');
  });
});
