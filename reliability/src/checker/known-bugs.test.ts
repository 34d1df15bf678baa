import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import { validHistory } from './history-fixture.js';
import { claimOnlyTickets, KNOWN_BUGS, knownBugClassifier } from './known-bugs.js';

const none = { endedLives: new Set<string>(), resent: new Set<string>() };

describe('known engine bugs: narrow matchers', () => {
  it('explains a key of an erased life journaled again, and a key run twice only on a ticket whose life ended', () => {
    const classify = knownBugClassifier({ ...none, endedLives: new Set(['T']) });
    expect(classify({ rule: 'keys-once', ticketId: 'T', detail: 'change_plan T:1:0 took effect in an erased life (…) and the current life journaled the same key again' })).toBe('keys-across-lives');
    expect(classify({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was run by 2 worker instances (a, b)' })).toBe('keys-across-lives');
    expect(knownBugClassifier(none)({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was run by 2 worker instances (a, b)' })).toBeNull();
    expect(classify({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was journaled as started 2 times' })).toBeNull();
  });

  it('explains a takeover without watching (observed null) only, and no duplicate message (T7 is fixed)', () => {
    const classify = knownBugClassifier({ ...none, resent: new Set(['T\u0000m1']) });
    expect(classify({ rule: 'claims-respected', ticketId: 'T', detail: 'seq 9: … (observed null ms)' })).toBe('skew-spread');
    expect(classify({ rule: 'claims-respected', ticketId: 'T', detail: 'seq 9: … (observed 2100 ms)' })).toBeNull();
    expect(classify({ rule: 'acknowledged-once', ticketId: 'T', detail: 'message m1 completed 2 turns', unit: 'T\u0000m1' })).toBeNull();
  });

  it('explains nothing under strict, and every known bug names its regression test', () => {
    expect(knownBugClassifier({ ...none, endedLives: 'all' }, true)({ rule: 'keys-once', ticketId: 'T', detail: 'x took effect in an erased life' })).toBeNull();
    for (const bug of KNOWN_BUGS) expect(bug.regression).toMatch(/\.test\.ts$/);
  });

  it('reports explained violations apart: the figures count only the others', () => {
    const history = validHistory();
    history.effects[0]!.applications = 2;
    const strict = checkHistory(history);
    expect(strict.counts.duplicated).toBe(1);
    const explained = checkHistory({ ...history, knownBug: knownBugClassifier({ ...none, endedLives: 'all' }) });
    expect(explained.ok).toBe(true);
    expect(explained.counts.duplicated).toBe(0);
    expect(explained.knownBugs).toEqual({ 'keys-across-lives': 1 });
    expect(explained.knownViolations).toHaveLength(1);
  });
});

describe('known engine bugs: the stale document schema', () => {
  it('explains only the second-wave values the schema does not know', () => {
    const classify = knownBugClassifier(none);
    const detail = (issues: string) => `the document fails ticketDocSchema: ${issues}`;
    expect(classify({ rule: 'schema-valid', ticketId: 'T', detail: detail('status = "awaiting_input": Invalid option: expected one of …; outcomes.port_in.outcome = "abandoned": Invalid option: …') })).toBe('stale-ticket-doc-schema');
    expect(classify({ rule: 'schema-valid', ticketId: 'T', detail: detail('status = "on_fire": Invalid option: expected one of …') })).toBeNull();
    expect(classify({ rule: 'schema-valid', ticketId: 'T', detail: detail('status = "awaiting_input": Invalid option: …; turn = -1: Too small') })).toBeNull();
  });
});

describe('known engine bugs: a claim left on a finished ticket', () => {
  it('explains a claim-only execution (no turn) on a settled ticket, not a real one left behind', () => {
    const classify = knownBugClassifier(none);
    expect(classify({ rule: 'settled', ticketId: 'T', detail: 'the ticket still holds a claim (execution of turn undefined, lease 1796608611067, status resolved)' })).toBe('heartbeat-after-finish');
    expect(classify({ rule: 'settled', ticketId: 'T', detail: 'the ticket still holds a claim (execution of turn 3, lease 1796608611067, status executing)' })).toBeNull();
  });
});

describe('known engine bugs: the claim-only execution recovered', () => {
  it('explains its recoveries and the undone steps of the finished run, on that ticket only', () => {
    const classify = knownBugClassifier({ ...none, claimOnly: new Set(['T']) });
    expect(classify({ rule: 'sequence-agrees', ticketId: 'T', detail: 'seq 40 execution.recovery_started: outside a running execution (none open; it names turn undefined)' })).toBe('heartbeat-after-finish');
    expect(classify({ rule: 'sequence-agrees', ticketId: 'T', detail: 'seq 40 execution.recovery_started: outside a running execution (none open; it names turn 3)' })).toBeNull();
    expect(classify({ rule: 'effects-accounted', ticketId: 'T', detail: 'change_plan T:3:0 was undone although its execution (turn 3) completed' })).toBe('heartbeat-after-finish');
    expect(classify({ rule: 'effects-accounted', ticketId: 'U', detail: 'change_plan U:3:0 was undone although its execution (turn 3) completed' })).toBeNull();
  });

  it('finds the tickets: an execution stored without a turn, or the recovery of one', () => {
    const base = { ticketId: 'T', events: [] as { type: string; data?: Record<string, unknown> }[] };
    expect([...claimOnlyTickets([{ ...base, document: { execution: { steps: [], leaseExpiresAt: 1 } } }])]).toEqual(['T']);
    expect([...claimOnlyTickets([{ ...base, document: { execution: null }, events: [{ type: 'execution.recovery_started', data: { previousOwner: 'w1' } }] }])]).toEqual(['T']);
    expect([...claimOnlyTickets([{ ...base, document: { execution: { turn: 2 } } }])]).toEqual([]);
  });
});

describe('known engine bugs: the claim-only execution and the schema', () => {
  it('explains its missing fields on that ticket only', () => {
    const detail = 'the document fails ticketDocSchema: execution.id = undefined: Invalid input: expected string, received undefined; execution.turn = undefined: Invalid input: expected number, received undefined';
    expect(knownBugClassifier({ ...none, claimOnly: new Set(['T']) })({ rule: 'schema-valid', ticketId: 'T', detail })).toBe('heartbeat-after-finish');
    expect(knownBugClassifier(none)({ rule: 'schema-valid', ticketId: 'T', detail })).toBeNull();
  });
});
