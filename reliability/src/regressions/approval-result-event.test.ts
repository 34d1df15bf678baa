import { MemoryTicketStore } from '@ticketflow/core';
import { createTelecomAgent, TelecomBackend } from '@ticketflow/example-telecom-support';
import { describe, expect, it } from 'vitest';

/**
 * Found by the chaos suite's history checker (rule `sequence-agrees`: "turn N completed
 * twice"); fixed in the core (commit 3f6535f), guarded here.
 *
 * `execute/execute-workflow.ts` completed a successful execution with
 * `completeExecution(…, origin ?? { messageId: null, decision: null }, …)`: for an
 * execution resumed by `agent.approve` the null origin became a non-null one, so the
 * result was logged as `turn.completed` instead of `reply.sent` (what the failure, re-park
 * and recovery paths of a resumed execution log), and — `execution` being cleared by then —
 * with the ticket's *latest* turn, here a different message (a "wait" reply), so the log
 * claimed that turn completed twice.
 */
describe('core regression: the result of an approved execution', () => {
  async function approvedTicket() {
    const { agent } = createTelecomAgent({ store: new MemoryTicketStore(), backend: new TelecomBackend({ latencyMs: 0 }) });
    await agent.handle({ ticketId: 'A', message: 'You overcharged me 80 euros, business account', messageId: 'm1' });
    const parked = await agent.handle({ ticketId: 'A', message: 'yes', messageId: 'm2' });
    expect(parked.action).toMatchObject({ outcome: 'awaiting_approval' });
    expect((await agent.handle({ ticketId: 'A', message: 'any news?', messageId: 'm3' })).action).toMatchObject({ type: 'wait' });
    expect((await agent.approve('A', { by: 'supervisor-1' })).action).toMatchObject({ outcome: 'resolved' });
    const { events } = await agent.inspect('A');
    return events.slice(events.findIndex((event) => event.type === 'approval.granted'));
  }

  it('records the approved execution and its result', async () => {
    const afterApproval = await approvedTicket();
    expect(afterApproval.map((event) => event.type)).toEqual(expect.arrayContaining(['step.started', 'step.completed', 'execution.completed']));
  });

  it('is logged as reply.sent, like every other resumed result, not as a second turn.completed of the latest turn', async () => {
    const afterApproval = await approvedTicket();
    expect(afterApproval.filter((event) => event.type === 'turn.completed')).toEqual([]);
    expect(afterApproval.map((event) => event.type)).toContain('reply.sent');
  });
});
