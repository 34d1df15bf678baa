/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) that the summaries read. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time (µs) per function key and per origin, over the samples that `keep` accepts (by sample time, µs). */
export function selfTimes(
  profile: CpuProfile,
  keep: (time: number) => boolean = () => true,
): { byFunction: Map<string, number>; byOrigin: Map<string, number>; total: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let total = 0;
  let time = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (!keep(time)) return;
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'}  ${shorten(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + delta);
    const origin = originOf(frame);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + delta);
    total += delta;
  });
  return { byFunction, byOrigin, total };
}

export function sorted(map: Map<string, number>): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]);
}

export function shorten(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^.*?\/(packages\/|bench\/|examples\/)/, '$1');
}

/** A workspace package, a dependency, Node's internals, or V8's pseudo-frames (GC, idle, program). */
export function originOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const dependency = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const workspace = /\/(packages\/[^/]+|bench|examples\/[^/]+)\//.exec(url);
  return workspace ? workspace[1]! : url;
}
