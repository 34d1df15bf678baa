import { BoundedMap } from './bounded-map.js';

/** A Set that keeps its newest `limit` members. */
class BoundedSet<T> extends Set<T> {
  constructor(private readonly limit: number) {
    super();
  }

  override add(value: T): this {
    super.delete(value);
    super.add(value);
    while (this.size > this.limit) super.delete(this.values().next().value as T);
    return this;
  }
}

/** One effect the backend performed, recorded under its idempotency key. */
export interface BackendEffect {
  operation: string;
  key: string;
  input: unknown;
  output: unknown;
  at: string;
  /** Set once the effect was undone (compensated). */
  undoneAt?: string;
}

/** One call the backend received (including repeats of a key and failed calls). */
export interface BackendCall {
  operation: string;
  key: string;
  kind: 'run' | 'undo';
  result: 'ok' | 'replayed' | 'failed' | 'hung' | 'noop';
}

/** What {@link EffectLedger.apply} is asked to record. */
export interface EffectRequest {
  operation: string;
  key: string;
  input: unknown;
  /** ISO time of the application. */
  at: string;
}

/** What {@link EffectLedger.apply} did. */
export type ApplyResult =
  /** The effect took place now (`produce` ran) or had taken place before (its recorded output). */
  | { status: 'applied' | 'replayed'; output: unknown }
  /** The key was compensated before this call arrived: the call must not take effect. */
  | { status: 'cancelled' };

/**
 * Where a {@link TelecomBackend} keeps its effects: the record that makes every call act
 * once per idempotency key (DESIGN E5) and every undo idempotent and final (E4). The
 * default, {@link MemoryEffectLedger}, lives in the backend's process. A ledger shared by
 * several processes (a database table) plays a real backend that all workers of one store
 * talk to: a recovery in one process can then undo what a killed process did, and an audit
 * can read every effect afterwards.
 *
 * An undo is final: it leaves a tombstone under the key even when nothing had taken effect
 * yet, and a call that arrives later with that key is cancelled. Without it, a call that
 * was slow to arrive — sent by a worker that froze past its lease while another worker
 * recovered the execution — would take effect after its compensation and stay.
 *
 * The methods are synchronous so that check-and-record is one atomic step in the caller's
 * process; a shared implementation makes each call one transaction.
 */
export interface EffectLedger {
  /**
   * Applies an effect once per key. When a live effect of `operation` is recorded under
   * `key`, returns its recorded output (`replayed`) without calling `produce`; when the key
   * was undone (or cancelled before it took effect), returns `cancelled` without calling
   * `produce`. Otherwise calls `produce` (which performs the effect and returns its
   * output), records the effect and returns it (`applied`). Atomic: two callers of one
   * key never both produce.
   * @throws whatever `produce` throws; nothing is recorded then.
   */
  apply(request: EffectRequest, produce: () => unknown): ApplyResult;
  /**
   * Marks the live effect of `operation` under `key` undone and returns it as it was
   * (`revert` runs first, to undo the effect's side state). Returns null when there is no
   * live effect — undoing twice, or a key that never took effect, is a harmless no-op — but
   * a key that never took effect is still tombstoned: it can no longer take effect.
   */
  undo(request: { operation: string; key: string; at: string }, revert: (effect: BackendEffect) => void): BackendEffect | null;
  /** Every effect it remembers (undone ones included), in the order they were applied. */
  list(): BackendEffect[];
  /** Optional audit of every call the backend received (repeats and failures included). */
  recordCall?(call: BackendCall): void;
}

/** Options of {@link MemoryEffectLedger}. */
export interface MemoryEffectLedgerOptions {
  /**
   * How many effects (and how many keys undone before they took effect) it remembers; past
   * that the oldest are forgotten, so memory does not grow with traffic. A key must be
   * remembered while its execution can still retry or compensate it: give room for every
   * execution in flight or suspended. Default 10,000.
   */
  capacity?: number;
}

/** The default ledger: a bounded map in this process. */
export class MemoryEffectLedger implements EffectLedger {
  /** Effects by idempotency key, oldest first. */
  readonly effects: Map<string, BackendEffect>;
  /** Keys undone before they took effect: a call arriving with one of them is cancelled. */
  readonly cancelled: Set<string>;
  readonly capacity: number;

  constructor(options: MemoryEffectLedgerOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.effects = new BoundedMap(this.capacity);
    this.cancelled = new BoundedSet(this.capacity);
  }

  apply(request: EffectRequest, produce: () => unknown): ApplyResult {
    const recorded = this.effects.get(request.key);
    if (this.cancelled.has(request.key) || recorded?.undoneAt !== undefined) return { status: 'cancelled' };
    if (recorded && recorded.operation === request.operation) return { status: 'replayed', output: recorded.output };
    const output = produce();
    this.effects.set(request.key, { operation: request.operation, key: request.key, input: request.input, output, at: request.at });
    return { status: 'applied', output };
  }

  undo(request: { operation: string; key: string; at: string }, revert: (effect: BackendEffect) => void): BackendEffect | null {
    const effect = this.effects.get(request.key);
    if (!effect) {
      this.cancelled.add(request.key);
      return null;
    }
    if (effect.operation !== request.operation || effect.undoneAt !== undefined) return null;
    revert(effect);
    const before = { ...effect };
    effect.undoneAt = request.at;
    return before;
  }

  list(): BackendEffect[] {
    return [...this.effects.values()];
  }
}
