import type { TicketStore } from '../../store/ticket-store.js';

/** What a store adapter can do beyond the contract; the suite skips by capability only. */
export interface TicketStoreCapabilities {
  /** Data outlives the store instance (a new instance on the same backend sees it). */
  persistent?: boolean;
  /**
   * The store supports a retention setting of its own (Redis `ttlMs`). The function creates
   * a store whose tickets expire `ttlMs` after their last commit. Every store also retains
   * through `purge`, which the suite always checks.
   */
  ttl?: (context: { namespace: string; ttlMs: number }) => TicketStore | Promise<TicketStore>;
  /**
   * Makes the backend lose every ticket of `namespace` behind the store's back, as a Redis
   * restarted without persistence or a restored older backup would (e.g. Redis: delete the
   * namespace's keys; SQL: `DELETE` the namespace's rows without the adapter). Stores that
   * were created on the namespace stay open. Enables the tests of commits prepared before
   * the loss.
   */
  wipe?: (context: { namespace: string }) => void | Promise<void>;
}

/** Options of {@link runTicketStoreConformance}. */
export interface TicketStoreConformanceOptions {
  /** Shown in the test names, e.g. `postgres`. */
  name: string;
  /** Creates a store on the given namespace. Called several times, also with the same namespace. */
  create: (context: { namespace: string }) => TicketStore | Promise<TicketStore>;
  /** Releases a store created by `create`; default `store.close()`. */
  destroy?: (store: TicketStore) => Promise<void>;
  capabilities?: TicketStoreCapabilities;
  /** Per-test timeout in ms (default 30 000). */
  timeoutMs?: number;
}

/** What every contract area of the suite gets: how to open stores, and the options. */
export interface ConformanceContext {
  readonly capabilities: TicketStoreCapabilities;
  /** `{ timeout }` for `it`. */
  readonly test: { timeout: number };
  /** A namespace no other test of this run uses. */
  newNamespace(): string;
  /** Opens a store (on a fresh namespace unless one is given); closed after the suite. */
  open(namespace?: string): Promise<TicketStore>;
  /** Closes a store early (e.g. to reopen its namespace). */
  release(store: TicketStore): Promise<void>;
  /** Registers a store created elsewhere (e.g. by `capabilities.ttl`) for closing after the suite. */
  adopt(store: TicketStore): void;
  /** Closes every store still open. */
  releaseAll(): Promise<void>;
}

/** Builds the context of one suite run. */
export function createConformanceContext(options: TicketStoreConformanceOptions): ConformanceContext {
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const opened: TicketStore[] = [];
  let namespaceCounter = 0;
  const release = async (store: TicketStore) => {
    const index = opened.indexOf(store);
    if (index >= 0) opened.splice(index, 1);
    await (options.destroy ? options.destroy(store) : store.close());
  };
  const context: ConformanceContext = {
    capabilities: options.capabilities ?? {},
    test: { timeout: options.timeoutMs ?? 30_000 },
    newNamespace: () => `tfconf_${runId}_${(namespaceCounter += 1)}`,
    async open(namespace = context.newNamespace()) {
      const store = await options.create({ namespace });
      opened.push(store);
      return store;
    },
    release,
    adopt: (store) => void opened.push(store),
    async releaseAll() {
      for (const store of [...opened]) await release(store);
    },
  };
  return context;
}
