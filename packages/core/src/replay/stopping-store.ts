import { StoreError } from '../store/store-error.js';
import type { TicketStore } from '../store/ticket-store.js';

/**
 * The replay's scratch store, which stops taking writes while `stopped()` holds: where the
 * recording shows a worker that stopped in the middle of an execution (a crash, or a claim
 * lost to another worker), the replayed worker's later writes are lost the same way, so the
 * scratch ticket is left as the recorded one was — executing, its call journaled as started —
 * for the recorded recovery to take over.
 */
export function stoppingStore(store: TicketStore, stopped: () => boolean): TicketStore {
  const refuse = () => new StoreError({ kind: 'unavailable', adapter: 'replay', message: 'replay: the recorded worker stopped here', outcome: 'not_applied' });
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'commit' || property === 'delete' || property === 'purge')
        return (...args: unknown[]) => (stopped() ? Promise.reject(refuse()) : (value as (...a: unknown[]) => unknown).apply(target, args));
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
