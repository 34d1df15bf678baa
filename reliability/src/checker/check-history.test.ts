import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import type { Rule } from './history.js';
import { events, executionRecord, pairs, recoveredHistory, ticketDocument, validHistory } from './history-fixture.js';

const rulesOf = (report: ReturnType<typeof checkHistory>): Rule[] => [...new Set(report.violations.map((violation) => violation.rule))];

describe('checkHistory on valid histories', () => {
  it('accepts a completed execution and a reply', () => {
    const report = checkHistory(validHistory());
    expect(report.violations).toEqual([]);
    expect(report.counts).toEqual({ lost: 0, duplicated: 0, corrupted: 0, uncompensated: 0, unsettled: 0, takenOver: 0 });
    expect(report.stats).toMatchObject({ turns: 2, executions: 1, completed: 1, effects: 1, liveEffects: 1 });
  });

  it('accepts a crash: the execution recovered, its effect undone, the message retried with the same messageId', () => {
    const report = checkHistory(recoveredHistory());
    expect(report.violations).toEqual([]);
    expect(report.stats).toMatchObject({ recovered: 1, retriedMessages: 1, undoneEffects: 1 });
  });
});

describe('acknowledged-once', () => {
  it('counts an acknowledged message missing from the transcript as lost', () => {
    const history = validHistory();
    history.acknowledged = [...history.acknowledged, { ticketId: 'T', messageId: 'm3' }];
    const report = checkHistory(history);
    expect(rulesOf(report)).toEqual(['acknowledged-once']);
    expect(report.counts.lost).toBe(1);
  });

  it('counts a message received twice (not flagged as a retry) as duplicated', () => {
    const history = validHistory();
    const ticket = history.tickets[0]!;
    ticket.events = events(...pairs(ticket.events), ['message.received', { turn: 3, messageId: 'm2' }], ['turn.completed', { turn: 3, messageId: 'm3' }]);
    ticket.version = 4;
    ticket.document = ticketDocument('T', 3);
    const report = checkHistory(history);
    expect(rulesOf(report)).toEqual(['acknowledged-once']);
    expect(report.counts.duplicated).toBe(1);
  });

  it('counts two transcript entries of one messageId as duplicated', () => {
    const history = validHistory();
    const document = history.tickets[0]!.document as ReturnType<typeof ticketDocument>;
    document.transcript.push({ ...document.transcript[2]!, turn: 2 });
    expect(checkHistory(history).counts.duplicated).toBe(1);
  });

  it('refuses a retry of a message that was never received', () => {
    const history = recoveredHistory();
    history.tickets[0]!.events[0]!.data = { turn: 1, messageId: 'other' };
    expect(rulesOf(checkHistory(history))).toContain('acknowledged-once');
  });
});

describe('settled', () => {
  it('refuses a ticket left executing with a claim', () => {
    const history = validHistory();
    const execution = executionRecord('T', 2);
    history.tickets[0]!.document = ticketDocument('T', 2, { status: 'executing', execution });
    const report = checkHistory(history);
    expect(report.counts.unsettled).toBe(1);
    expect(rulesOf(report)).toContain('settled');
  });

  it('accepts an execution parked for an approval (no lease)', () => {
    const history = validHistory();
    const ticket = history.tickets[0]!;
    ticket.events = events(
      ...pairs(ticket.events),
      ['message.received', { turn: 3, messageId: 'm3' }],
      ['execution.started', { turn: 3 }],
      ['approval.requested', { key: 'T:3:0' }],
      ['turn.completed', { turn: 3, messageId: 'm3' }],
    );
    ticket.version = 5;
    const execution = executionRecord('T', 3, {
      workflow: 'billing_credit',
      leaseExpiresAt: null,
      steps: [{ index: 0, tool: 'issue_credit', key: 'T:3:0', input: {}, state: 'awaiting_approval', attempts: 0, startedAt: '2025-01-01T10:00:00.000Z' }],
    });
    ticket.document = ticketDocument('T', 3, { status: 'awaiting_approval', execution });
    expect(checkHistory(history).violations).toEqual([]);
  });
});

describe('effects-accounted', () => {
  it('refuses an effect still in place after its execution failed', () => {
    const history = validHistory();
    history.tickets[0]!.events[5]!.type = 'execution.failed';
    const report = checkHistory(history);
    expect(rulesOf(report)).toEqual(['effects-accounted']);
    expect(report.counts.uncompensated).toBe(1);
  });

  it('refuses an effect whose step was never journaled (no write-ahead)', () => {
    const history = validHistory();
    history.effects.push({ ...history.effects[0]!, key: 'T:1:1' });
    expect(rulesOf(checkHistory(history))).toEqual(['effects-accounted']);
  });

  it('refuses undoing an effect of a completed execution', () => {
    const history = validHistory();
    history.effects[0]!.undoneAt = '2025-01-01T10:00:01.000Z';
    expect(rulesOf(checkHistory(history))).toEqual(['effects-accounted']);
  });

  it('refuses an undone effect whose compensation the ticket does not record', () => {
    const history = recoveredHistory();
    history.tickets[0]!.events[4]!.type = 'compensation.failed';
    expect(rulesOf(checkHistory(history))).toEqual(['effects-accounted']);
  });

  it('accepts an effect that cannot be undone only when the log says so', () => {
    const history = recoveredHistory();
    history.effects[0] = { ...history.effects[0]!, operation: 'reset_modem' };
    delete history.effects[0].undoneAt;
    expect(rulesOf(checkHistory(history))).toEqual(['effects-accounted']);
    history.tickets[0]!.events[4]!.type = 'step.not_compensable';
    expect(checkHistory(history).violations).toEqual([]);
  });
});

