import { readdirSync, readFileSync } from 'node:fs';
import { MemoryTicketStore, replayTicket, type TicketDoc, type TicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { intents, slots, workflows } from '../scripts/replay-agent.js';
import { TelecomBackend } from '../src/backend/telecom-backend.js';
import { createTelecomDomain } from '../src/domain/telecom-domain.js';

/*
 * Production tickets as regression tests (issue 18): the conversations in test/recorded/
 * (written by scripts/record-tickets.ts — a document and its event log each, as a store
 * gives them back) are replayed against the workflows of this commit. Each recorded decision
 * stands in for the LLM and each recorded tool output for the tool: nothing is called. A
 * change of the definitions that would make any recorded conversation go differently fails
 * here, turn by turn, with the divergence.
 */

interface Recording {
  ticketId: string;
  ticket: TicketDoc;
  events: { type: string; at: string; data?: Record<string, unknown> }[];
}

const directory = new URL('./recorded/', import.meta.url);
const recordings: Recording[] = readdirSync(directory)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as Recording);

async function storeOf(recording: Recording): Promise<TicketStore> {
  const store = new MemoryTicketStore();
  const events = recording.events.map(({ type, at, data }) => ({ type, at, ...(data !== undefined ? { data } : {}) }));
  const result = await store.commit({ ticketId: recording.ticketId, expectedVersion: null, ticket: recording.ticket, events: events as never });
  expect(result.ok).toBe(true);
  return store;
}

describe('recorded telecom tickets replayed against the current workflows', () => {
  it('there are recordings: asks, inference, a failed step, an approval, a rejection', () => {
    expect(recordings.map((recording) => recording.ticketId)).toEqual(['REC-CREDIT', 'REC-DSL', 'REC-FIBER', 'REC-PLAN', 'REC-REJECT']);
  });

  for (const recording of recordings) {
    it(`${recording.ticketId}: every turn goes as recorded, with no tool or model called`, async () => {
      const store = await storeOf(recording);
      const report = await replayTicket({ store, ticketId: recording.ticketId, intents, workflows, slots });
      const divergent = report.turns
        .filter((turn) => !turn.same)
        .map((turn) => ({ turn: turn.turn, operation: turn.operation, divergences: turn.divergences }));
      expect(divergent).toEqual([]);
      expect(report.turns.length).toBeGreaterThanOrEqual(2);
      expect(report.diverged).toBe(false);
    });
  }

  it('a change of policy shows up: with the approval threshold at 100 €, the recorded 80 € credit no longer waits for a supervisor', async () => {
    const recording = recordings.find((candidate) => candidate.ticketId === 'REC-CREDIT')!;
    const changed = createTelecomDomain(new TelecomBackend(), { creditApprovalThreshold: 100 });
    const report = await replayTicket({
      store: await storeOf(recording),
      ticketId: recording.ticketId,
      intents: changed.intents,
      workflows: changed.workflows,
      slots: changed.slots,
    });
    expect(report.diverged).toBe(true);
    const first = report.turns.find((turn) => !turn.same)!;
    expect(first.recorded.action).toMatchObject({ type: 'execute', outcome: 'awaiting_approval' });
    expect(first.replayed.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
  });
});
