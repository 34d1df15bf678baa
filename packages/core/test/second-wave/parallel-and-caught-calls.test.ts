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
  type WorkflowDefinition,
} from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { createRecordingBackend } from '../support/test-domain.js';
import { eventsOf, expectDenseSteps, gate, recordingStore, sleep, typesOf, waitFor } from './helpers.js';

/**
 * Issue 12.1 and 12.2: concurrent `ctx.call`s of one execution, and failed calls a workflow
 * catches, are normal journaled outcomes — never a self-conflict, a hole in the journal, or a
 * ticket stuck for good.
 */
function lineDomain() {
  const backend = createRecordingBackend();
  /** Every compensation with its reason (the crashed worker of a simulation still runs its own, with reason 'failed'). */
  const compensations: { tool: string; key: string; reason: string }[] = [];
  const undo = (tool: string, context: { idempotencyKey: string; reason: string }) => {
    compensations.push({ tool, key: context.idempotencyKey, reason: context.reason });
    return backend.undo(tool, context.idempotencyKey);
  };
  const line = defineSlot({ name: 'line', schema: z.string().min(2), question: 'Which line?' });
  const activate = defineIntent({ name: 'activate', description: 'Activate services on a line' });
  const effect = (name: string, options: { delayMs?: number; approval?: boolean; compensate?: boolean } = {}) =>
    defineTool({
      name,
      input: z.object({ line: z.string().min(1) }),
      output: z.object({ ok: z.boolean() }),
      ...(options.approval ? { requiresApproval: true } : {}),
      run: async (input, context) => {
        if (options.delayMs) await sleep(options.delayMs);
        return backend.run(name, context.idempotencyKey, input, () => ({ ok: true }));
      },
      ...(options.compensate === false
        ? {}
        : { compensate: (_input: unknown, _output: unknown, context: { idempotencyKey: string; reason: string }) => undo(name, context) }),
    });
  const tools = {
    sms: effect('send_sms', { delayMs: 40 }),
    voice: effect('enable_voice', { delayMs: 5 }),
    data: effect('enable_data'),
    broken: defineTool({
      name: 'broken_switch',
      input: z.object({ line: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: (input, context) => backend.run('broken_switch', context.idempotencyKey, input, () => ({ ok: true })),
      compensate: (_input, _output, context) => undo('broken_switch', context),
    }),
    approved: effect('port_number', { approval: true }),
  };
  return { backend, compensations, line, activate, tools };
}

function agentWith(
  domain: ReturnType<typeof lineDomain>,
  workflow: WorkflowDefinition,
  options: { leaseMs?: number; store?: ReturnType<typeof recordingStore>; instanceId?: string; now?: () => number; maxClockSkewMs?: number } = {},
) {
  const recording = options.store ?? recordingStore();
  const agent = createAgent({
    store: recording.store,
    llm: new MockLLM({ fallback: { intent: 'activate', confidence: 0.95, entities: { line: 'L-100' } } }),
    intents: [domain.activate],
    workflows: [workflow],
    leaseMs: options.leaseMs ?? 3_000,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxClockSkewMs !== undefined ? { maxClockSkewMs: options.maxClockSkewMs } : {}),
  });
  return { agent, recording };
}

describe('parallel ctx.call (issue 12.1)', () => {
  it('E4 T6 Promise.all of two calls runs each tool exactly once, journals both steps and never conflicts with its own writes', async () => {
    const domain = lineDomain();
    const { sms, voice } = domain.tools;
    const workflow = defineWorkflow({
      name: 'activate_line',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms, voice],
      run: async (context) => {
        const [a, b] = await Promise.all([context.call(sms, { line: context.slots.line }), context.call(voice, { line: context.slots.line })]);
        return { status: 'resolved', reply: `done ${a.ok && b.ok}` };
      },
    });
    const leaseMs = 3_000;
    const { agent, recording } = agentWith(domain, workflow, { leaseMs });
    const started = performance.now();
    const result = await agent.handle({ ticketId: 'P-1', message: 'activate my line', messageId: 'm-1' });
    const elapsed = performance.now() - started;

    expect(result.action).toEqual({ type: 'execute', workflow: 'activate_line', outcome: 'resolved' });
    expect(result.reply).toBe('done true');
    expect(domain.backend.runs.map((run) => run.tool).sort()).toEqual(['enable_voice', 'send_sms']);
    expect(domain.backend.undos).toEqual([]);
    expect(recording.counts.refused).toBe(0);
    // Far less than the lease: the turn never waited out its own claim.
    expect(elapsed).toBeLessThan(leaseMs * 0.66);

    const { events } = await agent.inspect('P-1');
    expect(eventsOf(events, 'execution.recovered')).toHaveLength(0);
    expect(eventsOf(events, 'execution.recovery_started')).toHaveLength(0);
    expect(eventsOf(events, 'execution.started')).toHaveLength(1);
    const started2 = eventsOf(events, 'step.started');
    expect(started2.map((event) => [event.data.step, event.data.tool])).toEqual([
      [0, 'send_sms'],
      [1, 'enable_voice'],
    ]);
    expect(
      eventsOf(events, 'step.completed')
        .map((event) => event.data.step)
        .sort(),
    ).toEqual([0, 1]);
    // Each step was journaled before its tool ran: the committed journals name both steps.
    const journals = recording.committed('P-1').map((commit) => (commit.request.ticket as { execution: { steps: unknown[] } | null }).execution?.steps ?? []);
    const longest = journals.reduce((best, steps) => (steps.length > best.length ? steps : best), [] as unknown[]);
    expect(longest).toHaveLength(2);
    expectDenseSteps(longest);
    expect(result.ticket.outcomes.activate_line?.calls?.map((call) => call.tool)).toEqual(['send_sms', 'enable_voice']);
    expect(result.ticket.execution).toBeNull();
    expect(result.ticket.status).toBe('resolved');
  });

  it('E4 E5 three parallel calls of one tool get distinct idempotency keys in call order, each run once', async () => {
    const domain = lineDomain();
    const { data } = domain.tools;
    const workflow = defineWorkflow({
      name: 'activate_many',
      intent: domain.activate,
      required: [domain.line],
      tools: [data],
      run: async (context) => {
        await Promise.all(['a', 'b', 'c'].map((suffix) => context.call(data, { line: `${context.slots.line}-${suffix}` })));
        return { status: 'resolved', reply: 'three lines' };
      },
    });
    const { agent, recording } = agentWith(domain, workflow);
    const result = await agent.handle({ ticketId: 'P-3', message: 'activate three lines' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(domain.backend.runs.map((run) => run.key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1'))).toEqual(['P-3:1:0', 'P-3:1:1', 'P-3:1:2']);
    expect([...domain.backend.effects.values()].map((effect) => (effect.input as { line: string }).line)).toEqual(['L-100-a', 'L-100-b', 'L-100-c']);
    expect(recording.counts.refused).toBe(0);
  });

  it('E3 when one of two parallel calls fails, the other is awaited and both are compensated; the ticket rolls back', async () => {
    const domain = lineDomain();
    const { sms, broken } = domain.tools;
    domain.backend.failTool('broken_switch', new NonRetryableError('switch exploded'));
    const workflow = defineWorkflow({
      name: 'activate_fail',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms, broken],
      run: async (context) => {
        await Promise.all([context.call(sms, { line: context.slots.line }), context.call(broken, { line: context.slots.line })]);
        return { status: 'resolved', reply: 'never' };
      },
    });
    const { agent, recording } = agentWith(domain, workflow);
    const result = await agent.handle({ ticketId: 'P-4', message: 'activate' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(result.ticket.execution).toBeNull();
    expect(result.ticket.status).not.toBe('executing');
    // send_sms finished after the failure (40 ms later) and is still undone; broken_switch may have taken effect.
    expect(domain.backend.undos.map((undo) => undo.tool).sort()).toEqual(['broken_switch', 'send_sms']);
    expect(domain.backend.live()).toEqual([]);
    expect(recording.counts.refused).toBe(0);
    const { events } = await agent.inspect('P-4');
    expect(
      eventsOf(events, 'step.compensated')
        .map((event) => event.data.step)
        .sort(),
    ).toEqual([0, 1]);
  });

  it('E3 E4 Promise.allSettled with a failing call, then another call: steps 0..2, the execution completes', async () => {
    const domain = lineDomain();
    const { sms, broken, data } = domain.tools;
    domain.backend.failTool('broken_switch', new NonRetryableError('boom'));
    const workflow = defineWorkflow({
      name: 'activate_settled',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms, broken, data],
      run: async (context) => {
        const settled = await Promise.allSettled([context.call(broken, { line: context.slots.line }), context.call(sms, { line: context.slots.line })]);
        await context.call(data, { line: context.slots.line });
        return { status: 'resolved', reply: settled.map((entry) => entry.status).join(',') };
      },
    });
    const { agent, recording } = agentWith(domain, workflow);
    const result = await agent.handle({ ticketId: 'P-6', message: 'activate' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(result.reply).toBe('rejected,fulfilled');
    const { events } = await agent.inspect('P-6');
    expect(eventsOf(events, 'step.started').map((event) => event.data.step)).toEqual([0, 1, 2]);
    expect(eventsOf(events, 'step.failed').map((event) => event.data.step)).toEqual([0]);
    expect(
      eventsOf(events, 'step.completed')
        .map((event) => event.data.step)
        .sort(),
    ).toEqual([1, 2]);
    expect(recording.counts.refused).toBe(0);
  });

  it('E4 a call the workflow never awaits is still journaled and awaited before the result is committed', async () => {
    const domain = lineDomain();
    const { sms } = domain.tools;
    const workflow = defineWorkflow({
      name: 'fire_and_forget',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms],
      run: (context) => {
        void context.call(sms, { line: context.slots.line });
        return { status: 'resolved', reply: 'sent' };
      },
    });
    const { agent, recording } = agentWith(domain, workflow);
    const result = await agent.handle({ ticketId: 'P-7', message: 'activate' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['send_sms']);
    const { events } = await agent.inspect('P-7');
    const types = typesOf(events);
    expect(types.indexOf('step.completed')).toBeGreaterThan(-1);
    expect(types.indexOf('step.completed')).toBeLessThan(types.indexOf('execution.completed'));
    expect(result.ticket.outcomes.fire_and_forget?.calls).toHaveLength(1);
    expect(recording.counts.refused).toBe(0);
  });

  it('E4 a ctx.call made after run returned is refused: no tool runs, nothing is written, the next turn is normal', async () => {
    const domain = lineDomain();
    const { sms } = domain.tools;
    let late: Promise<unknown> | undefined;
    const workflow = defineWorkflow({
      name: 'late_call',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms],
      run: (context) => {
        setTimeout(() => {
          late = context.call(sms, { line: context.slots.line }).then(
            () => 'ran',
            (error: unknown) => `refused: ${(error as Error).name}`,
          );
        }, 20);
        return { status: 'resolved', reply: 'done' };
      },
    });
    const { agent, recording } = agentWith(domain, workflow, { leaseMs: 1_000 });
    const result = await agent.handle({ ticketId: 'P-8', message: 'activate' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    await waitFor(() => late !== undefined, 2_000, 'the late call');
    expect(await late).toMatch(/^refused/);
    expect(domain.backend.runs).toEqual([]);
    const stored = await recording.inner.load('P-8');
    expect(stored?.ticket.execution).toBeNull();
    expect(stored?.version).toBe(result.ticket.version);
    const next = await Promise.race([agent.handle({ ticketId: 'P-8', message: 'thanks' }), sleep(5_000).then(() => null)]);
    expect(next?.action).toEqual({ type: 'acknowledge' });
  });

  it('E3 T5 a run that never settles is bounded: handle resolves (failed) within a few leases and the ticket is usable again', async () => {
    const domain = lineDomain();
    const workflow = defineWorkflow({
      name: 'hangs',
      intent: domain.activate,
      required: [domain.line],
      run: () => new Promise<never>(() => undefined),
    });
    const leaseMs = 300;
    const { agent } = agentWith(domain, workflow, { leaseMs });
    const settled = await Promise.race([
      agent.handle({ ticketId: 'P-9', message: 'activate' }).then((result) => result.action),
      sleep(leaseMs * 10).then(() => 'still running'),
    ]);
    expect(settled).toMatchObject({ type: 'execute', outcome: 'failed' });
  });

  it('E4 a parallel call that needs approval pauses after its sibling completes; approve runs it without re-running the sibling', async () => {
    const domain = lineDomain();
    const { sms, approved } = domain.tools;
    const workflow = defineWorkflow({
      name: 'port_line',
      intent: domain.activate,
      required: [domain.line],
      tools: [sms, approved],
      run: async (context) => {
        await Promise.all([context.call(sms, { line: context.slots.line }), context.call(approved, { line: context.slots.line })]);
        return { status: 'resolved', reply: 'ported' };
      },
    });
    const { agent, recording } = agentWith(domain, workflow);
    const paused = await agent.handle({ ticketId: 'P-5', message: 'port my number' });
    expect(paused.action).toEqual({ type: 'execute', workflow: 'port_line', outcome: 'awaiting_approval' });
    expect(paused.ticket.status).toBe('awaiting_approval');
    expectDenseSteps(paused.ticket.execution!.steps);
    expect(paused.ticket.execution!.steps.map((step) => step.state)).toEqual(['completed', 'awaiting_approval']);
    const done = await agent.approve('P-5', { by: 'supervisor-1' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'port_line', outcome: 'resolved' });
    expect(domain.backend.runs.map((run) => `${run.tool}@${run.key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1')}`)).toEqual([
      'send_sms@P-5:1:0',
      'port_number@P-5:1:1',
    ]);
    expect(recording.counts.refused).toBe(0);
  });
});

describe('parallel calls and crashes', () => {
  it('E4 E7 a worker that dies while two parallel calls run: recovery compensates both (outcome unknown) and the ticket settles', async () => {
    const domain = lineDomain();
    const hold = gate();
    const slow = (name: string) =>
      defineTool({
        name,
        input: z.object({ line: z.string() }),
        output: z.object({ ok: z.boolean() }),
        run: async (_input, context) => {
          domain.backend.runs.push({ tool: name, key: context.idempotencyKey });
          await hold.promise;
          return { ok: true };
        },
        compensate: (_input, _output, context) => void domain.compensations.push({ tool: name, key: context.idempotencyKey, reason: context.reason }),
      });
    const left = slow('left_call');
    const right = slow('right_call');
    const workflow = defineWorkflow({
      name: 'both',
      intent: domain.activate,
      required: [domain.line],
      tools: [left, right],
      run: async (context) => {
        await Promise.all([context.call(left, { line: context.slots.line }), context.call(right, { line: context.slots.line })]);
        return { status: 'resolved', reply: 'both' };
      },
    });
    const base = new MemoryTicketStore({ data: new MemoryStoreData() });
    const crashing = new CrashingTicketStore(base, { atWrite: 1_000, point: 'before-write' });
    const leaseMs = 300;
    const worker = (store: MemoryTicketStore | CrashingTicketStore, instanceId: string) =>
      createAgent({
        store,
        llm: new MockLLM({ fallback: { intent: 'activate', confidence: 0.95, entities: { line: 'L-100' } } }),
        intents: [domain.activate],
        workflows: [workflow],
        leaseMs,
        instanceId,
      });
    void worker(crashing, 'worker-a').handle({ ticketId: 'PAR-CRASH', message: 'both' });
    await waitFor(() => domain.backend.runs.length === 2, 5_000, 'both calls');
    crashing.crash();
    const journal = (await base.load('PAR-CRASH'))!.ticket as { execution: { steps: { state: string; tool: string }[] } };
    expect(journal.execution.steps.map((step) => [step.tool, step.state])).toEqual([
      ['left_call', 'started'],
      ['right_call', 'started'],
    ]);
    const sweeper = worker(base, 'worker-b');
    let recovered = 0;
    for (let round = 0; round < 40 && recovered === 0; round += 1) {
      recovered += (await sweeper.recover()).recovered;
      if (recovered === 0) await sleep(leaseMs / 3);
    }
    hold.open();
    expect(recovered).toBe(1);
    expect(domain.compensations.filter((entry) => entry.reason === 'recovered').map((entry) => entry.tool)).toEqual(['right_call', 'left_call']);
    expect((await sweeper.getTicket('PAR-CRASH'))?.execution).toBeNull();
  });
});

describe('caught ctx.call failures (issue 12.2)', () => {
  /** A workflow that tries `first` (catching its failure), then calls `then`. */
  function catching(domain: ReturnType<typeof lineDomain>, first: 'invalid' | 'throws' | 'undeclared', then: 'data' | 'approved') {
    const { data, broken, approved, sms } = domain.tools;
    const next = then === 'data' ? data : approved;
    return defineWorkflow({
      name: `catch_${first}_${then}`,
      intent: domain.activate,
      required: [domain.line],
      tools: [broken, next, data],
      run: async (context) => {
        let caught = '';
        try {
          if (first === 'invalid') await context.call(data, { line: '' });
          else if (first === 'throws') await context.call(broken, { line: context.slots.line });
          else await (context.call as (tool: unknown, input: unknown) => Promise<unknown>)(sms, { line: context.slots.line });
        } catch (error) {
          caught = (error as Error).name;
        }
        await context.call(next, { line: context.slots.line });
        return { status: 'resolved', reply: `recovered from ${caught}` };
      },
    });
  }

  for (const first of ['invalid', 'throws', 'undeclared'] as const) {
    it(`E3 E4 a caught ${first} call leaves no hole: steps 0..n-1, the failed one 'failed', and the execution completes`, async () => {
      const domain = lineDomain();
      if (first === 'throws') domain.backend.failTool('broken_switch', new NonRetryableError('boom'));
      const { agent, recording } = agentWith(domain, catching(domain, first, 'data'));
      const result = await agent.handle({ ticketId: `C-${first}`, message: 'activate' });
      expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
      expect(result.reply).toMatch(/^recovered from \w+Error$/);
      expect(result.ticket.execution).toBeNull();
      expect(recording.counts.refused).toBe(0);
      const journal = recording
        .committed(`C-${first}`)
        .map((commit) => (commit.request.ticket as { execution: { steps: unknown[] } | null }).execution?.steps ?? []);
      for (const steps of journal) expectDenseSteps(steps);
      const longest = journal.reduce((best, steps) => (steps.length > best.length ? steps : best), [] as unknown[]) as {
        state: string;
        ran?: boolean;
        tool: string;
      }[];
      expect(longest).toHaveLength(2);
      expect(longest[0]).toMatchObject({ state: 'failed', ran: first === 'throws' });
      // The last journal written before the result: the second call started after the failure was journaled.
      expect(longest[1]).toMatchObject({ tool: 'enable_data', state: expect.stringMatching(/^(started|completed)$/) });
      expect(result.ticket.outcomes[`catch_${first}_data`]?.calls?.map((call) => call.tool)).toEqual(['enable_data']);
      const { events } = await agent.inspect(`C-${first}`);
      expect(eventsOf(events, 'step.failed').map((event) => event.data.step)).toEqual([0]);
      expect(eventsOf(events, 'step.completed').map((event) => event.data.step)).toEqual([1]);
      // The next turn works normally (T5).
      const next = await agent.handle({ ticketId: `C-${first}`, message: 'thanks' });
      expect(next.action).toEqual({ type: 'acknowledge' });
    });
  }

  it('E3 a caught failure followed by a step that needs approval: approve finishes the execution', async () => {
    const domain = lineDomain();
    domain.backend.failTool('broken_switch', new NonRetryableError('boom'));
    const { agent, recording } = agentWith(domain, catching(domain, 'throws', 'approved'));
    const paused = await agent.handle({ ticketId: 'CA-1', message: 'activate' });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    expectDenseSteps(paused.ticket.execution!.steps);
    expect(paused.ticket.execution!.steps.map((step) => step.state)).toEqual(['failed', 'awaiting_approval']);
    const approved = await agent.approve('CA-1', { by: 'supervisor-1' });
    expect(approved.action).toEqual({ type: 'execute', workflow: 'catch_throws_approved', outcome: 'resolved' });
    expect(approved.ticket.status).toBe('resolved');
    expect(approved.ticket.execution).toBeNull();
    // The failed call is replayed from the journal, never called again.
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['broken_switch', 'port_number']);
    expect(recording.counts.refused).toBe(0);
  });

  it('E3 a caught failure followed by a step that needs approval: reject compensates the failed call (it may have taken effect) and closes', async () => {
    const domain = lineDomain();
    domain.backend.failTool('broken_switch', new NonRetryableError('boom'));
    const { agent } = agentWith(domain, catching(domain, 'throws', 'approved'));
    await agent.handle({ ticketId: 'CR-1', message: 'activate' });
    const rejected = await agent.reject('CR-1', { by: 'supervisor-1', note: 'no' });
    expect(rejected.action).toEqual({ type: 'cancelled', workflow: 'catch_throws_approved', reason: 'rejected' });
    expect(rejected.ticket.status).toBe('closed');
    expect(rejected.ticket.execution).toBeNull();
    expect(domain.backend.undos.map((undo) => undo.tool)).toEqual(['broken_switch']);
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['broken_switch']);
  });

  it('E3 a caught invalid-input call followed by an approval step: reject does not compensate the call that never ran', async () => {
    const domain = lineDomain();
    const { agent } = agentWith(domain, catching(domain, 'invalid', 'approved'));
    const paused = await agent.handle({ ticketId: 'CR-2', message: 'activate' });
    expect(paused.ticket.execution!.steps.map((step) => [step.state, step.ran])).toEqual([
      ['failed', false],
      ['awaiting_approval', undefined],
    ]);
    const rejected = await agent.reject('CR-2', { by: 'supervisor-1' });
    expect(rejected.ticket.status).toBe('closed');
    expect(domain.backend.runs).toEqual([]);
    expect(domain.backend.undos).toEqual([]);
  });

  it('E4 E7 recovery of a crashed execution whose journal holds caught failures compensates what may have run, in reverse order', async () => {
    const domain = lineDomain();
    domain.backend.failTool('broken_switch', new NonRetryableError('boom'));
    const { broken, data, sms } = domain.tools;
    const hold = gate();
    const holding = defineTool({
      name: 'slow_provision',
      input: z.object({ line: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: async (_input, context) => {
        domain.backend.runs.push({ tool: 'slow_provision', key: context.idempotencyKey });
        await hold.promise;
        return { ok: true };
      },
      compensate: (_input, _output, context) => {
        domain.compensations.push({ tool: 'slow_provision', key: context.idempotencyKey, reason: context.reason });
      },
    });
    const workflow = defineWorkflow({
      name: 'provision',
      intent: domain.activate,
      required: [domain.line],
      tools: [broken, data, sms, holding],
      run: async (context) => {
        try {
          await context.call(data, { line: '' });
        } catch {
          /* invalid input: never ran */
        }
        try {
          await context.call(broken, { line: context.slots.line });
        } catch {
          /* ran and failed */
        }
        await context.call(sms, { line: context.slots.line });
        await context.call(holding, { line: context.slots.line });
        return { status: 'resolved', reply: 'provisioned' };
      },
    });
    const data1 = new MemoryStoreData();
    const base = new MemoryTicketStore({ data: data1 });
    const crashing = new CrashingTicketStore(base, { atWrite: 1_000, point: 'before-write' });
    const leaseMs = 300;
    const worker = (store: typeof base | CrashingTicketStore, instanceId: string) =>
      createAgent({
        store,
        llm: new MockLLM({ fallback: { intent: 'activate', confidence: 0.95, entities: { line: 'L-100' } } }),
        intents: [domain.activate],
        workflows: [workflow],
        leaseMs,
        instanceId,
      });
    void worker(crashing, 'worker-a').handle({ ticketId: 'CRASH-1', message: 'provision', messageId: 'm-1' });
    await waitFor(() => domain.backend.runs.some((run) => run.tool === 'slow_provision'), 5_000, 'the slow step to start');
    crashing.crash();
    const journal = (await base.load('CRASH-1'))!.ticket as { status: string; execution: { steps: { state: string; ran?: boolean }[] } };
    expect(journal.status).toBe('executing');
    expectDenseSteps(journal.execution.steps);
    expect(journal.execution.steps.map((step) => [step.state, step.ran])).toEqual([
      ['failed', false],
      ['failed', true],
      ['completed', undefined],
      ['started', undefined],
    ]);

    const sweeper = worker(base, 'worker-b');
    let recovered = 0;
    for (let round = 0; round < 40 && recovered === 0; round += 1) {
      recovered += (await sweeper.recover()).recovered;
      if (recovered === 0) await sleep(leaseMs / 3);
    }
    expect(recovered).toBe(1);
    const ticket = await sweeper.getTicket('CRASH-1');
    expect(ticket?.execution).toBeNull();
    expect(ticket?.status).not.toBe('executing');
    // Reverse order; the invalid-input call never ran and is not compensated.
    const byRecovery = domain.compensations.filter((entry) => entry.reason === 'recovered');
    expect(byRecovery.map((entry) => entry.tool)).toEqual(['slow_provision', 'send_sms', 'broken_switch']);
    expect(domain.backend.live()).toEqual([]);
    const { events } = await sweeper.inspect('CRASH-1');
    expect(eventsOf(events, 'execution.recovered')).toHaveLength(1);
    expect(eventsOf(events, 'execution.recovered')[0]!.data).toMatchObject({ compensated: true, steps: 4 });
    expect(typesOf(events)).not.toContain('compensation.failed');
    hold.open();
  });
});
