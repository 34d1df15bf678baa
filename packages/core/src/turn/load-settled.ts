import { readTicket } from '../document/ticket-document.js';
import type { OperationObserver } from '../events/instrumentation.js';
import type { Runtime } from '../runtime/runtime.js';
import { StoreError } from '../store/store-error.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { sleep } from '../util/sleep.js';
import { recoverExecution } from './recover-execution.js';
import { withPlainSensitiveSealed } from './seal-plain-sensitive.js';

/**
 * Loads a ticket that no other worker is executing (T6): waits for a live claim (bounded by
 * `claimWaitMs`) and recovers an abandoned one first (E4). Null when there is no ticket.
 * @throws {StoreError} `conflict` when another worker kept the ticket past `claimWaitMs`
 * (retry later with the same `messageId`); `unavailable` when the store cannot be reached.
 */
export async function loadSettled(runtime: Runtime, ticketId: string, observer: OperationObserver | undefined): Promise<LoadedTicket | null> {
  const { settings, store, claims } = runtime;
  const deadline = settings.elapsed() + settings.claimWaitMs;
  for (;;) {
    const stored = await store.load(ticketId);
    if (!stored) return null;
    const loaded: LoadedTicket = { ticket: withPlainSensitiveSealed(runtime, readTicket(stored.ticket, ticketId)), version: stored.version };
    const claim = claims.assess(ticketId, loaded.version, loaded.ticket.execution, settings.instanceId);
    if (claim.state === 'none') return loaded;
    if (claim.state === 'abandoned') {
      const recovered = await recoverExecution(runtime, loaded, claim.observedMs, observer);
      if (recovered) return recovered;
      continue;
    }
    if (settings.elapsed() >= deadline) {
      throw new StoreError({
        kind: 'conflict',
        adapter: 'core',
        outcome: 'not_applied',
        message: 'the ticket is being executed by another worker; retry later with the same messageId',
      });
    }
    await sleep(Math.max(1, Math.min(claim.waitMs + 1, Math.max(20, settings.leaseMs / 4), deadline - settings.elapsed())));
  }
}
