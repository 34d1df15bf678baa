import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import { validHistory } from './history-fixture.js';

/** The valid history with keys that carry a life (`T:<life>:1:0`), as the engine writes them. */
function historyWithLives() {
  const history = validHistory();
  const rekey = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('"T:1:0"', '"T:aaaaaaaa:1:0"')) as T;
  const tickets = rekey(history.tickets).map((ticket) => ({
    ...ticket,
    document: { ...(ticket.document as object), incarnation: 'aaaaaaaa-0000-4000-8000-000000000000' },
  }));
  return { ...history, tickets, effects: rekey(history.effects), calls: rekey(history.calls) };
}

describe('effects-accounted and the lives of a ticket id', () => {
  const late = '2025-01-01T10:00:05.000Z';
  const erased = { ticketId: 'T', cause: 'erase' as const, startedAt: Date.parse('2025-01-01T09:59:00.000Z'), endedAt: Date.parse('2025-01-01T09:59:01.000Z') };
  const straggler = { operation: 'change_plan', key: 'T:bbbbbbbb:5:0', input: {}, output: {}, at: late, appliedBy: 'w2.1', applications: 1 };

  it('P3 E5 an effect of an erased life that lands after the erasure is counted as that life’s, by the life in its key', () => {
    const history = historyWithLives();
    const report = checkHistory({ ...history, effects: [...history.effects, straggler], lifeEnds: [erased] });
    expect(report.violations).toEqual([]);
    expect(report.stats.erasedLifeEffects).toBe(1);
    // Without a stored document, the lives of the keys journaled in the log tell it.
    const withoutDocument = { ...history, tickets: history.tickets.map((ticket) => ({ ...ticket, document: null })) };
    expect(
      checkHistory({ ...withoutDocument, effects: [...history.effects, straggler], lifeEnds: [erased] }).violations.filter(
        (violation) => violation.rule === 'effects-accounted',
      ),
    ).toEqual([]);
  });

  it('E1 the same effect on a ticket that lost no life, or under the current life, is unaccounted', () => {
    const history = historyWithLives();
    expect(checkHistory({ ...history, effects: [...history.effects, straggler] }).violations.map((violation) => violation.rule)).toEqual(['effects-accounted']);
    const sameLife = { ...straggler, key: 'T:aaaaaaaa:5:0' };
    expect(checkHistory({ ...history, effects: [...history.effects, sameLife], lifeEnds: [erased] }).violations.map((violation) => violation.rule)).toEqual([
      'effects-accounted',
    ]);
  });
});
