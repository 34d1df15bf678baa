import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryStoreData,
  MemoryTicketStore,
  NonRetryableError,
  replayTicket,
  type TicketStore,
} from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { createRecordingBackend } from '../support/test-domain.js';
import { recordingStore, sleep, waitFor, type SeenCommit } from './helpers.js';

/**
 * Issue 14.3 and O2: the lifecycle owns status. In a run of every flow the engine has, every
 * status change between two consecutive committed documents of a ticket is explained by
 * `status.changed` events in that commit, chained from the old status to the new one — none
 * is silent, none is invented.
 */
function world() {
  const backend = createRecordingBackend();
  const failing = new Set<string>();
  let offset = 0;
  const account = defineSlot({ name: 'account_type', schema: z.enum(['personal', 'business']), question: 'Personal or business?' });
  const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much?' });
  const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Where are you?' });
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does your status bar show?' });
  const billing = defineIntent({ name: 'billing_dispute' });
  const noInternet = defineIntent({ name: 'no_internet' });
  const noData = defineIntent({ name: 'no_data' });
  const other = defineIntent({ name: 'legal_threat' });
  const tool = (name: string, options: { approval?: (input: { amount: number }) => boolean } = {}) =>
    defineTool({
      name,
      input: z.object({ amount: z.number() }),
      output: z.object({ ok: z.boolean() }),
      ...(options.approval ? { requiresApproval: options.approval } : {}),
      run: async (input, context) => {
        if (failing.has(name)) throw new NonRetryableError(`${name} is down`);
        if (failing.has(`${name}.hang`)) await new Promise(() => undefined);
        return backend.run(name, context.idempotencyKey, input, () => ({ ok: true }));
      },
      compensate: async (_input, _output, context) => {
        if (failing.has(`${name}.compensate`)) throw new Error(`${name} cannot be undone`);
        await backend.undo(name, context.idempotencyKey);
      },
    });
  const credit = tool('issue_credit', { approval: (input) => input.amount > 50 });
  const notify = tool('notify');
  const reset = tool('reset_modem');
  const roaming = tool('enable_roaming');
  const creditFlow = defineWorkflow({
    name: 'billing_credit',
    intent: billing,
    required: [account, amount],
    confirm: true,
    tools: [credit, notify],
    run: async (context) => {
      await context.call(credit, { amount: context.slots.amount });
      await context.call(notify, { amount: context.slots.amount });
      return { status: 'resolved', reply: 'Credited.' };
    },
  });
  const fix = defineWorkflow({
    name: 'fix_internet',
    intent: noInternet,
    required: [region],
    tools: [reset, notify],
    run: async (context) => {
      await context.call(reset, { amount: 1 });
      await context.call(notify, { amount: context.slots.region.length });
      return { status: context.slots.region === 'Nowhere' ? 'escalated' : 'resolved', reply: 'Fixed.' };
    },
  });
  const procedure = defineWorkflow({
    name: 'data_path',
    intent: noData,
    required: [phone],
    asks: [statusBar],
    tools: [roaming],
    onAbandon: 'compensate',
    run: async (context) => {
      await context.call(roaming, { amount: 1 });
      const bar = await context.ask(statusBar);
      return { status: 'resolved', reply: `Status ${bar}.` };
    },
  });
  const data = new MemoryStoreData();
  const recording = recordingStore(new MemoryTicketStore({ data }));
  const definitions = { intents: [billing, noInternet, noData, other], workflows: [creditFlow, fix, procedure] };
  const agentOn = (store: TicketStore, instanceId: string) => {
    const llm = new MockLLM();
    const agent = createAgent({
      store,
      llm,
      ...definitions,
      instanceId,
      leaseMs: 300,
      approvalTimeoutMs: 60_000,
      inputTimeoutMs: 60_000,
      now: () => Date.now() + offset,
    });
    const say = (ticketId: string, entities: Record<string, unknown>, intent: string | null = null) => {
      llm.enqueue({ intent, confidence: intent ? 0.95 : 0.2, entities });
      return agent.handle({ ticketId, message: `${intent ?? ''} ${JSON.stringify(entities)}` });
    };
    return { agent, llm, say };
  };
  const main = agentOn(recording.store, 'worker-main');
  return { backend, failing, recording, main, agentOn, definitions, advance: (ms: number) => (offset += ms) };
}

