import type { TicketStore } from '@ticketflow/core';

/** The outcome of a readiness check. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Checks that the store answers (a `load` of a reserved id), within `timeoutMs`.
 * Concurrent checks share one probe, so a burst of `/readyz` calls costs one round trip.
 */
export class StoreReadiness {
  private running: Promise<Readiness> | undefined;

  constructor(
    private readonly store: TicketStore,
    private readonly timeoutMs = 3_000,
  ) {}

  check(): Promise<Readiness> {
    this.running ??= this.probe().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async probe(): Promise<Readiness> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Readiness>((resolve) => {
      timer = setTimeout(() => resolve({ ready: false, reason: `the store did not answer within ${this.timeoutMs} ms` }), this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.store.load('__ticketflow_readyz__').then((): Readiness => ({ ready: true })), timeout]);
    } catch (error) {
      return { ready: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
