import { describe, expect, it } from 'vitest';
import { checkHistory } from './check-history.js';
import { validHistory } from './history-fixture.js';
import { type KnownBug, KNOWN_BUGS, knownBugClassifier } from './known-bugs.js';

const none = { endedLives: new Set<string>(), resent: new Set<string>() };

/** A narrow matcher like the ones the suite used while an engine bug was open. */
const KEYS_ACROSS_LIVES: KnownBug = {
  id: 'keys-across-lives',
  summary: 'a key run twice on a ticket whose life ended',
  regression: 'src/regressions/keys-across-lives.test.ts',
  matches: (violation, context) =>
    violation.rule === 'keys-once' &&
    (context.endedLives === 'all' || context.endedLives.has(violation.ticketId)) &&
    /was run by \d+ worker instances/.test(violation.detail),
};

describe('known engine bugs', () => {
  it('none is open: every bug the suite found is fixed, and its regression test is a plain test', () => {
    expect(KNOWN_BUGS).toEqual([]);
    expect(
      knownBugClassifier({ ...none, endedLives: 'all' })({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was run by 2 worker instances (a, b)' }),
    ).toBeNull();
  });

  it('a matcher explains only its circumstance, and nothing under strict', () => {
    const classify = knownBugClassifier({ ...none, endedLives: new Set(['T']) }, false, [KEYS_ACROSS_LIVES]);
    expect(classify({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was run by 2 worker instances (a, b)' })).toBe('keys-across-lives');
    expect(classify({ rule: 'keys-once', ticketId: 'U', detail: 'key U:1:0 was run by 2 worker instances (a, b)' })).toBeNull();
    expect(classify({ rule: 'keys-once', ticketId: 'T', detail: 'key T:1:0 was journaled as started 2 times' })).toBeNull();
    expect(
      knownBugClassifier({ ...none, endedLives: 'all' }, true, [KEYS_ACROSS_LIVES])({
        rule: 'keys-once',
        ticketId: 'T',
        detail: 'key T:1:0 was run by 2 worker instances (a, b)',
      }),
    ).toBeNull();
  });

  it('reports explained violations apart: the figures count only the others', () => {
    const history = validHistory();
    history.effects[0]!.applications = 2;
    const strict = checkHistory(history);
    expect(strict.counts.duplicated).toBe(1);
    const explained = checkHistory({ ...history, knownBug: () => 'some-bug' });
    expect(explained.ok).toBe(true);
    expect(explained.counts.duplicated).toBe(0);
    expect(explained.knownBugs).toEqual({ 'some-bug': 1 });
    expect(explained.knownViolations).toHaveLength(1);
  });
});
