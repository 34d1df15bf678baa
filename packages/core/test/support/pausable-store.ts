import type { CommitRequest, CommitResult, TicketStore } from '@ticketflow/core';
import { storeWithCommit } from './store-with-commit.js';

/**
 * A store whose commits can be frozen, as if the process using it were stopped (SIGSTOP):
 * while paused, commits wait; `resume` lets them through in order.
 */
export function pausableStore(inner: TicketStore): { store: TicketStore; pause: () => void; resume: () => void } {
  let gate: Promise<void> | null = null;
  let open = () => {};
  const store = storeWithCommit(inner, 'pausable', async (request: CommitRequest): Promise<CommitResult> => {
    while (gate) await gate;
    return inner.commit(request);
  });
  return {
    store,
    pause: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    resume: () => {
      gate = null;
      open();
    },
  };
}
