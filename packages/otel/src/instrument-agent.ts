import { createNoopMeter, type MeterProvider, metrics, trace } from '@opentelemetry/api';
import {
  type Agent,
  type AgentInstrumentation,
  ConfigurationError,
  defaultRedact,
  InvalidArgumentError,
  type OperationObserver,
  type OperationStart,
} from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { ContentCapture } from './content-capture.js';
import { checkInstrumentOptions, type InstrumentAgentOptions } from './instrument-options.js';
import { type InstrumentationKit, ProviderModels, quietly } from './instrumentation-kit.js';
import { OperationSpan } from './operation-span.js';
import { SCOPE_NAME, SCOPE_VERSION } from './semantic-names.js';
import { StepLinks } from './step-links.js';

/**
 * Traces and measures every operation of an agent with OpenTelemetry, per the GenAI semantic
 * conventions: an `invoke_agent ticketflow` span per `handle` / `approve` / `reject` /
 * `release` / recovery (child of the span active at the call), a `chat {model}` span per LLM
 * request, an `invoke_workflow {workflow}` span per execution with an `execute_tool {tool}`
 * span per tool call and compensation, and the `gen_ai.client.*` and `ticketflow.*` metrics.
 * Message texts and tool data are recorded only with `captureContent: true`.
 *
 * Needs only `@opentelemetry/api`: the app brings the SDK and its exporters. Instrumentation
 * never changes a turn: whatever the tracer or meter throws is ignored.
 *
 * @example
 * ```ts
 * const remove = instrumentAgent(agent, { tracerProvider, meterProvider });
 * await agent.handle({ ticketId: 'T-1', message: 'no internet', messageId: 'm-1' });
 * remove(); // later turns are not traced
 * ```
 * An agent is instrumented once per pair of providers: instrumenting it again on the same
 * tracer and meter providers (the global ones count as one) while the first instrumentation is
 * live would record every span and count every turn twice, so it is refused; call the first
 * one's `remove()` before.
 *
 * @returns a function that removes the instrumentation (idempotent).
 * @throws {InvalidArgumentError} when `agent` is not an agent (no `instrument` method).
 * @throws {ConfigurationError} listing every problem in the options, or when the agent is
 * already instrumented on these providers.
 */
export function instrumentAgent(agent: Pick<Agent, 'instrument'>, options?: InstrumentAgentOptions): () => void {
  if (typeof (agent as Partial<Agent> | null | undefined)?.instrument !== 'function') {
    throw new InvalidArgumentError({
      argument: 'agent',
      message: 'needs an agent made by createAgent (an object with an instrument method, @ticketflow/core 0.x with instrumentation)',
    });
  }
  const checked = checkInstrumentOptions(options);
  const releaseProviders = claimProviders(agent, checked.tracerProvider ?? GLOBAL, checked.meterProvider ?? GLOBAL);
  const tracer = (checked.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, SCOPE_VERSION);
  const meter = meterOf(checked.meterProvider);
  const kit: InstrumentationKit = {
    tracer,
    metrics: meter.current,
    content: new ContentCapture(checked.captureContent === true, checked.redact ?? defaultRedact),
    links: new StepLinks(),
    models: new ProviderModels(),
  };
  const instrumentation: AgentInstrumentation = {
    operationStarted: (start: OperationStart): OperationObserver | undefined => quietly(() => new OperationSpan(kit, start)),
  };
  const detach = agent.instrument(instrumentation);
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    detach();
    meter.release();
    releaseProviders();
  };
}

/** Stands for the global tracer or meter provider (looked up on each use). */
const GLOBAL = Symbol('global provider');

/** The providers each agent is instrumented on now, as `tracer provider → meter providers`. */
const liveInstrumentations = new WeakMap<object, Map<unknown, Set<unknown>>>();

/** Records that `agent` is instrumented on these providers; refuses a second live instrumentation on the same pair. */
function claimProviders(agent: object, tracerProvider: unknown, meterProvider: unknown): () => void {
  let byTracer = liveInstrumentations.get(agent);
  if (!byTracer) liveInstrumentations.set(agent, (byTracer = new Map()));
  let meters = byTracer.get(tracerProvider);
  if (!meters) byTracer.set(tracerProvider, (meters = new Set()));
  if (meters.has(meterProvider)) {
    throw new ConfigurationError({
      message: 'Invalid instrumentAgent call',
      issues: [
        'this agent is already instrumented on the same tracer and meter providers: every span and count would be recorded twice — call the function the first instrumentAgent returned before instrumenting it again',
      ],
    });
  }
  meters.add(meterProvider);
  return () => void meters.delete(meterProvider);
}

/**
 * The instruments: on the given meter provider, or on the global one — looked up on each use
 * and re-created when it changed (the API has no proxy meter, so instruments made before the
 * SDK started would stay no-ops forever). A meter that throws gets no-op instruments.
 * `release` stops their reporting; an operation still running then counts without creating any.
 */
function meterOf(given: MeterProvider | undefined): { current: () => AgentMetrics; release: () => void } {
  const make = (provider: MeterProvider): AgentMetrics =>
    quietly(() => new AgentMetrics(provider.getMeter(SCOPE_NAME, SCOPE_VERSION))) ?? new AgentMetrics(createNoopMeter());
  let released = false;
  if (given) {
    const fixed = make(given);
    return { current: () => fixed, release: () => fixed.release() };
  }
  let provider = metrics.getMeterProvider();
  let current = make(provider);
  return {
    current: () => {
      const now = metrics.getMeterProvider();
      if (now !== provider && !released) {
        current.release();
        provider = now;
        current = make(now);
      }
      return current;
    },
    release: () => {
      released = true;
      current.release();
    },
  };
}
