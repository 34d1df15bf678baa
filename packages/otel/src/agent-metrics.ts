import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { quietly } from './instrumentation-kit.js';
import { LocalCounter } from './local-counter.js';
import { METRIC } from './semantic-names.js';

/** The GenAI conventions' buckets for `gen_ai.client.operation.duration` (seconds). */
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
/** The GenAI conventions' buckets for `gen_ai.client.token.usage`. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
/** A turn: from a few ms (memory store) to the LLM's and the tools' time. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The instruments of one instrumentation, created once. Its counters are shared with every
 * other instrumentation on the same meter (so their counts add up) until {@link release}.
 */
export class AgentMetrics {
  readonly operationDuration: Histogram;
  readonly tokenUsage: Histogram;
  readonly turns: LocalCounter;
  readonly turnDuration: Histogram;
  readonly llmFailures: LocalCounter;
  readonly toolCalls: LocalCounter;
  readonly compensations: LocalCounter;
  readonly conflicts: LocalCounter;
  readonly recoveries: LocalCounter;
  private readonly counters: LocalCounter[];

  constructor(meter: Meter) {
    this.operationDuration = meter.createHistogram(METRIC.operationDuration, {
      unit: 's',
      description: 'Duration of GenAI operations: each LLM request of a turn (retries, re-asks and fallback hops included).',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.tokenUsage = meter.createHistogram(METRIC.tokenUsage, {
      unit: '{token}',
      description: 'Input and output tokens of each LLM request, as the provider reported them.',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.turns = LocalCounter.of(meter, METRIC.turns, {
      unit: '{turn}',
      description: 'Operations of the agent (handle, approve, reject, release, recover), by the action they ended with.',
    });
    this.turnDuration = meter.createHistogram(METRIC.turnDuration, {
      unit: 's',
      description: 'Duration of each operation of the agent, from the call to its result (the ticket lock wait included).',
      advice: { explicitBucketBoundaries: TURN_BUCKETS },
    });
    this.llmFailures = LocalCounter.of(meter, METRIC.llmFailures, {
      unit: '{failure}',
      description: 'Failed LLM requests, by provider and LLMError kind (error.type).',
    });
    this.toolCalls = LocalCounter.of(meter, METRIC.toolCalls, { unit: '{call}', description: 'Tool calls and compensations, by tool and outcome.' });
    this.compensations = LocalCounter.of(meter, METRIC.compensations, {
      unit: '{compensation}',
      description: 'Compensations run (undoing a tool call), by tool and outcome.',
    });
    this.conflicts = LocalCounter.of(meter, METRIC.conflicts, {
      unit: '{conflict}',
      description: 'Commit conflicts: another writer changed the ticket first and the operation ran again.',
    });
    this.recoveries = LocalCounter.of(meter, METRIC.recoveries, {
      unit: '{recovery}',
      description: 'Executions recovered after their worker stopped (E4), by workflow.',
    });
    const counters = [this.turns, this.llmFailures, this.toolCalls, this.compensations, this.conflicts, this.recoveries];
    const attached: LocalCounter[] = [];
    try {
      for (const counter of counters) {
        counter.attach();
        attached.push(counter);
      }
    } catch (error) {
      for (const counter of attached) counter.detach();
      throw error;
    }
    this.counters = attached;
  }

  /** Stops reporting through this instrumentation's counters (idempotent); what they counted stays. */
  release(): void {
    for (const counter of this.counters.splice(0)) quietly(() => counter.detach());
  }

  /** Adds 1 to a counter's series `key` (its attribute values, joined), with `attributes` the first time. */
  static count(counter: LocalCounter, key: string, attributes: () => Attributes): void {
    if (!counter.increment(key)) counter.start(key, attributes());
  }

  /** Records a histogram value, never throwing. */
  static record(histogram: Histogram, value: number, attributes: Attributes): void {
    try {
      if (Number.isFinite(value) && value >= 0) histogram.record(value, attributes);
    } catch {
      // an instrument that throws is ignored
    }
  }
}
