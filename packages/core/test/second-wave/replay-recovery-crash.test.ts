import { describe, expect, it } from 'vitest';
import { replayTicket } from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { crashWorld } from '../support/crash-world.js';

const LEASE = 1_000;
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe('replay of a ticket whose recovery itself stopped', () => {
  it('E4 O1 a worker crashes mid-execution, the first recovery crashes while compensating, a second recovery finishes: the replay agrees', async () => {
    const { domain, base, agentOn } = crashWorld({ leaseMs: LEASE });
    // Worker a crashes while `charge` runs.
    domain.backend.failTool('charge', 'hang');
    const first = new CrashingTicketStore(base, { atWrite: 99, point: 'before-write' });
    void agentOn(first, 'a').handle({ ticketId: 'T', message: 'buy 2 routers', messageId: 'm-1' });
    await until(() => domain.order.includes('run:charge'));
    first.crash();
    domain.backend.clearFailures();
    // Sweeper b takes it over and crashes while compensating `reserve`.
    domain.backend.failTool('reserve.compensate', 'hang');
    const second = new CrashingTicketStore(base, { atWrite: 99, point: 'before-write' });
    void agentOn(second, 'b', 2 * LEASE + 10).recover();
    await until(() => domain.order.includes('undo:reserve:known'));
    second.crash();
    domain.backend.clearFailures();
    // Sweeper c recovers it for good; the customer carries on.
    await agentOn(base, 'c', 5 * LEASE).recover();
    await agentOn(base, 'c', 5 * LEASE).handle({ ticketId: 'T', message: 'buy 2 routers', messageId: 'm-2' });

    const recorded = (await base.events('T')).filter((event) => event.type === 'execution.recovery_started');
    expect(recorded, 'two recoveries were recorded').toHaveLength(2);
    const report = await replayTicket({ store: base, ticketId: 'T', intents: domain.intents, workflows: domain.workflows, leaseMs: LEASE });
    const shown = report.turns.map((turn) => `${turn.turn} ${turn.operation} ${JSON.stringify(turn.divergences)}`).join('\n');
    expect(report.turns.map((turn) => turn.operation)).toEqual(['message', 'recover', 'recover', 'message']);
    expect(report.diverged, shown).toBe(false);
  }, 20_000);
});
