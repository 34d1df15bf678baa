import { afterAll, describe } from 'vitest';
import { describeConcurrency } from './concurrency.js';
import { createConformanceContext } from './conformance-context.js';
import type { TicketStoreConformanceOptions } from './conformance-context.js';
import { describeDeleteAndIncarnation } from './delete-and-incarnation.js';
import { describeDurability } from './durability.js';
import { describeEvents } from './events.js';
import { describeHostileValues } from './hostile-values.js';
import { describeList } from './list.js';
import { describeLoadAndCommit } from './load-commit.js';
import { describePurge } from './purge.js';

/**
 * The conformance suite every {@link TicketStore} passes (DESIGN §5). Call it inside a
 * vitest test file; it registers one `describe` block per contract area — load and commit,
 * events, delete and incarnations, list, purge, hostile ids and values, concurrency,
 * durability — and skips only by declared capability, never by adapter name.
 *
 * Every failure says what the contract requires and what the store did, e.g.
 * `DESIGN §5: a stale expectedVersion must be refused with { ok: false, reason: "conflict",
 * version: <current> } — the store returned {"ok":true,"version":3}`.
 *
 * @example
 * ```ts
 * import { runTicketStoreConformance } from '@ticketflow/core/testing';
 * runTicketStoreConformance({
 *   name: 'sqlite',
 *   create: ({ namespace }) => new SqliteTicketStore({ filename: file, namespace }),
 *   capabilities: { persistent: true, wipe: ({ namespace }) => deleteRowsOf(namespace) },
 * });
 * ```
 */
export function runTicketStoreConformance(options: TicketStoreConformanceOptions): void {
  const context = createConformanceContext(options);
  describe(`TicketStore conformance: ${options.name}`, () => {
    afterAll(() => context.releaseAll());
    describeLoadAndCommit(context);
    describeEvents(context);
    describeDeleteAndIncarnation(context);
    describeList(context);
    describePurge(context);
    describeHostileValues(context);
    describeConcurrency(context);
    describeDurability(context);
  });
}
