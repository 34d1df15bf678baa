import { BackendError, type BackendCall, type EffectLedger, type TelecomBackendOptions } from '@ticketflow/example-telecom-support';

/** Options of {@link ChaosBackend}. */
export interface ChaosBackendOptions {
  /** Where effects are recorded once per idempotency key (the run's shared ledger). */
  ledger: EffectLedger;
  /** Chooses a fault per call, as for the example's backend. */
  faultPlan?: TelecomBackendOptions['faultPlan'];
  /** Simulated latency per call, `[min, max]` ms. */
  latencyMs: readonly [number, number];
}

/**
 * The backend of the procedures domain: generic operations on the run's shared effect ledger
 * with the same faults as the example's backend (errors, refusals, hangs past the timeout,
 * lost replies; failed first undos). Each effect takes place once per idempotency key; an undo
 * is final (a later call with the key is refused), so the checker reads one record of every
 * effect of every worker process.
 */
export class ChaosBackend {
  constructor(private readonly options: ChaosBackendOptions) {}

  /** Performs `operation` once per key; `produce` makes its output (deterministic per key). */
  async perform<T>(operation: string, key: string, input: unknown, signal: AbortSignal, produce: () => T): Promise<T> {
    const fault = this.options.faultPlan?.({ operation, key, kind: 'run' }) ?? null;
    if (fault === 'hang') {
      this.record({ operation, key, kind: 'run', result: 'hung' });
      return hang(operation, signal);
    }
    await this.delay(signal);
    if (fault === 'fail' || fault === 'refuse') {
      this.record({ operation, key, kind: 'run', result: 'failed' });
      throw new BackendError(operation, fault === 'refuse' ? 'the service answered 422 Unprocessable Entity' : 'the service answered 503 Service Unavailable', {
        retryable: fault !== 'refuse',
      });
    }
    const applied = this.options.ledger.apply({ operation, key, input, at: new Date().toISOString() }, produce);
    if (applied.status === 'cancelled') {
      this.record({ operation, key, kind: 'run', result: 'failed' });
      throw new BackendError(operation, 'the call was cancelled: its idempotency key was already compensated', { retryable: false });
    }
    this.record({ operation, key, kind: 'run', result: applied.status === 'replayed' ? 'replayed' : 'ok' });
    if (fault === 'lose-reply') throw new BackendError(operation, 'the connection dropped before the answer arrived');
    return applied.output as T;
  }

  /** Undoes the effect of `operation` under `key` (idempotent, final, harmless when it never took effect). */
  async undo(operation: string, key: string, signal: AbortSignal): Promise<void> {
    const fault = this.options.faultPlan?.({ operation, key, kind: 'undo' }) ?? null;
    await this.delay(signal);
    if (fault === 'fail' || fault === 'refuse' || fault === 'hang') {
      this.record({ operation, key, kind: 'undo', result: 'failed' });
      throw new BackendError(operation, 'undo refused: the record is locked by another process');
    }
    const undone = this.options.ledger.undo({ operation, key, at: new Date().toISOString() }, () => undefined);
    this.record({ operation, key, kind: 'undo', result: undone ? 'ok' : 'noop' });
  }

  private record(call: BackendCall): void {
    this.options.ledger.recordCall?.(call);
  }

  private delay(signal: AbortSignal): Promise<void> {
    const [min, max] = this.options.latencyMs;
    const ms = min + Math.random() * (max - min);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError(signal, 'call'));
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal, 'call'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function hang(operation: string, signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal, operation));
    signal.addEventListener('abort', () => reject(abortError(signal, operation)), { once: true });
  });
}

function abortError(signal: AbortSignal, operation: string): Error {
  return signal.reason instanceof Error ? signal.reason : new BackendError(operation, 'aborted by the caller');
}
