import type { TicketStore } from '@ticketflow/core';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { onFreshTickets } from '../measure/fresh-ticket.js';
import { interleave, type CallCounter, type InterleaveOptions, type Variant } from '../measure/interleave.js';
import { round, type Measurement } from '../measure/measurement.js';
import { peerVariant } from '../peer/langgraph-peer.js';
import type { Backend, Rig } from '../stores/backends.js';
import { documentFor, type TurnShape } from '../turn-shapes.js';

/**
 * The variants of a group, by role: ticketflow's turns, the adapter-only turns, the floors,
 * and LangGraph's turns.
 */
export type Role =
  | 'ask'
  | 'askAdapter'
  | 'askFloor'
  | 'execute'
  | 'executeAdapter'
  | 'executeFloor'
  | 'degraded'
  | 'degradedFloor'
  | 'degradedOpen'
  | 'degradedOpenFloor'
  | 'peerAsk'
  | 'peerExecute';

export interface GroupResult {
  backend: Backend['id'];
  label: string;
  callsLabel: string | null;
  floorLabel: string;
  /** Writes per execute turn (commits of the captured turn), and so of its floor. */
  executeWrites: number;
  peer: { label: string } | { missing: string };
  measurements: Partial<Record<Role, Measurement>>;
}

/** Turns per variant in the count pass (after two unmeasured ones). */
const COUNTED_TURNS = 10;

/**
 * Scenarios 1, 2 and 5 on one backend, interleaved in one set of rounds: ticketflow's ask
 * and execute turns through `handle`, the same load and commits through the adapter alone,
 * the floors (the minimal statements for the same bytes), and LangGraph's equivalent turns
 * on the same backend. On the memory store it adds the degraded turns. Then a short count
 * pass runs each variant again through counting drivers to count driver calls per turn.
 */
export async function runStoreGroup(backend: Backend, shapes: Record<TurnKind, TurnShape>, options: InterleaveOptions): Promise<GroupResult> {
  const plan = planVariants(backend, shapes);
  const variants = await buildVariants(backend, plan, '');
  const results = await interleave(
    variants.map((entry) => entry.variant),
    options,
  );
  const measurements: GroupResult['measurements'] = {};
  variants.forEach((entry, index) => (measurements[entry.role] = results[index]!));
  if (backend.counting) {
    const counted = await buildVariants(backend.counting, plan, 'count-');
    for (const entry of counted) {
      const calls = await countCalls(entry.variant, backend.counting.counter);
      if (measurements[entry.role]) measurements[entry.role]!.storeCallsPerTurn = calls;
    }
  }
  return {
    backend: backend.id,
    label: backend.label,
    callsLabel: backend.callsLabel,
    floorLabel: backend.floorLabel,
    executeWrites: shapes.execute.commits.length,
    peer: 'missing' in backend.peer ? { missing: backend.peer.missing } : { label: backend.peer.label },
    measurements,
  };
}

type Planned = { role: Role; name: string } & ({ side: 'handle' | 'adapter' | 'floor'; kind: TurnKind } | { side: 'peer'; kind: 'ask' | 'execute' });

function planVariants(backend: Backend, shapes: Record<TurnKind, TurnShape>): Planned[] {
  const writes = shapes.execute.commits.length;
  const plan: Planned[] = [
    { role: 'ask', name: 'ticketflow: ask turn', side: 'handle', kind: 'ask' },
    { role: 'askAdapter', name: 'adapter only: store.load + store.commit (ask)', side: 'adapter', kind: 'ask' },
    { role: 'askFloor', name: 'floor: 1 load + 1 write (ask)', side: 'floor', kind: 'ask' },
    { role: 'execute', name: 'ticketflow: execute turn (2 tools)', side: 'handle', kind: 'execute' },
    { role: 'executeAdapter', name: `adapter only: store.load + ${writes} × store.commit (execute)`, side: 'adapter', kind: 'execute' },
    { role: 'executeFloor', name: `floor: 1 load + ${writes} writes (execute)`, side: 'floor', kind: 'execute' },
  ];
  if (backend.id === 'memory') {
    plan.push(
      { role: 'degraded', name: 'ticketflow: degraded turn (LLM call fails)', side: 'handle', kind: 'degraded' },
      { role: 'degradedFloor', name: `floor: 1 load + ${shapes.degraded.commits.length} write (degraded)`, side: 'floor', kind: 'degraded' },
      { role: 'degradedOpen', name: 'ticketflow: degraded turn (circuit open)', side: 'handle', kind: 'degraded-open' },
      {
        role: 'degradedOpenFloor',
        name: `floor: 1 load + ${shapes['degraded-open'].commits.length} write (circuit open)`,
        side: 'floor',
        kind: 'degraded-open',
      },
    );
  }
  if (!('missing' in backend.peer)) {
    const label = backend.peer.label;
    plan.push(
      { role: 'peerAsk', name: `LangGraph.js: ask-like turn (${label})`, side: 'peer', kind: 'ask' },
      { role: 'peerExecute', name: `LangGraph.js: execute-like turn, 2 tools (${label})`, side: 'peer', kind: 'execute' },
    );
  }
  return plan.map((entry) => ({ ...entry, shape: shapes[entry.kind] })) as Planned[];
}

