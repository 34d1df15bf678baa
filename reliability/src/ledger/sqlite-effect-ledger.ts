import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BackendCall, BackendEffect, TelecomBackend } from '@ticketflow/example-telecom-support';
import type { FaultRecord, FaultSource, LedgerCall, LedgerEffect, LedgerHistory } from './ledger-records.js';

/** The ledger contract of the example's backend (`TelecomBackendOptions.ledger`). */
export type EffectLedger = TelecomBackend['ledger'];

/** What {@link EffectLedger.apply} returns. */
type ApplyResult = ReturnType<EffectLedger['apply']>;

/** Options of {@link SqliteEffectLedger}. */
export interface SqliteEffectLedgerOptions {
  /** The shared database file (created with its tables when missing). */
  filename: string;
  /** This process's worker instance, stamped on every row it writes. */
  worker: string;
  /** How long a write waits for another process's lock. Default 10 000 ms. */
  busyTimeoutMs?: number;
  /** Told about every call after it is recorded (e.g. to report it to a driver). */
  onCall?: (call: BackendCall) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS effects (
  key TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT NOT NULL,
  applied_at TEXT,
  applied_by TEXT,
  applications INTEGER NOT NULL,
  undone_at TEXT,
  undone_by TEXT,
  refusals INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS calls (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  operation TEXT NOT NULL,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  result TEXT NOT NULL,
  worker TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  worker TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL
);`;

interface EffectRow {
  key: string;
  operation: string;
  input: string;
  output: string;
  applied_at: string | null;
  applied_by: string | null;
  applications: number;
  undone_at: string | null;
  undone_by: string | null;
  refusals: number;
}

/**
 * A real backend shared by every worker process of a run: the example backend's effect
 * ledger on one SQLite file (WAL, busy timeout). One row per idempotency key with its
 * applied and undone times; applying is an atomic insert-or-return (`BEGIN IMMEDIATE`),
 * undoing an atomic update. An undo is final: a key undone before it took effect gets a
 * tombstone row (no application), and a call arriving later with an undone key is
 * refused (counted in `refusals`). It also records every call (run/undo, key, worker,
 * result) and every injected fault, which the history checker and the summary read.
 */
export class SqliteEffectLedger implements EffectLedger {
  private readonly database: Database.Database;
  private readonly worker: string;
  private readonly onCall: ((call: BackendCall) => void) | undefined;
  private readonly statements;

  constructor(options: SqliteEffectLedgerOptions) {
    mkdirSync(dirname(options.filename), { recursive: true });
    this.database = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 10_000 });
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    this.database.exec(SCHEMA);
    this.worker = options.worker;
    this.onCall = options.onCall;
    const database = this.database;
    this.statements = {
      find: database.prepare<[string], EffectRow>('SELECT * FROM effects WHERE key = ?'),
      insert: database.prepare('INSERT INTO effects (key, operation, input, output, applied_at, applied_by, applications) VALUES (?, ?, ?, ?, ?, ?, 1)'),
      tombstone: database.prepare(
        "INSERT INTO effects (key, operation, input, output, applications, undone_at, undone_by) VALUES (?, ?, 'null', 'null', 0, ?, ?)",
      ),
      refuse: database.prepare('UPDATE effects SET refusals = refusals + 1 WHERE key = ?'),
      reapply: database.prepare(
        'UPDATE effects SET operation = ?, input = ?, output = ?, applied_at = ?, applied_by = ?, applications = applications + 1, undone_at = NULL, undone_by = NULL WHERE key = ?',
      ),
      markUndone: database.prepare('UPDATE effects SET undone_at = ?, undone_by = ? WHERE key = ? AND operation = ? AND undone_at IS NULL'),
      all: database.prepare<[], EffectRow>('SELECT * FROM effects WHERE applications > 0 ORDER BY rowid'),
      tombstones: database.prepare<[], { key: string; refusals: number }>('SELECT key, refusals FROM effects WHERE applications = 0 ORDER BY rowid'),
      refusals: database.prepare<[], { total: number | null }>('SELECT SUM(refusals) AS total FROM effects'),
      recordCall: database.prepare('INSERT INTO calls (operation, key, kind, result, worker, at) VALUES (?, ?, ?, ?, ?, ?)'),
      calls: database.prepare<[], { seq: number; operation: string; key: string; kind: string; result: string; worker: string; at: string }>(
        'SELECT * FROM calls ORDER BY seq',
      ),
      recordFault: database.prepare('INSERT INTO faults (worker, source, kind) VALUES (?, ?, ?)'),
      faults: database.prepare<[], { worker: string; source: string; kind: string }>('SELECT worker, source, kind FROM faults ORDER BY seq'),
    };
  }

  apply(request: { operation: string; key: string; input: unknown; at: string }, produce: () => unknown): ApplyResult {
    const transaction = this.database.transaction((): ApplyResult => {
      const row = this.statements.find.get(request.key);
      if (row && row.undone_at !== null) {
        this.statements.refuse.run(request.key);
        return { status: 'cancelled' };
      }
      if (row && row.operation === request.operation) return { status: 'replayed', output: JSON.parse(row.output) as unknown };
      const output = produce();
      const values = [request.operation, JSON.stringify(request.input ?? null), JSON.stringify(output ?? null), request.at, this.worker] as const;
      if (row) this.statements.reapply.run(...values, request.key);
      else this.statements.insert.run(request.key, ...values);
      return { status: 'applied', output };
    });
    return transaction.immediate();
  }

  undo(request: { operation: string; key: string; at: string }, revert: (effect: BackendEffect) => void): BackendEffect | null {
    const transaction = this.database.transaction(() => {
      const row = this.statements.find.get(request.key);
      if (!row) {
        this.statements.tombstone.run(request.key, request.operation, request.at, this.worker);
        return null;
      }
      if (row.operation !== request.operation || row.undone_at !== null) return null;
      const effect = toEffect(row);
      revert(effect);
      this.statements.markUndone.run(request.at, this.worker, request.key, request.operation);
      return effect;
    });
    return transaction.immediate();
  }

  list(): BackendEffect[] {
    return this.statements.all.all().map(toEffect);
  }

  recordCall(call: BackendCall): void {
    this.statements.recordCall.run(call.operation, call.key, call.kind, call.result, this.worker, new Date().toISOString());
    this.onCall?.(call);
  }

  /** Records one injected fault (kept even if this process is killed right after). */
  recordFault(source: FaultSource, kind: string): void {
    this.statements.recordFault.run(this.worker, source, kind);
  }

  /** Everything recorded by every process, for the checker. */
  readHistory(): LedgerHistory {
    const effects: LedgerEffect[] = this.statements.all.all().map((row) => ({
      ...toEffect(row),
      appliedBy: row.applied_by ?? '',
      applications: row.applications,
      ...(row.undone_by !== null ? { undoneBy: row.undone_by } : {}),
    }));
    const calls = this.statements.calls.all().map((row) => ({ ...row, kind: row.kind as LedgerCall['kind'], result: row.result as LedgerCall['result'] }));
    const faults = this.statements.faults.all().map((row) => ({ ...row, source: row.source as FaultSource })) satisfies FaultRecord[];
    const cancelledKeys = this.statements.tombstones.all().map((row) => row.key);
    return { effects, calls, faults, cancelledKeys, refusedCalls: this.statements.refusals.get()?.total ?? 0 };
  }

  close(): void {
    this.database.close();
  }
}

function toEffect(row: EffectRow): BackendEffect {
  return {
    operation: row.operation,
    key: row.key,
    input: JSON.parse(row.input) as unknown,
    output: JSON.parse(row.output) as unknown,
    at: row.applied_at ?? '',
    ...(row.undone_at !== null ? { undoneAt: row.undone_at } : {}),
  };
}
