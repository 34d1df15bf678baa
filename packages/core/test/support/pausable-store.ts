import type { CommitRequest, CommitResult, TicketStore } from '@ticketflow/core';

/**
 * A store whose commits can be frozen, as if the process using it were stopped (SIGSTOP):
 * while paused, commits wait; `resume` lets them through in order.
 */
export function pausableStore(inner: TicketStore): { store: TicketStore; pause: () => void; resume: () => void } {
  let gate: Promise<void> | null = null;
  let open = () => {};
  const store: TicketStore = {
    name: 'pausable',
    load: (id) => inner.load(id),
    commit: async (request: CommitRequest): Promise<CommitResult> => {
      while (gate) await gate;
      return inner.commit(request);
    },
    events: (id, options) => inner.events(id, options),
    delete: (id) => inner.delete(id),
    list: (query) => inner.list(query),
    purge: (options) => inner.purge(options),
    close: () => inner.close(),
  };
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
