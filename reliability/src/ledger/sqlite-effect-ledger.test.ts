import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TelecomBackend } from '@ticketflow/example-telecom-support';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEffectLedger } from './sqlite-effect-ledger.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-ledger-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const run = promisify(execFile);

describe('SqliteEffectLedger', () => {
  it('E5 applies once per key across two backends (two processes) and replays the recorded output', async () => {
    const filename = join(directory, 'replay.db');
    const first = new SqliteEffectLedger({ filename, worker: 'w1' });
    const second = new SqliteEffectLedger({ filename, worker: 'w2' });
    const a = new TelecomBackend({ latencyMs: 0, ledger: first });
    const b = new TelecomBackend({ latencyMs: 0, ledger: second });
    const credit = await a.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'T:1:0');
    expect(await b.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'T:1:0')).toEqual(credit);
    const { effects, calls } = first.readHistory();
    expect(effects).toEqual([expect.objectContaining({ key: 'T:1:0', operation: 'issue_credit', output: credit, appliedBy: 'w1', applications: 1 })]);
    expect(calls.map((call) => `${call.worker}:${call.kind}:${call.result}`)).toEqual(['w1:run:ok', 'w2:run:replayed']);
    first.close();
    second.close();
  });

  it('E4 undoes idempotently from any process; an undo is final: a late call with the key is refused', async () => {
    const filename = join(directory, 'undo.db');
    const first = new SqliteEffectLedger({ filename, worker: 'w1' });
    const second = new SqliteEffectLedger({ filename, worker: 'w2' });
    const a = new TelecomBackend({ latencyMs: 0, ledger: first });
    const b = new TelecomBackend({ latencyMs: 0, ledger: second });
    await a.changePlan({ account: 'A', plan: 'plus' }, 'T:1:0');
    await b.revertPlanChange('T:1:0');
    await a.revertPlanChange('T:1:0');
    await b.reverseCredit('T:2:0');
    expect(a.liveEffects()).toEqual([]);
    await expect(a.changePlan({ account: 'A', plan: 'plus' }, 'T:1:0')).rejects.toMatchObject({ retryable: false });
    await expect(a.issueCredit({ account: 'A', amount: 90, reason: 'late' }, 'T:2:0')).rejects.toMatchObject({ retryable: false });
    const history = first.readHistory();
    expect(history.effects).toEqual([expect.objectContaining({ key: 'T:1:0', undoneBy: 'w2', undoneAt: expect.any(String), applications: 1 })]);
    expect(history.cancelledKeys).toEqual(['T:2:0']);
    expect(history.refusedCalls).toBe(2);
    expect(history.calls.map((call) => `${call.worker}:${call.kind}:${call.result}`)).toEqual([
      'w1:run:ok',
      'w2:undo:ok',
      'w1:undo:noop',
      'w2:undo:noop',
      'w1:run:failed',
      'w1:run:failed',
    ]);
    first.close();
    second.close();
  });

  it('records injected faults durably', () => {
    const ledger = new SqliteEffectLedger({ filename: join(directory, 'faults.db'), worker: 'w1' });
    ledger.recordFault('llm', 'rate_limited');
    ledger.recordFault('tool', 'hang');
    expect(ledger.readHistory().faults).toEqual([
      { worker: 'w1', source: 'llm', kind: 'rate_limited' },
      { worker: 'w1', source: 'tool', kind: 'hang' },
    ]);
    ledger.close();
  });

  it('4 processes racing on the same 100 keys produce each key exactly once (atomic insert-or-return)', { timeout: 60_000 }, async () => {
    const filename = join(directory, 'race.db');
    new SqliteEffectLedger({ filename, worker: 'setup' }).close();
    const worker = fileURLToPath(new URL('./apply-race-worker.ts', import.meta.url));
    const startAt = String(Date.now() + 2_500);
    const outputs = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((name) => run(process.execPath, ['--import', 'tsx', worker, filename, name, '100', startAt])),
    );
    const produced = outputs.flatMap((output) => JSON.parse(output.stdout) as string[]);
    expect(produced.sort()).toEqual(Array.from({ length: 100 }, (_unused, index) => `K:${index}`).sort());
    const ledger = new SqliteEffectLedger({ filename, worker: 'checker' });
    expect(ledger.readHistory().effects.every((effect) => effect.applications === 1)).toBe(true);
    ledger.close();
  });
});
