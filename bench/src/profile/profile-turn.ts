import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { onFreshTickets } from '../measure/fresh-ticket.js';
import type { Variant } from '../measure/interleave.js';
import { adapterTurn, seed } from '../scenarios/store-group.js';
import { openMemory, openPostgres, openRedis, openSqlite, type BackendId, type BackendOutcome } from '../stores/backends.js';
import { captureTurnShape } from '../turn-shapes.js';
import { selfTimes, sorted, type CpuProfile } from './cpu-profile.js';

/**
 * Profiles one kind of turn on one store, side by side with its adapter-only turn and its
 * floor: after a warm-up, blocks of 50 iterations of each side alternate under one V8 CPU
 * profile (the format `node --cpu-prof` writes), and every sample is attributed to the side
 * whose block was running. The printout gives, per side, µs per turn by origin and the top
 * functions; the difference between the sides is where the overhead goes.
 *
 *   pnpm --filter @ticketflow/bench run profile ask sqlite 5000
 *   pnpm --filter @ticketflow/bench run profile:summary results/profiles/ask-sqlite.cpuprofile
 */
const [kind = 'ask', store = 'memory', count = '5000'] = process.argv.slice(2) as [TurnKind?, BackendId?, string?];
const BLOCK = 50;
const TOP = Number(process.env.PROFILE_TOP ?? 20);
const openers: Record<BackendId, () => Promise<BackendOutcome>> = { memory: openMemory, sqlite: openSqlite, postgres: openPostgres, redis: openRedis };
const backend = await openers[store]();
if ('skipped' in backend) throw new Error(backend.skipped);
try {
  const shape = await captureTurnShape(kind);
  const agent = benchAgent(kind, backend.store);
  // Every block on a new steady-state ticket, set up outside the measured blocks (see onFreshTickets).
  const sides: Record<string, Variant> = {
    ticketflow: onFreshTickets('ticketflow', 'profile', async (ticketId) => {
      await seed(backend.store, ticketId, shape);
      return (index) => agent.handle(benchMessage(ticketId, index, 'run'));
    }),
    adapter: onFreshTickets('adapter', 'profile-adapter', async (ticketId) => {
      await seed(backend.store, ticketId, shape);
      return adapterTurn(backend.store, ticketId, shape);
    }),
    floor: onFreshTickets('floor', 'profile-floor', (ticketId) => backend.floor(ticketId, shape.turns)),
  };
  const names = Object.keys(sides);
  const turns = Number(count);
  for (const name of names) {
    for (let index = 0; index < Math.min(2_000, turns); index += 1) {
      if (index % BLOCK === 0) await sides[name]!.beforeBlock!();
      await sides[name]!.run(10_000_000 + index);
    }
  }

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const blocks: { name: string; start: number; end: number }[] = [];
  const now = () => Number(process.hrtime.bigint() / 1_000n);
  for (let first = 0, round = 0; first < turns; first += BLOCK, round += 1) {
    for (let position = 0; position < names.length; position += 1) {
      const name = names[(position + round) % names.length]!;
      await sides[name]!.beforeBlock!();
      const start = now();
      for (let index = first; index < Math.min(turns, first + BLOCK); index += 1) await sides[name]!.run(index);
      blocks.push({ name, start, end: now() });
    }
  }
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();

  const directory = new URL('../../results/profiles/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const file = new URL(`${kind}-${store}.cpuprofile`, directory);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${kind} turns on ${backend.label}, ${turns} per side, interleaved in blocks of ${BLOCK}; profile: ${file.pathname}\n`);

  const perSide = Object.fromEntries(
    names.map((name) => {
      const mine = blocks.filter((block) => block.name === name);
      const wall = mine.reduce((sum, block) => sum + block.end - block.start, 0);
      return [name, { wall, ...selfTimes(profile, (time) => mine.some((block) => time >= block.start && time < block.end)) }];
    }),
  );
  const perTurn = (micros: number) => (micros / turns).toFixed(1).padStart(7);
  console.log(`µs per turn${names.map((name) => name.padStart(12)).join('')}`);
  console.log(`wall       ${names.map((name) => perTurn(perSide[name]!.wall).padStart(12)).join('')}`);
  const origins = [...new Set(names.flatMap((name) => [...perSide[name]!.byOrigin.keys()]))];
  origins.sort((a, b) => (perSide.ticketflow!.byOrigin.get(b) ?? 0) - (perSide.ticketflow!.byOrigin.get(a) ?? 0));
  for (const origin of origins.slice(0, 14))
    console.log(`${origin.slice(0, 28).padEnd(28)} ${names.map((name) => perTurn(perSide[name]!.byOrigin.get(origin) ?? 0).padStart(12)).join('')}`);
  for (const name of names) {
    console.log(`\ntop ${TOP} functions, ${name} (self µs per turn):`);
    for (const [key, micros] of sorted(perSide[name]!.byFunction).slice(0, TOP)) console.log(`${perTurn(micros)}  ${key}`);
  }
} finally {
  await backend.close();
}
