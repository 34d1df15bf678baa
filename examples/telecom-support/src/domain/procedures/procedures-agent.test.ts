import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { TelecomBackend } from '../../backend/telecom-backend.js';
import { createTelecomAgent } from '../../create-telecom-agent.js';
import { runInitialization, type InitializationAction } from '../../tau2/world/initialization.js';
import { Tau2World } from '../../tau2/world/tau2-world.js';

const john = { env_type: 'user', func_name: 'set_user_info', arguments: { name: 'John Smith', phone_number: '555-123-2002' } } as const;

function harness(...steps: InitializationAction[]) {
  const world = new Tau2World();
  for (const step of [john, ...steps]) runInitialization(world, step);
  world.clearActions();
  const store = new MemoryTicketStore();
  const telecom = createTelecomAgent({ store, world, backend: new TelecomBackend({ latencyMs: 0 }), llmRetry: { retries: 0 } });
  const say = (message: string) => telecom.agent.handle({ ticketId: 'P', message });
  const named = (name: string) => world.actions().filter((action) => action.name === name);
  return { ...telecom, world, store, say, named };
}

describe('the τ² procedures in the agent (E6)', () => {
  it('E6 suspends on each question (awaiting_input) and resumes on the answer; completed lookups are never called again', async () => {
    const { say, named } = harness({ env_type: 'user', func_name: 'turn_airplane_mode_on', arguments: {} });
    const first = await say('My phone shows no service, my number is 555-123-2002');
    expect(first.action).toEqual({ type: 'ask', slot: 'status_bar', question: expect.stringContaining('status bar'), workflow: 'no_service_troubleshooting' });
    expect(first.ticket.status).toBe('awaiting_input');
    const second = await say('It shows ✈️ airplane mode');
    expect(second.action).toMatchObject({ type: 'ask', slot: 'service_after_airplane_off' });
    const done = await say('I switched it off and now I have 4 bars of signal');
    expect(done.action).toEqual({ type: 'execute', workflow: 'no_service_troubleshooting', outcome: 'resolved' });
    expect(done.reply).toContain('turning Airplane Mode off');
    // three runs of the procedure, one lookup of the customer and one of each line
    expect(named('get_customer_by_phone')).toHaveLength(1);
    expect(named('get_details_by_id')).toHaveLength(2);
  });

  it('asks again when an answer cannot be read, and escalates after three tries (D5)', async () => {
    const { say } = harness();
    await say('I cannot make calls on 555-123-2002');
    expect((await say('hmm, let me think')).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    expect((await say('what is a status bar?')).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    expect((await say('sorry?')).action).toMatchObject({ type: 'escalate', reason: 'clarification_limit' });
  });

  it('E6 a switch to another intent leaves the procedure (onAbandon keep) and the new request proceeds', async () => {
    const { say, world, named, agent } = harness({
      env_type: 'assistant',
      func_name: 'set_data_usage',
      arguments: { customer_id: 'C1001', line_id: 'L1002', data_used_gb: 15.1 },
    });
    await say('My mobile data is not working, my number is 555-123-2002, I am at home');
    await say('Speed test failed: No Connection');
    await say('My status bar shows 📶³ Good | 5G | 📵 Data Disabled');
    await say('Mobile Data Enabled: Yes');
    await say('I want to refuel');
    await say('2 GB');
    const refuelled = await say('yes, go ahead');
    expect(refuelled.action).toMatchObject({ type: 'ask', slot: 'speed_after_refuel' });
    expect(named('refuel_data')).toHaveLength(1);
    const switched = await say('Forget it, I want to talk to a real person');
    expect(switched.action).toMatchObject({ type: 'execute', workflow: 'human_handover' });
    expect(world.records.line('L1002').data_refueling_gb).toBe(2);
    const { events } = await agent.inspect('P');
    expect(events.find((event) => event.type === 'execution.abandoned')?.data).toMatchObject({ workflow: 'mobile_data_troubleshooting', policy: 'keep' });
  });

  it('E3 a step that fails turns later undoes the procedure’s earlier steps (the refuel and its charge)', async () => {
    const { say, world } = harness({
      env_type: 'assistant',
      func_name: 'set_data_usage',
      arguments: { customer_id: 'C1001', line_id: 'L1002', data_used_gb: 40 },
    });
    const transfer = world.agentTool.bind(world);
    world.agentTool = (name, args, key) => {
      if (name === 'transfer_to_human_agents') throw new Error('the contact centre is unreachable');
      return transfer(name, args, key);
    };
    await say('My mobile data is not working, my number is 555-123-2002, I am at home');
    for (const answer of [
      'Speed test failed: No Connection',
      'Status Bar: 📶³ Good | 5G | 📵 Data Disabled',
      'Mobile Data Enabled: Yes',
      'refuel please',
      '2 GB',
      'yes',
    ])
      await say(answer);
    expect(world.records.line('L1002').data_refueling_gb).toBe(2);
    const failed = await say('Speed test failed: No Connection');
    expect(failed.action).toMatchObject({ type: 'execute', workflow: 'mobile_data_troubleshooting', outcome: 'failed' });
    expect(world.records.line('L1002').data_refueling_gb).toBe(0);
    expect(world.records.bill('B1003')).toMatchObject({ total_due: 0, line_items: [] });
    expect(world.actions().find((action) => action.name === 'refuel_data')).toMatchObject({ ok: true, undone: true });
  });

  it('refuses, by policy, a refuel above what the line may still take, without asking the customer to choose', async () => {
    const { say, named } = harness(
      { env_type: 'assistant', func_name: 'refuel_data', arguments: { customer_id: 'C1001', line_id: 'L1002', gb_amount: 2 } },
      { env_type: 'assistant', func_name: 'set_data_usage', arguments: { customer_id: 'C1001', line_id: 'L1002', data_used_gb: 17.5 } },
    );
    await say('My mobile data is not working, my number is 555-123-2002, I am at home');
    await say('Speed test failed: No Connection');
    await say('Status Bar: 📶³ Good | 5G | 📵 Data Disabled');
    const ended = await say('Mobile Data Enabled: Yes');
    expect(ended.action).toEqual({ type: 'execute', workflow: 'mobile_data_troubleshooting', outcome: 'escalated' });
    expect(ended.reply).toContain('YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.');
    expect(named('refuel_data')).toEqual([]);
    expect(named('transfer_to_human_agents')).toHaveLength(1);
  });

  it('an unknown number ends the procedure without changes and asks for the right one; a corrected number runs it', async () => {
    const { say } = harness();
    const unknown = await say('My phone has no signal, the number is 555-000-0000');
    expect(unknown.action).toMatchObject({ type: 'execute', workflow: 'no_service_troubleshooting', outcome: 'failed' });
    expect(unknown.reply).toContain('could not find an account with the phone number 555-000-0000');
    expect((await say('sorry, it is 555-123-2002')).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
  });
});
