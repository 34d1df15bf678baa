import { readFileSync } from 'node:fs';
import { selfTimes, shorten, sorted, type CpuProfile } from './cpu-profile.js';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof` or `profile-turn.ts`) by self
 * time: the total per origin (a workspace package, a dependency, Node's internals, GC,
 * idle) and the top functions.
 *
 *   node --import tsx src/profile/summarize-profile.ts <file.cpuprofile> [top=25] [inclusive-url-pattern]
 *
 * With a pattern (e.g. `packages/core`), also the inclusive (total) time of each function
 * whose file matches — synchronous callees included (an `await` cuts the stack).
 */
const [file, topArgument = '25', inclusivePattern] = process.argv.slice(2);
if (!file) throw new Error('usage: summarize-profile.ts <file.cpuprofile> [top] [inclusive-url-pattern]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const top = Number(topArgument);
const { byFunction, byOrigin, total } = selfTimes(profile);
const percent = (micros: number) => `${((micros / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1_000).toFixed(0)} ms sampled\n\nself time by origin:`);
for (const [origin, micros] of sorted(byOrigin)) console.log(`${percent(micros)}  ${origin}`);
console.log(`\ntop ${top} functions by self time:`);
for (const [key, micros] of sorted(byFunction).slice(0, top)) console.log(`${percent(micros)}  ${key}`);

if (inclusivePattern) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const pattern = new RegExp(inclusivePattern);
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (!pattern.test(frame.url)) continue;
      const key = `${frame.functionName || '(anonymous)'}  ${shorten(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
    }
  });
  console.log(`\ntop ${top} functions matching /${inclusivePattern}/ by inclusive time:`);
  for (const [key, micros] of sorted(inclusive).slice(0, top)) console.log(`${percent(micros)}  ${key}`);
}
