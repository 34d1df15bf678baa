import { Samples, type Measurement } from './measurement.js';

/** A counter of driver calls that a variant's iterations increment (see `drivers/`). */
export interface CallCounter {
  count: number;
}

/** One side of a ratio: a turn through `handle`, a floor, or the peer's turn. */
export interface Variant {
  name: string;
  /** One measured iteration. */
  run(index: number): Promise<unknown> | unknown;
  /** Runs before each block, outside the timing (e.g. starting a fresh LangGraph thread). */
  beforeBlock?(): Promise<void> | void;
  /** Driver calls made by `run`, attributed to this variant by difference around each block. */
  counter?: CallCounter;
}

export interface InterleaveOptions {
  /** Measured iterations per variant. */
  iterations: number;
  /** Unmeasured iterations per variant, run first, interleaved the same way. */
  warmup: number;
  /** Iterations of one variant in a row before the next variant's turn. */
  blockSize: number;
}

/**
 * Measures variants side by side: blocks of `blockSize` iterations alternate between the
 * variants (the starting variant rotates every round), so that machine noise — other
 * processes on a shared 2-core machine, CPU frequency, the database server's background
 * work — lands on every side of a ratio alike. Each iteration is timed on its own
 * (`performance.now()`); turns per second come from the wall time of the variant's blocks
 * and CPU from `process.cpuUsage()` around them.
 */
export async function interleave(variants: readonly Variant[], options: InterleaveOptions): Promise<Measurement[]> {
  const discard = variants.map((variant) => new Samples(variant.name));
  await rounds(variants, discard, options.warmup, options.blockSize, 0);
  const samples = variants.map((variant) => new Samples(variant.name));
  await rounds(variants, samples, options.iterations, options.blockSize, options.warmup);
  return samples.map((entry, index) => entry.summarize(variants[index]!.counter !== undefined));
}

async function rounds(variants: readonly Variant[], samples: Samples[], iterations: number, blockSize: number, offset: number): Promise<void> {
  const done = variants.map(() => 0);
  for (let round = 0; done.some((count) => count < iterations); round += 1) {
    for (let position = 0; position < variants.length; position += 1) {
      const which = (position + round) % variants.length;
      const size = Math.min(blockSize, iterations - done[which]!);
      if (size <= 0) continue;
      await block(variants[which]!, samples[which]!, offset + done[which]!, size);
      done[which]! += size;
    }
  }
}

async function block(variant: Variant, samples: Samples, first: number, size: number): Promise<void> {
  await variant.beforeBlock?.();
  const callsBefore = variant.counter?.count ?? 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const from = samples.durations.length;
  for (let index = first; index < first + size; index += 1) {
    const begin = performance.now();
    await variant.run(index);
    samples.durations.push(performance.now() - begin);
  }
  const block = samples.durations.slice(from).sort((a, b) => a - b);
  samples.blockMedians.push(block[Math.floor(block.length / 2)]! * 1_000);
  samples.wallMs += performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  samples.cpuUs += cpu.user + cpu.system;
  samples.storeCalls += (variant.counter?.count ?? 0) - callsBefore;
}
