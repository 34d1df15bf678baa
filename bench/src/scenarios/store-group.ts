import type { TicketStore } from '@ticketflow/core';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { cloneFloor } from '../floors/memory-floor.js';
import { interleave, type InterleaveOptions, type Variant } from '../measure/interleave.js';
import type { Measurement } from '../measure/measurement.js';
import { peerVariant } from '../peer/langgraph-peer.js';
import type { Backend } from '../stores/backends.js';
import { documentFor, type TurnShape } from '../turn-shapes.js';

/**
 * The variants of a group, by role: ticketflow's turns, the adapter-only turns, the floors
 * (`…CloneFloor`: the structuredClone floor, memory only), and LangGraph's turns.
 */
export type Role =
  | 'ask' | 'askAdapter' | 'askFloor' | 'askCloneFloor'
  | 'execute' | 'executeAdapter' | 'executeFloor' | 'executeCloneFloor'
  | 'degraded' | 'degradedOpen' | 'degradedCloneFloor'
  | 'peerAsk' | 'peerExecute';

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

/**
 * Scenarios 1, 2 and 5 on one backend, interleaved in one set of rounds: ticketflow's ask
 * and execute turns through `handle`, the same load and commits through the adapter alone,
 * their floors (sent directly with the driver), and LangGraph's equivalent turns on the
 * same backend. On the memory store it adds the degraded turns and the floors the issue
 * names for the core.
 */
export async function runStoreGroup(backend: Backend, shapes: Record<TurnKind, TurnShape>, options: InterleaveOptions): Promise<GroupResult> {
  const variants: { role: Role; variant: Variant }[] = [];
  const counter = backend.counter;
  const handleVariant = async (kind: TurnKind, name: string): Promise<Variant> => {
    const ticketId = `bench-${kind}`;
    await seed(backend.store, ticketId, shapes[kind]);
    const agent = benchAgent(kind, backend.store);
    return { name, ...(counter ? { counter } : {}), run: (index) => agent.handle(benchMessage(ticketId, index, 'run')) };
  };
  const floorVariant = async (name: string, ticketId: string, shape: TurnShape): Promise<Variant> => {
    const turn = await backend.floor(ticketId, shape.turns);
    return { name, ...(counter ? { counter } : {}), run: turn };
  };
  const writes = shapes.execute.commits.length;
  const adapterVariant = async (name: string, ticketId: string, shape: TurnShape): Promise<Variant> => {
    await seed(backend.store, ticketId, shape);
    return { name, ...(counter ? { counter } : {}), run: adapterTurn(backend.store, ticketId, shape) };
  };

  variants.push({ role: 'ask', variant: await handleVariant('ask', 'ticketflow: ask turn') });
  variants.push({ role: 'askAdapter', variant: await adapterVariant('adapter only: store.load + store.commit (ask)', 'adapter-ask', shapes.ask) });
  variants.push({ role: 'askFloor', variant: await floorVariant('floor: 1 load + 1 write (ask)', 'floor-ask', shapes.ask) });
  variants.push({ role: 'execute', variant: await handleVariant('execute', 'ticketflow: execute turn (2 tools)') });
  variants.push({ role: 'executeAdapter', variant: await adapterVariant(`adapter only: store.load + ${writes} × store.commit (execute)`, 'adapter-execute', shapes.execute) });
  variants.push({ role: 'executeFloor', variant: await floorVariant(`floor: 1 load + ${writes} writes (execute)`, 'floor-execute', shapes.execute) });
  if (backend.id === 'memory') {
    // The core-overhead floors the issue names: one structuredClone of the turn's (last) document + Map.set.
    const clone = (name: string, shape: TurnShape): Variant => ({ name, run: cloneFloor(shape.turns.map((commits) => commits.at(-1)!.ticket)) });
    variants.push({ role: 'askCloneFloor', variant: clone('floor: structuredClone + Map.set (ask document)', shapes.ask) });
    variants.push({ role: 'executeCloneFloor', variant: clone('floor: structuredClone + Map.set (execute document)', shapes.execute) });
    variants.push({ role: 'degraded', variant: await handleVariant('degraded', 'ticketflow: degraded turn (LLM call fails)') });
    variants.push({ role: 'degradedOpen', variant: await handleVariant('degraded-open', 'ticketflow: degraded turn (circuit open)') });
    variants.push({ role: 'degradedCloneFloor', variant: clone('floor: structuredClone + Map.set (degraded document)', shapes.degraded) });
  }
  if (!('missing' in backend.peer)) {
    const { saver, label, counter: peerCounter } = backend.peer;
    const common = { saver, seed: shapes.ask.document, ...(peerCounter ? { counter: peerCounter } : {}) };
    variants.push({ role: 'peerAsk', variant: peerVariant({ ...common, name: `LangGraph.js: ask-like turn (${label})`, kind: 'ask' }) });
    variants.push({ role: 'peerExecute', variant: peerVariant({ ...common, name: `LangGraph.js: execute-like turn, 2 tools (${label})`, kind: 'execute' }) });
  }

  const results = await interleave(variants.map((entry) => entry.variant), options);
  const measurements: GroupResult['measurements'] = {};
  variants.forEach((entry, index) => (measurements[entry.role] = results[index]!));
  return {
    backend: backend.id,
    label: backend.label,
    callsLabel: backend.callsLabel,
    floorLabel: backend.floorLabel,
    executeWrites: writes,
    peer: 'missing' in backend.peer ? { missing: backend.peer.missing } : { label: backend.peer.label },
    measurements,
  };
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
