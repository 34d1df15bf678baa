import { describe, expect, it } from 'vitest';
import { LifecycleError, ticketLifecycle, transitionStatus } from './ticket-lifecycle.js';

describe('ticket lifecycle', () => {
  it('moves a conversation from open to collecting to executing to resolved', () => {
    expect(transitionStatus('open', { type: 'ask' })).toBe('collecting');
    expect(transitionStatus('collecting', { type: 'start_execution' })).toBe('executing');
    expect(transitionStatus('executing', { type: 'complete', outcome: 'resolved' })).toBe('resolved');
    expect(transitionStatus('resolved', { type: 'ask' })).toBe('collecting');
  });

  it('rolls an execution back to the status of its checkpoint', () => {
    expect(transitionStatus('executing', { type: 'roll_back', to: 'awaiting_confirmation' })).toBe('awaiting_confirmation');
    expect(transitionStatus('executing', { type: 'roll_back', to: 'resolved' })).toBe('resolved');
  });

  it('pauses for approval and resumes only through a claim', () => {
    expect(transitionStatus('executing', { type: 'await_approval' })).toBe('awaiting_approval');
    expect(transitionStatus('awaiting_approval', { type: 'claim' })).toBe('executing');
    expect(() => transitionStatus('awaiting_approval', { type: 'start_execution' })).toThrow(LifecycleError);
  });

  it('refuses impossible transitions', () => {
    expect(() => transitionStatus('resolved', { type: 'await_approval' })).toThrow(LifecycleError);
    expect(() => transitionStatus('collecting', { type: 'complete', outcome: 'resolved' })).toThrow(LifecycleError);
    expect(() => transitionStatus('executing', { type: 'roll_back', to: 'executing' })).toThrow(LifecycleError);
    expect(() => transitionStatus('needs_human', { type: 'start_execution' })).toThrow(LifecycleError);
  });

  it('sends a failed compensation to needs_human, which only a release leaves', () => {
    expect(transitionStatus('executing', { type: 'compensation_failed' })).toBe('needs_human');
    expect(() => transitionStatus('needs_human', { type: 'ask' })).toThrow(LifecycleError);
    expect(transitionStatus('needs_human', { type: 'release' })).toBe('collecting');
  });
});

describe('ticketLifecycle (the public view)', () => {
  it('lists every allowed change, each one the machine accepts, and nothing it refuses', () => {
    const { transitions } = ticketLifecycle;
    expect(transitions).toContainEqual({ from: 'executing', event: { type: 'await_approval' }, to: 'awaiting_approval' });
    expect(transitions).toContainEqual({ from: 'closed', event: { type: 'reopen' }, to: 'open' });
    expect(transitions.some((t) => t.from === 'needs_human' && t.event.type === 'ask')).toBe(false);
    for (const { from, event, to } of transitions) expect(transitionStatus(from, event)).toBe(to);
    expect(new Set(transitions.map((t) => t.from))).toEqual(new Set(ticketLifecycle.statuses));
  });

  it('answers next() with the status, or undefined where the machine refuses', () => {
    expect(ticketLifecycle.initial).toBe('open');
    expect(ticketLifecycle.next('collecting', { type: 'start_execution' })).toBe('executing');
    expect(ticketLifecycle.next('resolved', { type: 'await_approval' })).toBeUndefined();
  });

  it('keeps the xstate machine for xstate tooling', () => {
    const machine = ticketLifecycle.machine as { id: string };
    expect(machine.id).toBe('ticket');
  });
});
