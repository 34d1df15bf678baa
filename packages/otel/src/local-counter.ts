import type { Attributes, Meter, MetricOptions, ObservableCallback, ObservableCounter } from '@opentelemetry/api';

/** Past this many attribute sets, further ones are summed into one overflow series (below the SDK's own limit of 2,000). */
const MAX_SERIES = 1_000;
const OVERFLOW_KEY = '\u0000overflow';

/**
 * The counters of each meter, by name. The SDK keeps the last observation per attribute set
 * and instrument name, so every instrumentation on one meter must add to the same sums and
 * report them from one callback; the sums outlive the instrumentations (a cumulative counter
 * never goes down when an agent is instrumented again).
 */
const countersOfMeter = new WeakMap<Meter, Map<string, LocalCounter>>();

/**
 * A monotonic counter summed here and reported when the SDK collects (an observable counter):
 * a turn pays a `Map` lookup per count instead of the SDK's sorting and serialising of the
 * attributes on every `add`. Its attribute sets must have few values (tool names, outcomes).
 * One per meter and name ({@link LocalCounter.of}); its callback is registered while at least
 * one instrumentation uses it ({@link attach} / {@link detach}).
 */
export class LocalCounter {
  private readonly sums = new Map<string, { attributes: Attributes; value: number }>();
  private readonly report: ObservableCallback = (result) => {
    for (const entry of this.sums.values()) result.observe(entry.value, entry.attributes);
  };
  private users = 0;

  private constructor(private readonly instrument: ObservableCounter) {}

  /** The counter `name` of `meter`, created on first use. */
  static of(meter: Meter, name: string, options: MetricOptions): LocalCounter {
    let counters = countersOfMeter.get(meter);
    if (!counters) countersOfMeter.set(meter, (counters = new Map()));
    let counter = counters.get(name);
    if (!counter) counters.set(name, (counter = new LocalCounter(meter.createObservableCounter(name, options))));
    return counter;
  }

  /** One more instrumentation reports through this counter (the first registers the callback). */
  attach(): void {
    if (this.users === 0) this.instrument.addCallback(this.report);
    this.users += 1;
  }

  /** One instrumentation less (the last removes the callback; the sums are kept). */
  detach(): void {
    if (this.users === 0) return;
    this.users -= 1;
    if (this.users === 0) this.instrument.removeCallback(this.report);
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
