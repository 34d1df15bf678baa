import type { CommitRequest, CommitResult, TicketStore } from '@ticketflow/core';

/** A store that passes every call to `inner` except `commit`, which `commit` wraps (to pause, race or fail commits in a test). */
export function storeWithCommit(inner: TicketStore, name: string, commit: (request: CommitRequest) => Promise<CommitResult>): TicketStore {
  return {
    name,
    load: (id) => inner.load(id),
    commit,
    events: (id, options) => inner.events(id, options),
    delete: (id) => inner.delete(id),
    list: (query) => inner.list(query),
    purge: (options) => inner.purge(options),
    close: () => inner.close(),
  };
}
