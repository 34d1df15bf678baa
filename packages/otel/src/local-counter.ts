import type { Attributes, Meter, MetricOptions } from '@opentelemetry/api';

/** Past this many attribute sets, further ones are summed into one overflow series (below the SDK's own limit of 2,000). */
const MAX_SERIES = 1_000;
const OVERFLOW_KEY = '\u0000overflow';

/**
 * A monotonic counter summed here and reported when the SDK collects (an observable counter):
 * a turn pays a `Map` lookup per count instead of the SDK's sorting and serialising of the
 * attributes on every `add`. Its attribute sets must have few values (tool names, outcomes).
 */
export class LocalCounter {
  private readonly sums = new Map<string, { attributes: Attributes; value: number }>();

  constructor(meter: Meter, name: string, options: MetricOptions) {
    meter.createObservableCounter(name, options).addCallback((result) => {
      for (const entry of this.sums.values()) result.observe(entry.value, entry.attributes);
    });
  }

  /** Adds 1 to the series `key`; false when the series does not exist yet (then call {@link start}). */
  increment(key: string): boolean {
    const entry = this.sums.get(key);
    if (!entry) return false;
    entry.value += 1;
    return true;
  }

  /** Starts the series `key` at 1 with its attributes. */
  start(key: string, attributes: Attributes): void {
    if (this.sums.size < MAX_SERIES) this.sums.set(key, { attributes, value: 1 });
    else if (!this.increment(OVERFLOW_KEY)) this.sums.set(OVERFLOW_KEY, { attributes: { 'otel.metric.overflow': true }, value: 1 });
  }
}
