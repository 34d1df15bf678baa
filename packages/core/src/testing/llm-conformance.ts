import { afterAll, describe, expect, it } from 'vitest';
import type { LLM, LLMResponse, LLMUsage } from '../llm/llm.js';
import { LLM_ERROR_KINDS, LLMError, type LLMErrorKind } from '../llm/llm-error.js';
import { expectNoSecret } from './llm-conformance-secrets.js';

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

/** Values the answer scenario must produce exactly; omitted fields are only shape-checked. */
export interface ExpectedLLMAnswer {
  text?: string;
  model?: string;
  usage?: LLMUsage;
  finishReason?: string;
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

const PROMPT = 'Classify: "Mein Internet geht nicht" — réseau 🛜 down since 08:00 <b>&amp;</b>';

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
  const failKinds = options.failKinds ?? LLM_ERROR_KINDS;
  const apiKey = `tf-test-key-${randomToken()}`;
  // A short default timeout only where the suite waits for it; elsewhere a slow machine must not turn answers into timeouts.
  const contextFor = (scenario: LLMScenario): LLMConformanceContext => ({ apiKey, timeoutMs: scenario.type === 'hang' ? 400 : 10_000 });
  const timeout = 15_000 + slackMs;
  const create = (scenario: LLMScenario) => Promise.resolve(options.create(scenario, contextFor(scenario)));
  const providerOf = (llm: LLM) => options.provider ?? llm.name;

  describe(`LLM conformance: ${options.name}`, () => {
    afterAll(async () => {
      await options.cleanup?.();
    });

    it('has a non-empty name', { timeout }, async () => {
      const llm = await create({ type: 'answer' });
      expect(typeof llm.name).toBe('string');
      expect(llm.name.length).toBeGreaterThan(0);
    });

    it('answers with text, model, a non-negative latency and well-formed usage', { timeout }, async () => {
      const llm = await create({ type: 'answer' });
      const response = await llm.generate(PROMPT, { temperature: 0, maxOutputTokens: 256 });
      expectWellFormedResponse(response);
      const expected = options.expectedAnswer ?? {};
      if (expected.text !== undefined) expect(response.text).toBe(expected.text);
      if (expected.model !== undefined) expect(response.model).toBe(expected.model);
      if (expected.usage !== undefined) expect(response.usage).toEqual(expected.usage);
      if (expected.finishReason !== undefined) expect(response.finishReason).toBe(expected.finishReason);
    });

    it('answers again on the same instance (no state left by a call)', { timeout }, async () => {
      const llm = await create({ type: 'answer' });
      const first = await llm.generate(PROMPT);
      const second = await llm.generate(PROMPT);
      expect(second.text).toBe(first.text);
    });

    it('L2 ignores an abort that comes after the answer', { timeout }, async () => {
      const llm = await create({ type: 'answer' });
      const controller = new AbortController();
      const response = await llm.generate(PROMPT, { signal: controller.signal, timeoutMs: 5_000 });
      controller.abort();
      await sleep(20);
      expectWellFormedResponse(response);
    });

    for (const kind of failKinds) {
      it(`L2 maps a ${kind} failure to an LLMError of kind ${kind}`, { timeout }, async () => {
        const llm = await create({ type: 'fail', kind });
        const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: kind === 'timeout' ? 300 : 5_000 }));
        expectLLMError(error, { kind, provider: providerOf(llm) });
        expectNoSecret(error, [apiKey]);
      });
    }

    it('L2 a per-call timeoutMs aborts a call that never answers (kind timeout, on time)', { timeout }, async () => {
      const llm = await create({ type: 'hang' });
      const started = performance.now();
      const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: 250 }));
      const elapsed = performance.now() - started;
      expectLLMError(error, { kind: 'timeout', provider: providerOf(llm) });
      expect(elapsed).toBeGreaterThanOrEqual(200);
      expect(elapsed).toBeLessThan(250 + slackMs);
      expectNoSecret(error, [apiKey]);
    });

    it.skipIf(!options.capabilities?.defaultTimeout)('L2 the adapter applies its own timeout when the call passes none', { timeout }, async () => {
      const llm = await create({ type: 'hang' });
      const started = performance.now();
      const error = await rejectionOf(llm.generate(PROMPT));
      expectLLMError(error, { kind: 'timeout', provider: providerOf(llm) });
      expect(performance.now() - started).toBeLessThan(contextFor({ type: 'hang' }).timeoutMs + slackMs);
    });

    it("L2 the caller's AbortSignal aborts a call in flight (kind timeout, at once)", { timeout }, async () => {
      const llm = await create({ type: 'hang' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('caller gave up')), 100);
      const started = performance.now();
      const error = await rejectionOf(llm.generate(PROMPT, { signal: controller.signal, timeoutMs: 8_000 }));
      expectLLMError(error, { kind: 'timeout', provider: providerOf(llm) });
      expect(performance.now() - started).toBeLessThan(100 + slackMs);
    });

    it('L2 an already aborted signal rejects with kind timeout without answering', { timeout }, async () => {
      const llm = await create({ type: 'answer' });
      const error = await rejectionOf(llm.generate(PROMPT, { signal: AbortSignal.abort() }));
      expectLLMError(error, { kind: 'timeout', provider: providerOf(llm) });
    });
  });
}

/**
 * Asserts the {@link LLMResponse} contract of a normal answer: types and ranges of every
 * field, a lower-case `finishReason` that is neither `max_tokens` nor `safety`.
 */
export function expectWellFormedResponse(response: LLMResponse): void {
  expect(typeof response.text).toBe('string');
  expect(typeof response.model).toBe('string');
  expect(response.model.length).toBeGreaterThan(0);
  expect(Number.isFinite(response.latencyMs)).toBe(true);
  expect(response.latencyMs).toBeGreaterThanOrEqual(0);
  if (response.usage !== undefined) {
    for (const count of [response.usage.inputTokens, response.usage.outputTokens]) {
      expect(Number.isSafeInteger(count) && count >= 0, `token count ${count}`).toBe(true);
    }
  }
  if (response.finishReason !== undefined) {
    expect(response.finishReason).toBe(response.finishReason.toLowerCase());
    expect(['max_tokens', 'safety']).not.toContain(response.finishReason);
  }
}

/**
 * Asserts that `error` is an {@link LLMError} (recognised by `isInstance`, not `instanceof`)
 * with the kind, provider, the kind's default `retryable` and a `[provider]` message prefix.
 */
export function expectLLMError(error: unknown, expected: { kind: LLMErrorKind; provider: string; retryable?: boolean }): asserts error is LLMError {
  expect(LLMError.isInstance(error), `expected an LLMError, got ${describeValue(error)}`).toBe(true);
  const llmError = error as LLMError;
  expect({ kind: llmError.kind, provider: llmError.provider }, llmError.message).toEqual({ kind: expected.kind, provider: expected.provider });
  expect(llmError.retryable).toBe(expected.retryable ?? LLMError.isRetryableKind(expected.kind));
  expect(llmError.message.startsWith(`[${expected.provider}] `)).toBe(true);
  if (llmError.retryAfterMs !== undefined) {
    expect(Number.isFinite(llmError.retryAfterMs) && llmError.retryAfterMs >= 0).toBe(true);
  }
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}

function randomToken(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
