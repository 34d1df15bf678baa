import { MemoryTicketStore, ticketDocSchema } from '@ticketflow/core';
import { MemoryEffectLedger } from '@ticketflow/example-telecom-support';
import { describe, expect, it } from 'vitest';
import { ChaosBackend } from '../procedures/chaos-backend.js';
import { createProcedureAgent } from '../procedures/create-procedure-agent.js';

/**
 * Found by the chaos suite's history checker (rule `schema-valid`), which validates every
 * stored document with the core's exported `ticketDocSchema` ("use this to validate
 * documents in tests, audits and migrations"). Reported to the core's owners.
 *
 * The schema predates the second wave: it refuses the status `awaiting_input` (a procedure
 * waiting for the customer, E6), a journal step in state `failed` (a caught `ctx.call`
 * failure, issue 12 item 2) and an outcome `abandoned`; it does not describe `incarnation`,
 * `seen`, `clarification`, the execution's `leaseMs`, `answers`, `awaiting`, `supersedes`.
 */
describe('core regression: ticketDocSchema and the documents the engine writes', () => {
  async function ticketAfter(messages: string[]) {
    const store = new MemoryTicketStore();
    const { agent } = createProcedureAgent({
      store,
      backend: new ChaosBackend({ ledger: new MemoryEffectLedger(), latencyMs: [0, 0] }),
      toolTimeoutMs: 200,
      leaseMs: 2_000,
      toolRetry: { minDelayMs: 1, maxDelayMs: 2 },
    });
    for (const [index, message] of messages.entries()) await agent.handle({ ticketId: 'S-1', message, messageId: `m${index}` });
    return (await store.load('S-1'))!.ticket;
  }

  it('the documents exist: a procedure waiting for input, a caught failure, an abandoned procedure', async () => {
    expect((await ticketAfter(['my router is broken, line L-1234'])).status).toBe('awaiting_input');
    const noted = await ticketAfter(['leave a note on my line, line L-1234']);
    expect(Object.values(noted.outcomes).map((outcome) => outcome.outcome)).toEqual(['resolved']);
    expect((await ticketAfter(['my router is broken, line L-1234', 'forget the router, set up my bundle, line L-1234'])).outcomes.router_repair?.outcome).toBe(
      'abandoned',
    );
  });

  // Fixed in the core (schema 2 describes the second-wave documents).
  it('E6 a procedure waiting for the customer (status awaiting_input, a parked execution) validates', async () => {
    expect(ticketDocSchema.safeParse(await ticketAfter(['my router is broken, line L-1234'])).error?.issues ?? []).toEqual([]);
  });

  it('E6 a procedure abandoned for another intent (outcome abandoned) validates', async () => {
    const ticket = await ticketAfter(['my router is broken, line L-1234', 'forget the router, set up my bundle, line L-1234']);
    expect(ticketDocSchema.safeParse(ticket).error?.issues ?? []).toEqual([]);
  });
});
