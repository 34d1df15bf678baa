import { Session } from 'node:inspector/promises';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { adapterTurn, seed } from '../scenarios/store-group.js';
import { openMemory } from '../stores/backends.js';
import { captureTurnShape } from '../turn-shapes.js';

/**
 * Bytes allocated per turn, by the function that allocated them: V8's sampling heap profiler
 * (every sample kept, also of objects a GC has collected since) over blocks of 50 turns on new
 * steady-state tickets, minus what setting those tickets up allocated. The memory store only:
 * allocation does not depend on the store, and GC work grows with it on every store.
 *
 *   pnpm --filter @ticketflow/bench run allocations ask 3000            # ticketflow's turn
 *   pnpm --filter @ticketflow/bench run allocations ask 3000 adapter    # the same load and commit, adapter only
 */
const [kind = 'ask', count = '3000', side = 'ticketflow'] = process.argv.slice(2) as [TurnKind?, string?, ('ticketflow' | 'adapter')?];
const BLOCK = 50;
const TOP = Number(process.env.PROFILE_TOP ?? 30);
const SAMPLING = { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

const backend = await openMemory();
const shape = await captureTurnShape(kind);
const agent = benchAgent(kind, backend.store);
let tickets = 0;

/** One block of turns on a new ticket; `turns: 0` sets the ticket up only. */
async function block(turns: number, first: number): Promise<void> {
  const ticketId = `allocations-${(tickets += 1)}`;
  await seed(backend.store, ticketId, shape);
  const adapter = adapterTurn(backend.store, ticketId, shape);
  for (let index = first; index < first + turns; index += 1) {
    if (side === 'adapter') await adapter(index);
    else await agent.handle(benchMessage(ticketId, index, 'run'));
  }
}

async function sampled(work: () => Promise<void>): Promise<Map<string, number>> {
  await session.post('HeapProfiler.startSampling', SAMPLING);
  await work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
  const bytes = new Map<string, number>();
  const walk = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'}  ${url.replace(/^.*\/(packages|bench|node_modules)\//, '$1/')}:${lineNumber}`;
    bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(profile.head);
  return bytes;
}

const session = new Session();
session.connect();
const turns = Number(count);
const blocks = Math.ceil(turns / BLOCK);
for (let index = 0; index < 40; index += 1) await block(BLOCK, index * BLOCK); // warm-up
const measured = await sampled(async () => {
  for (let index = 0; index < blocks; index += 1) await block(BLOCK, 1_000_000 + index * BLOCK);
});
const setUp = await sampled(async () => {
  for (let index = 0; index < blocks; index += 1) await block(0, 0);
});
session.disconnect();

const perTurn = (bytes: number) => Math.round(bytes / (blocks * BLOCK));
const total = (map: Map<string, number>) => [...map.values()].reduce((sum, bytes) => sum + bytes, 0);
console.log(`${kind} turns (${side}) on the memory store: ${perTurn(total(measured) - total(setUp))} bytes allocated per turn\n`);
const rows = [...measured].map(([name, bytes]) => [name, perTurn(bytes - (setUp.get(name) ?? 0))] as const);
for (const [name, bytes] of rows.sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${String(bytes).padStart(8)}  ${name}`);