async function buildVariants(rig: Rig, plan: readonly Planned[], prefix: string): Promise<{ role: Role; variant: Variant }[]> {
  const built: { role: Role; variant: Variant }[] = [];
  for (const entry of plan) {
    const variant = await buildVariant(rig, entry, `${prefix}${entry.role}`);
    if (variant) built.push({ role: entry.role, variant });
  }
  return built;
}

async function buildVariant(rig: Rig, entry: Planned, base: string): Promise<Variant | null> {
  const shape = (entry as Planned & { shape: TurnShape }).shape;
  switch (entry.side) {
    case 'handle': {
      const agent = benchAgent(entry.kind, rig.store);
      return onFreshTickets(entry.name, base, async (ticketId) => {
        await seed(rig.store, ticketId, shape);
        return (index) => agent.handle(benchMessage(ticketId, index, 'run'));
      });
    }
    case 'adapter':
      return onFreshTickets(entry.name, base, async (ticketId) => {
        await seed(rig.store, ticketId, shape);
        return adapterTurn(rig.store, ticketId, shape);
      });
    case 'floor':
      return onFreshTickets(entry.name, base, (ticketId) => rig.floor(ticketId, shape.turns));
    case 'peer':
      if ('missing' in rig.peer) return null;
      return peerVariant({ name: entry.name, saver: rig.peer.saver, kind: entry.kind, seed: shape.document, threadPrefix: `peer-${base}` });
  }
}

/** Driver calls per iteration of a variant built on counting drivers (after its set-up and two unmeasured iterations). */
async function countCalls(variant: Variant, counter: CallCounter): Promise<number> {
  await variant.beforeBlock?.();
  for (let index = 0; index < 2; index += 1) await variant.run(1_000_000 + index);
  const before = counter.count;
  for (let index = 0; index < COUNTED_TURNS; index += 1) await variant.run(2_000_000 + index);
  return round((counter.count - before) / COUNTED_TURNS, 2);
}

/**
 * The adapter alone: the turn's load and commits through the `TicketStore`, without the
 * core. Between the floor and `handle`, it splits a store's overhead into the adapter's
 * part (validation, serialisation, error mapping, timers) and the core's.
 */
export function adapterTurn(store: TicketStore, ticketId: string, shape: TurnShape): (index: number) => Promise<void> {
  return async (index) => {
    const loaded = await store.load(ticketId);
    let version = loaded!.version;
    for (const write of shape.turns[index % shape.turns.length]!) {
      const result = await store.commit({ ticketId, expectedVersion: version, ticket: write.ticket, events: write.events });
      if (!result.ok) throw new Error(`[bench] the adapter-only turn lost its compare-and-set on ${ticketId}`);
      version = result.version;
    }
  };
}

/** Starts a ticket at its steady state with one commit, so warm-up needs no turns to grow it. */
export async function seed(store: TicketStore, ticketId: string, shape: TurnShape): Promise<void> {
  const result = await store.commit({ ticketId, expectedVersion: null, ticket: documentFor(shape.document, ticketId), events: [] });
  if (!result.ok) throw new Error(`[bench] ticket ${ticketId} already exists`);
}
