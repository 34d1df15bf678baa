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
 * An agent is instrumented once per provider: instrumenting it again on a tracer or meter
 * provider it is already instrumented on (the global ones count as one, given or not) while
 * the first instrumentation is live would record every span or count every turn twice, so it
 * is refused; call the first one's `remove()` before.
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
  const releaseProviders = claimProviders(
    agent,
    providerKey(checked.tracerProvider, trace.getTracerProvider()),
    providerKey(checked.meterProvider, metrics.getMeterProvider()),
  );
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
  let detach: () => void;
  try {
    detach = agent.instrument(instrumentation);
  } catch (error) {
    releaseProviders();
    throw error;
  }
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

/** A provider as instrumentations are told apart: the global one (given or not) is one. */
function providerKey(given: object | undefined, global: object): unknown {
  return given === undefined || given === global ? GLOBAL : given;
}

/** The tracer and meter providers each agent is instrumented on now. */
const liveInstrumentations = new WeakMap<object, { tracers: Set<unknown>; meters: Set<unknown> }>();

/**
 * Records that `agent` is instrumented on these providers; refuses a second live
 * instrumentation sharing either of them (it would record that signal twice).
 */
function claimProviders(agent: object, tracerProvider: unknown, meterProvider: unknown): () => void {
  let live = liveInstrumentations.get(agent);
  if (!live) liveInstrumentations.set(agent, (live = { tracers: new Set(), meters: new Set() }));
  const shared = live.tracers.has(tracerProvider) ? 'tracer' : live.meters.has(meterProvider) ? 'meter' : null;
  if (shared) {
    throw new ConfigurationError({
      message: 'Invalid instrumentAgent call',
      issues: [
        `this agent is already instrumented on the same ${shared} provider: every ${shared === 'tracer' ? 'span' : 'count'} would be recorded twice — call the function the first instrumentAgent returned before instrumenting it again`,
      ],
    });
  }
  const { tracers, meters } = live;
  tracers.add(tracerProvider);
  meters.add(meterProvider);
  return () => {
    tracers.delete(tracerProvider);
    meters.delete(meterProvider);
  };
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
