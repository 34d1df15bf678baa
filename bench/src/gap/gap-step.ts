import type { TicketStore } from '@ticketflow/core';
import { ticketIndexOf, type TicketStoreDriver } from '@ticketflow/core/adapter';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { floorBytes, type FloorFactory } from '../floors/floor.js';
import { onFreshTickets, type TicketTurn } from '../measure/fresh-ticket.js';
import type { Variant } from '../measure/interleave.js';
import { adapterTurn, seed } from '../scenarios/store-group.js';
import type { TurnShape } from '../turn-shapes.js';

/** One rung of a gap ladder: a way of doing the same turn, from the floor up to `handle` (a new steady-state ticket per block). */
export interface GapStep extends Variant {
  /** What this step adds to the previous one (cumulative steps) or to the floor (single steps). */
  adds: string;
  /** Cumulative steps form the ladder; a single step is the floor plus one change, to size that change alone. */
  single?: boolean;
}

function step(name: string, adds: string, base: string, open: TicketTurn, single = false): GapStep {
  return { ...onFreshTickets(name, base, open), adds, single };
}

/** A floor (or a floor with some of the adapter's features) as a step. */
export function floorStep(name: string, adds: string, floor: FloorFactory, shape: TurnShape, base: string, single = false): GapStep {
  return step(name, adds, base, (ticketId) => floor(ticketId, shape.turns), single);
}

/**
 * The adapter's backend part alone (its `TicketStoreDriver`, which `GuardedTicketStore`
 * wraps), given what the floors compute too: the document and events as `JSON.stringify`
 * text and the index fields (`ticketIndexOf`); the load's document is parsed as the store
 * would. Between the floor steps and the adapter, it splits the driver (statements,
 * checkout, timers, error phases) from the wrapper (validation, the storable-value walk,
 * decoding, in-flight tracking).
 */
export function driverStep(store: TicketStore, shape: TurnShape, base: string): GapStep {
  const driver = (store as unknown as { driver?: TicketStoreDriver }).driver;
  if (!driver) throw new Error(`[bench] ${store.name ?? 'this store'} has no driver to measure on its own`);
  return step(
    'driver only',
    "the adapter's own statements and driver code (checkout, timers, error phases), without GuardedTicketStore",
    base,
    async (ticketId) => {
      await seed(store, ticketId, shape);
      return async (index) => {
        const row = await driver.load(ticketId);
        JSON.parse(String(row!.document));
        let version = Number(row!.version);
        for (const commit of shape.turns[index % shape.turns.length]!) {
          const result = await driver.commit({ ticketId, expectedVersion: version, ...floorBytes(commit), index: ticketIndexOf(commit.ticket) });
          if (!result.ok) throw new Error('[bench] the driver-only turn lost its compare-and-set');
          version = result.version;
        }
      };
    },
  );
}

/** The store's `TicketStore` (the adapter as the core calls it), without the core. */
export function adapterStep(store: TicketStore, shape: TurnShape, base: string): GapStep {
  return step(
    'adapter (TicketStore)',
    'GuardedTicketStore: argument checks, the storable-value walk, encoding, decoding, in-flight tracking',
    base,
    async (ticketId) => {
      await seed(store, ticketId, shape);
      return adapterTurn(store, ticketId, shape);
    },
  );
}

/** A whole turn through `handle`. */
export function handleStep(store: TicketStore, kind: TurnKind, shape: TurnShape, base: string): GapStep {
  const agent = benchAgent(kind, store);
  return step(
    'ticketflow (handle)',
    "the core's turn: begin, decide (prompt, LLM call, parse), plan, finish, the document's new state",
    base,
    async (ticketId) => {
      await seed(store, ticketId, shape);
      return (index) => agent.handle(benchMessage(ticketId, index, 'gap'));
    },
  );
}
