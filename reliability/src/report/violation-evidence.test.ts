import { describe, expect, it } from 'vitest';
import { checkHistory } from '../checker/check-history.js';
import { validHistory } from '../checker/history-fixture.js';
import { collectEvidence, formatEvidence } from './violation-evidence.js';

describe('the evidence a report keeps of a violation', () => {
  it('is empty for a clean run', () => {
    const history = validHistory();
    const { violations } = checkHistory(history);
    expect(collectEvidence({ violations, tickets: history.tickets, effects: history.effects, calls: history.calls, stops: [] })).toEqual([]);
  });

  it("keeps the violating ticket's whole event log and its backend calls", () => {
    const history = validHistory();
    history.tickets[0]!.events[5]!.type = 'execution.failed';
    const { violations } = checkHistory(history);
    const stops = [{ instance: 'w-1', from: 10, to: 20 }];
    const [evidence, ...others] = collectEvidence({ violations, tickets: history.tickets, effects: history.effects, calls: history.calls, stops });
    expect(others).toEqual([]);
    expect(evidence!.ticketId).toBe('T');
    expect(evidence!.violations.map((violation) => violation.rule)).toEqual(['effects-accounted']);
    expect(evidence!.events).toHaveLength(history.tickets[0]!.events.length);
    expect(evidence!.events[5]).toMatch(/^6 \S+ execution\.failed \{"workflow":"plan_change"/);
    expect(evidence!.effects.map((effect) => effect.key)).toEqual(['T:1:0']);
    expect(evidence!.calls).toHaveLength(history.calls.filter((call) => call.key.startsWith('T:')).length);
    expect(evidence!.stops).toEqual(stops);
    const text = formatEvidence([evidence!]);
    expect(text).toContain('violated effects-accounted');
    expect(text).toContain('execution.failed');
  });

  it('cuts long event data and keeps at most three tickets', () => {
    const history = validHistory();
    history.tickets[0]!.events[0]!.data = { text: 'x'.repeat(1000) };
    const violations = ['A', 'B', 'C', 'D'].map((ticketId) => ({ rule: 'settled' as const, ticketId, detail: 'left executing' }));
    const evidence = collectEvidence({
      violations: [...violations, { rule: 'settled', ticketId: 'T', detail: 'x' }],
      tickets: history.tickets,
      effects: [],
      calls: [],
      stops: [],
    });
    expect(evidence.map((ticket) => ticket.ticketId)).toEqual(['A', 'B', 'C']);
    const [cut] = collectEvidence({
      violations: [{ rule: 'settled', ticketId: 'T', detail: 'x' }],
      tickets: history.tickets,
      effects: [],
      calls: [],
      stops: [],
    });
    expect(cut!.events[0]!.length).toBeLessThan(300);
    expect(cut!.events[0]).toMatch(/…$/);
  });
});