describe('keys-once', () => {
  it('refuses a key journaled as started twice', () => {
    const history = validHistory();
    const ticket = history.tickets[0]!;
    ticket.events = events(
      ...pairs(ticket.events),
      ['message.received', { turn: 3, messageId: 'm3' }],
      ['execution.started', { turn: 3 }],
      ['step.started', { key: 'T:1:0' }],
      ['execution.completed', {}],
      ['turn.completed', { turn: 3, messageId: 'm3' }],
    );
    ticket.version = 5;
    ticket.document = ticketDocument('T', 3);
    const report = checkHistory(history);
    expect(rulesOf(report)).toContain('keys-once');
    expect(report.counts.duplicated).toBeGreaterThanOrEqual(1);
  });

  it('refuses a key that took effect twice', () => {
    const history = validHistory();
    history.effects[0]!.applications = 2;
    expect(rulesOf(checkHistory(history))).toEqual(['keys-once']);
  });

  it('refuses a key run by two worker instances', () => {
    const history = validHistory();
    history.calls.push({ ...history.calls[0]!, seq: 2, result: 'replayed', worker: 'w2.1' });
    expect(rulesOf(checkHistory(history))).toEqual(['keys-once']);
  });
});

describe('sequence-agrees', () => {
  it('refuses a gap in the event sequence', () => {
    const history = validHistory();
    history.tickets[0]!.events[4]!.seq = 7;
    expect(rulesOf(checkHistory(history))).toContain('sequence-agrees');
  });

  it('refuses a version below the commits the log proves (events committed without a version)', () => {
    const history = validHistory();
    history.tickets[0]!.version = 2;
    const report = checkHistory(history);
    expect(rulesOf(report)).toEqual(['sequence-agrees']);
    expect(report.counts.corrupted).toBe(1);
  });

  it('refuses a document turn the log does not have, and skipped turns', () => {
    const history = validHistory();
    history.tickets[0]!.document = ticketDocument('T', 3);
    expect(rulesOf(checkHistory(history))).toEqual(['sequence-agrees']);
    const skipped = validHistory();
    skipped.tickets[0]!.events[7]!.data = { turn: 3, messageId: 'm2' };
    expect(rulesOf(checkHistory(skipped))).toContain('sequence-agrees');
  });

  it('T6 refuses a turn inside another turn’s execution', () => {
    const history = validHistory();
    const ticket = history.tickets[0]!;
    const [first, second, third, fourth, ...rest] = pairs(ticket.events);
    ticket.events = events(
      first!,
      second!,
      third!,
      fourth!,
      ['message.received', { turn: 2, messageId: 'm2' }],
      ...rest.filter(([type, data]) => !(type === 'message.received' && data.turn === 2)),
    );
    expect(checkHistory(history).violations.map((violation) => violation.detail)).toContainEqual(expect.stringContaining('T6'));
  });

  it('accepts an approved execution whose result is reply.sent, and refuses a second turn.completed of its turn', () => {
    const history = validHistory();
    const ticket = history.tickets[0]!;
    ticket.events = events(
      ...pairs(ticket.events),
      ['message.received', { turn: 3, messageId: 'm3' }],
      ['execution.started', { turn: 3 }],
      ['approval.requested', { key: 'T:3:0' }],
      ['turn.completed', { turn: 3, messageId: 'm3' }],
      ['approval.granted', { key: 'T:3:0' }],
      ['step.started', { key: 'T:3:0' }],
      ['execution.completed', {}],
      ['reply.sent', { action: { type: 'execute' } }],
    );
    ticket.version = 8;
    ticket.document = ticketDocument('T', 3);
    expect(checkHistory(history).violations).toEqual([]);
    ticket.events[ticket.events.length - 1] = { ...ticket.events[ticket.events.length - 1]!, type: 'turn.completed', data: { turn: 3, messageId: null } };
    expect(rulesOf(checkHistory(history))).toEqual(['sequence-agrees']);
  });

  it('refuses an execution that never ended and that the document does not hold', () => {
    const history = validHistory();
    history.tickets[0]!.events.splice(5, 1);
    history.tickets[0]!.events.forEach((event, index) => (event.seq = index + 1));
    expect(rulesOf(checkHistory(history))).toContain('sequence-agrees');
  });
});

describe('schema-valid', () => {
  it('refuses a document that fails ticketDocSchema', () => {
    const history = validHistory();
    (history.tickets[0]!.document as Record<string, unknown>).status = 'on_fire';
    const report = checkHistory(history);
    expect(rulesOf(report)).toEqual(['schema-valid']);
    expect(report.counts.corrupted).toBe(1);
  });

  it('refuses a ticket that does not load, or that vanished with acknowledged messages', () => {
    const broken = validHistory();
    broken.tickets[0] = { ticketId: 'T', document: null, version: null, loadError: 'corrupt JSON', events: [] };
    expect(rulesOf(checkHistory(broken))).toContain('schema-valid');
    const vanished = validHistory();
    vanished.tickets[0] = { ticketId: 'T', document: null, version: null, events: [] };
    const report = checkHistory(vanished);
    expect(rulesOf(report)).toContain('schema-valid');
    expect(report.counts.lost).toBe(2);
  });
});