/** Every status change between consecutive committed documents of `ticketId` is chained by status.changed events. */
function expectExplainedStatuses(commits: readonly SeenCommit[], ticketId: string): string[] {
  const mine = commits
    .filter((commit) => commit.request.ticketId === ticketId && commit.result.ok)
    .sort((a, b) => (a.result as { version: number }).version - (b.result as { version: number }).version);
  expect(mine.length).toBeGreaterThan(0);
  const visited: string[] = ['open'];
  let previous = 'open';
  for (const [index, commit] of mine.entries()) {
    const changes = commit.request.events.filter((event) => event.type === 'status.changed') as unknown as {
      data: { from: string; to: string; cause: string };
    }[];
    let status = previous;
    for (const change of changes) {
      expect(change.data.from, `commit ${index}: status.changed from`).toBe(status);
      expect(change.data.to, `commit ${index}: status.changed to itself`).not.toBe(change.data.from);
      expect(typeof change.data.cause).toBe('string');
      status = change.data.to;
      visited.push(status);
    }
    const now = (commit.request.ticket as { status: string }).status;
    expect(status, `commit ${index} (${commit.request.events.map((event) => event.type).join(',')}) changed ${previous} → ${now} without its event`).toBe(now);
    previous = now;
  }
  expectExplainedDecisionState(commits, ticketId);
  return visited;
}

/** O2 beyond status: every slot value and the intent that change between consecutive commits have an event naming them. */
function expectExplainedDecisionState(commits: readonly SeenCommit[], ticketId: string): void {
  const mine = commits
    .filter((commit) => commit.request.ticketId === ticketId && commit.result.ok)
    .sort((a, b) => (a.result as { version: number }).version - (b.result as { version: number }).version);
  let slots: Record<string, { value: unknown }> = {};
  let intent: unknown = null;
  for (const [index, commit] of mine.entries()) {
    const ticket = commit.request.ticket as { slots: Record<string, { value: unknown }>; intent: unknown };
    const named = new Set(commit.request.events.map((event) => (event.data as { slot?: string } | undefined)?.slot).filter(Boolean));
    for (const name of new Set([...Object.keys(slots), ...Object.keys(ticket.slots)])) {
      const changed = JSON.stringify(slots[name]?.value) !== JSON.stringify(ticket.slots[name]?.value);
      if (changed) expect(named.has(name), `commit ${index}: slot ${name} changed silently`).toBe(true);
    }
    if (ticket.intent !== intent)
      expect(
        commit.request.events.some((event) => event.type === 'intent.changed'),
        `commit ${index}: intent changed silently`,
      ).toBe(true);
    slots = ticket.slots;
    intent = ticket.intent;
  }
}

