import { expect, it } from 'vitest';
import type { LLM } from '../llm/llm.js';
import type { LLMErrorKind } from '../llm/llm-error.js';
import type { LLMConformanceContext, LLMConformanceOptions, LLMScenario } from './llm-conformance.js';
import { expectLLMError, expectWellFormedResponse, rejectionOf } from './llm-conformance-expect.js';
import { expectNoSecret } from './llm-conformance-secrets.js';

/** What the behavioural tests of one `runLLMConformance` run share. */
export interface BehaviourSuite {
  options: LLMConformanceOptions;
  apiKey: string;
  slackMs: number;
  /** Per-test timeout. */
  timeout: number;
  failKinds: readonly LLMErrorKind[];
  create: (scenario: LLMScenario) => Promise<LLM>;
  contextFor: (scenario: LLMScenario) => LLMConformanceContext;
  providerOf: (llm: LLM) => string;
}

const PROMPT = 'Classify: "Mein Internet geht nicht" — réseau 🛜 down since 08:00 <b>&amp;</b>';

/** The response contract: name, shape, exact values, repeated calls, a late abort. */
export function answerTests(suite: BehaviourSuite): void {
  const { options, create, timeout } = suite;
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
}

/** L2: every failure kind maps to an LLMError of that kind, without the key. */
export function failureTests(suite: BehaviourSuite): void {
  const { create, failKinds, providerOf, apiKey, timeout } = suite;
  for (const kind of failKinds) {
    it(`L2 maps a ${kind} failure to an LLMError of kind ${kind}`, { timeout }, async () => {
      const llm = await create({ type: 'fail', kind });
      const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: kind === 'timeout' ? 300 : 5_000 }));
      expectLLMError(error, { kind, provider: providerOf(llm) });
      expectNoSecret(error, [apiKey]);
    });
  }
}

/** L2: per-call and default timeouts, the caller's signal before and during the call. */
export function timeoutTests(suite: BehaviourSuite): void {
  const { options, create, providerOf, apiKey, slackMs, timeout, contextFor } = suite;
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
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
