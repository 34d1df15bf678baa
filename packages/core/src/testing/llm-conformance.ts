import { afterAll, describe } from 'vitest';
import type { LLM } from '../llm/llm.js';
import { LLM_ERROR_KINDS, type LLMErrorKind } from '../llm/llm-error.js';
import { answerTests, type BehaviourSuite, failureTests, timeoutTests } from './llm-conformance-behaviour.js';
import type { ExpectedLLMAnswer } from './llm-conformance-expect.js';

export { expectLLMError, expectWellFormedResponse, rejectionOf } from './llm-conformance-expect.js';
export type { ExpectedLLMAnswer } from './llm-conformance-expect.js';

/**
 * What the LLM built for one behavioural test must do. The suite asks the factory for an
 * LLM per scenario; a scripted LLM is configured directly, an HTTP adapter is pointed at a
 * server that replays the matching wire answer (see {@link runHttpLLMConformance}).
 */
export type LLMScenario =
  /** Answer every call normally. */
  | { type: 'answer' }
  /** Fail every call with an error of this kind. */
  | { type: 'fail'; kind: LLMErrorKind }
  /** Never answer: the call settles only through `timeoutMs`, the constructor's timeout or the caller's signal. */
  | { type: 'hang' };

/** Passed to the factory with each scenario. */
export interface LLMConformanceContext {
  /** A random fake API key; it must never appear in an error. */
  apiKey: string;
  /**
   * The timeout the adapter applies to a call that passes no `timeoutMs` (its constructor
   * option): 400 ms for the `hang` scenario, 10 s otherwise.
   */
  timeoutMs: number;
}

/** Options of {@link runLLMConformance}. */
export interface LLMConformanceOptions {
  /** Shown in the test names, e.g. `gemini`. */
  name: string;
  /** Builds an LLM that behaves as the scenario says. May be async (e.g. to start a server). */
  create: (scenario: LLMScenario, context: LLMConformanceContext) => LLM | Promise<LLM>;
  /** Error kinds the factory can produce with `{ type: 'fail' }`; default all kinds. */
  failKinds?: readonly LLMErrorKind[];
  /** Exact values of the answer scenario. */
  expectedAnswer?: ExpectedLLMAnswer;
  /** The `provider` errors must carry; default the LLM's `name`. */
  provider?: string;
  /** Time allowed beyond a timeout before the call counts as late (default 1 000 ms). */
  slackMs?: number;
  /** What the LLM does beyond the contract; the suite skips by capability, never by name. */
  capabilities?: LLMConformanceCapabilities;
  /** Called once after all tests (stop servers, …). */
  cleanup?: () => Promise<void> | void;
}

/** Optional behaviour an LLM declares to the behavioural suite. */
export interface LLMConformanceCapabilities {
  /**
   * A call that passes no `timeoutMs` still times out, after the `context.timeoutMs` the
   * factory received (an adapter's constructor option). HTTP adapters must have it; a
   * scripted LLM without one would hang that test.
   */
  defaultTimeout?: boolean;
}

/**
 * The behavioural LLM conformance suite (DESIGN §6): every {@link LLM} passes it, a
 * scripted mock as well as an HTTP adapter. It checks the response shape, that every
 * rejection is an {@link LLMError} of the expected kind with its default `retryable` and the
 * adapter's `provider`, per-call and constructor timeouts, the caller's `AbortSignal`
 * (before and during the call), and that the API key never leaks into an error.
 *
 * HTTP adapters call {@link runHttpLLMConformance} instead, which runs this suite over a
 * loopback server and adds the wire checks.
 *
 * Contract points every LLM must meet here even when scripted: a per-call `timeoutMs` ends a
 * call that never answers, and an already aborted `signal` rejects (kind `timeout`) without
 * answering.
 *
 * @example
 * ```ts
 * import { runLLMConformance } from '@ticketflow/core/testing';
 * import { MockLLM } from '@ticketflow/llm-mock';
 *
 * const decision = '{"intent":null,"confidence":0,"entities":{}}';
 * runLLMConformance({
 *   name: 'mock',
 *   create: (scenario) =>
 *     scenario.type === 'answer' ? new MockLLM({ respond: () => decision })
 *     : scenario.type === 'hang' ? new MockLLM({ respond: () => ({ hang: true }) })
 *     : new MockLLM({ respond: () => ({ error: scenario.kind }) }),
 *   expectedAnswer: { text: decision, model: 'mock-1' },
 * });
 * ```
 */
export function runLLMConformance(options: LLMConformanceOptions): void {
  const slackMs = options.slackMs ?? 1_000;
  const apiKey = `tf-test-key-${randomToken()}`;
  // A short default timeout only where the suite waits for it; elsewhere a slow machine must not turn answers into timeouts.
  const contextFor = (scenario: LLMScenario): LLMConformanceContext => ({ apiKey, timeoutMs: scenario.type === 'hang' ? 400 : 10_000 });
  const suite: BehaviourSuite = {
    options,
    apiKey,
    slackMs,
    timeout: 15_000 + slackMs,
    failKinds: options.failKinds ?? LLM_ERROR_KINDS,
    create: (scenario) => Promise.resolve(options.create(scenario, contextFor(scenario))),
    contextFor,
    providerOf: (llm) => options.provider ?? llm.name,
  };
  describe(`LLM conformance: ${options.name}`, () => {
    afterAll(async () => {
      await options.cleanup?.();
    });
    answerTests(suite);
    failureTests(suite);
    timeoutTests(suite);
  });
}

function randomToken(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
