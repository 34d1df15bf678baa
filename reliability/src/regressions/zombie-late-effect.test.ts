import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZombieAgent } from './zombie-fixture.js';

/**
 * Found by the chaos suite's pause nemesis (rule `effects-accounted`: "issue_credit … is
 * still in effect, but its execution is recovered"); fixed in the core (commit 3f6535f),
 * guarded here — and, independently, the example's backend now refuses such late calls.
 *
 * A worker frozen (SIGSTOP: a GC or VM pause) in the middle of a tool call, past its
 * lease, is recovered by another worker, which compensates the started step — a no-op,
 * since the call has not taken effect yet. The frozen worker wakes up, its call takes
 * effect, and its next journal write fails with `ClaimLostError`. `runWorkflow` reported
 * `lost`, and `execute/execute-workflow.ts` only compensated a lost run when the ticket had
 * vanished: nobody undid the late effect, although a lost claim can only mean a recovery
 * that rolled the execution back. The tool here has no tombstone: its compensation meets E4
 * (idempotent, safe when the call never took effect) and nothing more.
 */
describe('core regression: a worker frozen past its lease in the middle of a tool call', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-zombie-'));
  const ticketsFile = join(directory, 'tickets.db');
  const effectsFile = join(directory, 'effects.db');
  let child: ChildProcess | undefined;
  let outcome: { recovered: boolean; zombieAction: unknown; effects: string[] };

  beforeAll(async () => {
    child = fork(fileURLToPath(new URL('./zombie-worker.ts', import.meta.url)), [ticketsFile, effectsFile], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const [started] = (await once(child, 'message')) as [{ type: string; key: string }];
    child.kill('SIGSTOP');
    expect(started.type).toBe('started');
    await sleep(800); // the zombie's 500 ms lease expires while it is frozen

    const store = new SqliteTicketStore({ filename: ticketsFile });
    const rescuer = createZombieAgent({ store, effectsFile, instanceId: 'rescuer', leaseMs: 500 });
    await rescuer.agent.handle({ ticketId: 'Z', message: 'hello?', messageId: 'm2' });
    const { events } = await rescuer.agent.inspect('Z');

    const done = once(child, 'message');
    child.kill('SIGCONT');
    const [message] = (await done) as [{ action: unknown }];
    outcome = { recovered: events.some((event) => event.type === 'execution.recovered'), zombieAction: message.action, effects: rescuer.effects() };
    await store.close();
    rescuer.close();
  }, 30_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  it('is recovered by another worker, and learns on waking that it lost its claim', () => {
    expect(outcome.recovered).toBe(true);
    expect(outcome.zombieAction).toMatchObject({ type: 'execute', outcome: 'failed', reason: 'claim_lost' });
  });

  it('leaves no effect behind: the call that took effect after the recovery is compensated', () => {
    expect(outcome.effects).toEqual([]);
  });
});
