import { MemoryTicketStore } from '@ticketflow/core';
import { createTelecomAgent, TelecomBackend } from '@ticketflow/example-telecom-support';
import { describe, expect, it } from 'vitest';

/**
 * Found by the chaos suite's history checker (rule `keys-once`: "took effect in an erased life
 * and the current life journaled the same key again"), with erasures and ids used again (P3)
 * and with a Redis restarted without persistence (T2). Reported to the core's owners.
 *
 * The idempotency key of a tool call is `<ticketId>:<turn>:<step>` (E5). A ticket erased and
 * started again under the same id counts its turns from 1 again, so its calls get the keys of
 * the erased life's calls: a backend that deduplicates by key (as E5 asks it to) replays the
 * old effect — the customer's new 20 € credit is answered with the old 30 € one and never
 * happens — or, when the old call was compensated, refuses the new call as cancelled. The same
 * happens after a store lost its data. Keys must differ between lives of a ticket id (e.g.
 * carry the ticket's incarnation).
 */
describe('core regression: idempotency keys across lives of a ticket id', () => {
  async function twoLives() {
    const backend = new TelecomBackend({ latencyMs: 0 });
    const { agent } = createTelecomAgent({ store: new MemoryTicketStore(), backend });
    await agent.handle({ ticketId: 'L-1', message: 'refund 30 euros please, personal account', messageId: 'a1' });
    expect((await agent.handle({ ticketId: 'L-1', message: 'yes', messageId: 'a2' })).action).toMatchObject({ outcome: 'resolved' });
    await agent.erase('L-1');
    await agent.handle({ ticketId: 'L-1', message: 'refund 20 euros please, personal account', messageId: 'b1' });
    const second = await agent.handle({ ticketId: 'L-1', message: 'yes', messageId: 'b2' });
    return { backend, second };
  }

  it('P3 the erased life and the new one both run their credit', async () => {
    const { second } = await twoLives();
    expect(second.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
  });

  // Fixed in the core; a plain regression test since.
  it('E5 P3 the new life’s credit takes effect under a key of its own: the backend records a 20 € credit', async () => {
    const { backend } = await twoLives();
    const credits = backend.ledger.list().filter((effect) => effect.operation === 'issue_credit');
    expect(credits.map((effect) => (effect.input as { amount: number }).amount).sort()).toEqual([20, 30]);
    expect(new Set(credits.map((effect) => effect.key)).size).toBe(2);
    expect(backend.calls.filter((call) => call.result === 'replayed')).toEqual([]);
  });
});