describe('the lifecycle owns status (issue 14.3, O2)', () => {
  it('O2 ask, confirm yes and a thanks', async () => {
    const w = world();
    await w.main.say('L-1', {}, 'billing_dispute');
    await w.main.say('L-1', { account_type: 'personal', amount: 20 });
    await w.main.say('L-1', { confirm: true });
    await w.main.say('L-1', {});
    const visited = expectExplainedStatuses(w.recording.commits, 'L-1');
    expect(visited).toEqual(expect.arrayContaining(['collecting', 'awaiting_confirmation', 'executing', 'resolved']));
  });

  it('O2 confirm no, a failed execution rolled back, and an escalation', async () => {
    const w = world();
    await w.main.say('L-2', { account_type: 'personal', amount: 20 }, 'billing_dispute');
    await w.main.say('L-2', { confirm: false });
    w.failing.add('notify');
    await w.main.say('L-3', { region: 'Berlin' }, 'no_internet');
    w.failing.delete('notify');
    await w.main.say('L-4', {}, 'legal_threat');
    await w.main.say('L-5', { region: 'Nowhere' }, 'no_internet');
    for (const id of ['L-2', 'L-3', 'L-4', 'L-5']) expectExplainedStatuses(w.recording.commits, id);
    expect(expectExplainedStatuses(w.recording.commits, 'L-4').at(-1)).toBe('escalated');
    expect(expectExplainedStatuses(w.recording.commits, 'L-5').at(-1)).toBe('escalated');
    expect(w.backend.live().filter((effect) => effect.key.startsWith('L-3'))).toEqual([]);
  });

  it('O2 a compensation that fails hands the ticket to a human; release hands it back', async () => {
    const w = world();
    w.failing.add('notify');
    w.failing.add('reset_modem.compensate');
    const failed = await w.main.say('L-6', { region: 'Berlin' }, 'no_internet');
    expect(failed.ticket.status).toBe('needs_human');
    await w.main.say('L-6', {});
    const released = await w.main.agent.release('L-6', { by: 'operator-1' });
    expect(released.status).toBe('collecting');
    expect(expectExplainedStatuses(w.recording.commits, 'L-6')).toEqual(expect.arrayContaining(['executing', 'needs_human', 'collecting']));
  }, 30_000);

  it('O2 approval approved, approval rejected, approval expired by the sweeper', async () => {
    const w = world();
    for (const id of ['L-7', 'L-8', 'L-9']) {
      await w.main.say(id, { account_type: 'business', amount: 80 }, 'billing_dispute');
      const paused = await w.main.say(id, { confirm: true });
      expect(paused.ticket.status).toBe('awaiting_approval');
    }
    await w.main.say('L-7', {});
    await w.main.agent.approve('L-7', { by: 'supervisor-1' });
    await w.main.agent.reject('L-8', { by: 'supervisor-1' });
    w.advance(61_000);
    const report = await w.main.agent.recover();
    expect(report.approvalsExpired).toBe(1);
    expect(expectExplainedStatuses(w.recording.commits, 'L-7').at(-1)).toBe('resolved');
    expect(expectExplainedStatuses(w.recording.commits, 'L-8').at(-1)).toBe('closed');
    expect(expectExplainedStatuses(w.recording.commits, 'L-9').at(-1)).toBe('needs_human');
  });

  it('O2 a new message reopens a ticket closed by a rejected approval, even one that is only acknowledged', async () => {
    const w = world();
    await w.main.say('L-15', { account_type: 'business', amount: 80 }, 'billing_dispute');
    expect((await w.main.say('L-15', { confirm: true })).ticket.status).toBe('awaiting_approval');
    await w.main.agent.reject('L-15', { by: 'supervisor-1' });
    const again = await w.main.say('L-15', {});
    expect(again.action).toMatchObject({ type: 'acknowledge' });
    expect(again.ticket.status).toBe('open');
    expect(expectExplainedStatuses(w.recording.commits, 'L-15').slice(-2)).toEqual(['closed', 'open']);
  });

  it('O2 procedures: suspend and resume, abandon on a switch, and input timeout by the sweeper', async () => {
    const w = world();
    for (const id of ['L-10', 'L-11', 'L-12']) {
      const suspended = await w.main.say(id, { phone: '555' }, 'no_data');
      expect(suspended.ticket.status).toBe('awaiting_input');
    }
    expect((await w.main.say('L-10', { status_bar: 'bars' })).ticket.status).toBe('resolved');
    expect((await w.main.say('L-11', { account_type: 'personal', amount: 10 }, 'billing_dispute')).action).toMatchObject({ slot: 'confirm' });
    w.advance(61_000);
    expect((await w.main.agent.recover()).inputsExpired).toBe(1);
    expect(expectExplainedStatuses(w.recording.commits, 'L-10')).toEqual(expect.arrayContaining(['awaiting_input', 'executing', 'resolved']));
    expectExplainedStatuses(w.recording.commits, 'L-11');
    expect(expectExplainedStatuses(w.recording.commits, 'L-12')).toEqual(expect.arrayContaining(['awaiting_input', 'executing']));
  });

  it('O2 D5 clarification limits, in a conversation and inside a suspended procedure', async () => {
    const w = world();
    await w.main.say('L-16', {}, 'billing_dispute');
    for (let turn = 0; turn < 3; turn += 1) await w.main.say('L-16', {});
    await w.main.say('L-17', { phone: '555' }, 'no_data');
    let last;
    for (let turn = 0; turn < 3; turn += 1) last = await w.main.say('L-17', {});
    expect(last!.action).toEqual({ type: 'escalate', reason: 'clarification_limit' });
    expect(expectExplainedStatuses(w.recording.commits, 'L-16').at(-1)).toBe('escalated');
    expect(expectExplainedStatuses(w.recording.commits, 'L-17').at(-1)).toBe('escalated');
  });

  it('O2 a superseding re-run of a corrected credit', async () => {
    const w = world();
    await w.main.say('L-13', { account_type: 'personal', amount: 20 }, 'billing_dispute');
    await w.main.say('L-13', { confirm: true });
    await w.main.say('L-13', { amount: 25 });
    const done = await w.main.say('L-13', { confirm: true });
    expect(done.action).toMatchObject({ outcome: 'resolved' });
    expectExplainedStatuses(w.recording.commits, 'L-13');
  });

  it('O2 E4 recovery of a crashed execution, by the sweeper and by the next message', async () => {
    const w = world();
    w.failing.add('notify.hang');
    for (const id of ['L-14', 'L-15']) {
      const crashing = new CrashingTicketStore(w.recording.store, { atWrite: 1_000, point: 'before-write' });
      const doomed = w.agentOn(crashing, `doomed-${id}`);
      void doomed.say(id, { region: 'Berlin' }, 'no_internet');
      await waitFor(() => w.backend.runs.some((run) => run.key.startsWith(`${id}:`) && run.tool === 'reset_modem'), 5_000, 'the first step');
      await sleep(20);
      crashing.crash();
    }
    w.failing.delete('notify.hang');
    let recovered = 0;
    for (let sweep = 0; sweep < 30 && recovered === 0; sweep += 1) {
      recovered += (await w.main.agent.recover()).recovered;
      if (recovered === 0) await sleep(100);
    }
    expect(recovered).toBeGreaterThanOrEqual(1);
    await w.main.say('L-15', {});
    for (const id of ['L-14', 'L-15']) {
      const visited = expectExplainedStatuses(w.recording.commits, id);
      expect(visited).toContain('executing');
      expect(visited.at(-1)).not.toBe('executing');
    }
  }, 30_000);

  it('replayTicket replays what the sweeper did (an expired approval, an expired answer) and compensations that failed: no divergence', async () => {
    const w = world();
    const store = w.recording.store;
    await w.main.say('L-20', { account_type: 'business', amount: 80 }, 'billing_dispute');
    expect((await w.main.say('L-20', { confirm: true })).ticket.status).toBe('awaiting_approval');
    expect((await w.main.say('L-21', { phone: '555' }, 'no_data')).ticket.status).toBe('awaiting_input');
    w.advance(61_000);
    expect(await w.main.agent.recover()).toMatchObject({ approvalsExpired: 1, inputsExpired: 1 });
    await w.main.agent.release('L-20', { by: 'supervisor-1' });
    await w.main.say('L-20', {});
    await w.main.say('L-21', {});
    w.failing.add('notify');
    w.failing.add('reset_modem.compensate');
    expect((await w.main.say('L-22', { region: 'Berlin' }, 'no_internet')).ticket.status).toBe('needs_human');
    await w.main.agent.release('L-22', { by: 'operator-1' });
    w.failing.clear();
    await w.main.say('L-22', {});
    for (const ticketId of ['L-20', 'L-21', 'L-22']) {
      const report = await replayTicket({ store, ticketId, ...w.definitions });
      expect(
        report.turns.filter((turn) => !turn.same).map((turn) => ({ turn: turn.turn, operation: turn.operation, divergences: turn.divergences })),
        ticketId,
      ).toEqual([]);
      const operations = report.turns.map((turn) => turn.operation);
      if (ticketId === 'L-20') expect(operations).toContain('expire_approval');
      if (ticketId === 'L-21') expect(operations).toContain('expire_input');
    }
  }, 30_000);
});
