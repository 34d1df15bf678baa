import { describe, expect, it } from 'vitest';
import { converse } from '../../../test/support/test-app.js';
import { createTestAgent } from '../../../test/support/test-agent.js';
import type { StoredEvent } from '../api/types.js';
import { buildTimeline, type Timeline } from './build-timeline.js';
import { STEP_SAMPLES, storedEvents } from './event-samples.test-helpers.js';

/** Every event's seq, wherever the timeline put it (an item, a step card, an undo block). */
function placedSeqs(timeline: Timeline, events: readonly StoredEvent[]): number[] {
  const seqs = new Set<number>();
  for (const group of timeline.groups) {
    for (const item of group.items) {
      if (item.kind === 'undo') item.events.forEach((event) => seqs.add(event.seq));
      else seqs.add(item.event.seq);
    }
  }
  // Step events after the first of a step are part of its card.
  for (const event of events) if (typeof event.data?.key === 'string' && timeline.steps.has(event.data.key)) seqs.add(event.seq);
  return [...seqs].sort((a, b) => a - b);
}

describe('building the timeline', () => {
  it("E3 gathers each step's journal: input, output, attempts, retries, duration, outcome and its undo", () => {
    const timeline = buildTimeline(STEP_SAMPLES);
    const plan = timeline.steps.get('T:2:0')!;
    expect(plan).toMatchObject({
      index: 0,
      tool: 'change_plan',
      input: { plan: 'unlimited' },
      output: { previous: 'basic' },
      attempts: 1,
      outcome: 'completed',
      startedAt: '2026-01-01T10:00:00.000Z',
      endedAt: '2026-01-01T10:00:00.840Z',
      undo: { outcome: 'compensated', attempts: 1 },
    });
    const sms = timeline.steps.get('T:2:1')!;
    expect(sms).toMatchObject({
      outcome: 'failed',
      attempts: 2,
      error: 'Error: SMS gateway down',
      retries: [{ attempt: 2, error: 'Error: 503 from the SMS gateway' }],
      undo: { outcome: 'not_compensable' },
    });
    const items = timeline.groups[0]!.items;
    expect(items.map((item) => item.kind)).toEqual(['step', 'step', 'undo']);
    const undo = items[2]!;
    expect(undo.kind === 'undo' && undo.events.map((event) => event.data?.tool)).toEqual(['send_notification', 'change_plan']);
  });

  it('O1 places every event of a real ticket somewhere: turns, steps, undo, operator decisions', async () => {
    const testAgent = createTestAgent();
    testAgent.faults.notify = true;
    await converse(testAgent, 'T-1', 'I want my money back', 'refund 30 eur account A1');
    testAgent.faults.notify = false;
    await converse(testAgent, 'T-1', 'refund 80 eur account A1');
    await testAgent.agent.approve('T-1', { by: 'supervisor-1', note: 'ok' });
    const { events } = await testAgent.agent.inspect('T-1');
    const timeline = buildTimeline(events);
    expect(placedSeqs(timeline, events)).toEqual(events.map((event) => event.seq));
    expect(timeline.groups.map((group) => [group.kind, group.turn])).toEqual([
      ['turn', 1],
      ['turn', 2],
      ['turn', 3],
      ['operator', null],
    ]);
    // Turn 2: three steps, the failed notification, then the undo in reverse order.
    const turn2 = timeline.groups[1]!;
    expect(turn2.items.filter((item) => item.kind === 'step').map((item) => item.kind === 'step' && timeline.steps.get(item.key)!.tool)).toEqual([
      'reserve_funds',
      'issue_credit',
      'notify',
    ]);
    const undo = turn2.items.find((item) => item.kind === 'undo');
    expect(undo?.kind === 'undo' && undo.events.map((event) => [event.type, event.data?.tool])).toEqual([
      ['step.not_compensable', 'notify'],
      ['step.compensated', 'issue_credit'],
      ['step.compensated', 'reserve_funds'],
    ]);
    // Turn 3 parks the credit; the operator group runs it and refers back to the card of turn 3.
    const credit = [...timeline.steps.values()].find((step) => step.tool === 'issue_credit' && step.group === 2)!;
    expect(credit).toMatchObject({ outcome: 'completed', approval: { verdict: 'granted', by: 'supervisor-1', note: 'ok' }, output: { creditId: 'C-A1-80' } });
    const operator = timeline.groups[3]!;
    expect(operator.opener?.type).toBe('approval.granted');
    expect(operator.items.some((item) => item.kind === 'step-ref' && item.key === credit.key)).toBe(true);
  });

  it('E3 attaches a compensation made later (a rejection) to the step it undid, and shows it where it happened', async () => {
    const testAgent = createTestAgent();
    await converse(testAgent, 'T-2', 'refund 80 eur account A2');
    await testAgent.agent.reject('T-2', { by: 'supervisor-2', note: 'not eligible' });
    const timeline = buildTimeline((await testAgent.agent.inspect('T-2')).events);
    const reserve = [...timeline.steps.values()].find((step) => step.tool === 'reserve_funds')!;
    expect(reserve.group).toBe(0);
    expect(reserve.undo).toMatchObject({ outcome: 'compensated', group: 1 });
    expect(timeline.steps.get([...timeline.steps.keys()].find((key) => timeline.steps.get(key)!.tool === 'issue_credit')!)!.approval).toMatchObject({
      verdict: 'rejected',
      by: 'supervisor-2',
    });
    expect(timeline.groups[1]!.items.some((item) => item.kind === 'undo')).toBe(true);
  });

  it('opens a group for a recovery and for the sweeper, and keeps events before any message', () => {
    const timeline = buildTimeline(
      storedEvents([
        ['status.changed', { from: 'open', to: 'collecting' }],
        ['message.received', { turn: 1, text: 'hi' }],
        ['execution.recovery_started', { workflow: 'w', previousOwner: 'worker-1', turn: 1, steps: 1 }],
        ['execution.recovered', { workflow: 'w', compensated: true }],
        ['approval.expired', { workflow: 'w' }],
      ]),
    );
    expect(timeline.groups.map((group) => group.kind)).toEqual(['system', 'turn', 'recovery', 'system']);
    expect(timeline.groups[2]!.items).toHaveLength(2);
  });

  it('orders events by seq whatever order they come in', () => {
    const events = storedEvents([
      ['message.received', { turn: 1, text: 'a' }],
      ['turn.completed', { turn: 1, reply: 'b' }],
    ]);
    const timeline = buildTimeline([events[1]!, events[0]!]);
    expect(timeline.groups[0]!.items.map((item) => item.kind === 'event' && item.event.type)).toEqual(['message.received', 'turn.completed']);
  });
});
