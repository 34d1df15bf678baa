import { extractLatestMessage, InvalidArgumentError, type LLM, LLMError, type LLMErrorKind, type LLMGenerateOptions, type LLMResponse } from '@ticketflow/core';
import { withDeadline } from '@ticketflow/core/adapter';
import { answerIssues, checkMockOptions, DEFAULT_MAX_RECORDED_CALLS, unknownKindIssue } from './check-mock-options.js';
import type { MockAnswer, MockCall, MockDecision, MockResponder } from './mock-answer.js';
import { decideByRules, type MockExtractor, type MockRule } from './mock-rules.js';

/** Options of {@link MockLLM}. */
export interface MockLLMOptions {
  /** Provider name in events and the fallback chain. Default `mock`. */
  name?: string | undefined;
  /** Model name reported in responses. Default `mock-1`. */
  model?: string | undefined;
  /** Answers for the first calls, in order (then `respond`, then the rules). */
  responses?: readonly MockAnswer[] | undefined;
  /** Answers every call that the queue does not. */
  respond?: MockResponder | undefined;
  /** Keyword/regex rules for offline demos and tests. */
  rules?: readonly MockRule[] | undefined;
  /** Slot extractors applied with the rules. */
  extractors?: readonly MockExtractor[] | undefined;
  /** The decision when no rule matches. Default `{ intent: null, confidence: 0.2 }`. */
  fallback?: MockDecision | undefined;
  /** Delay before every answer in ms (honours the abort signal). Default 0. */
  latencyMs?: number | undefined;
  /**
   * How many of the latest calls {@link MockLLM.calls} keeps (each holds its whole prompt).
   * Default 100, so that a long-running demo server retains nothing per turn; `Infinity` keeps
   * every call, `0` none. {@link MockLLM.callCount} counts them all either way.
   */
  maxRecordedCalls?: number | undefined;
}

/**
 * A real `LLM` implementation for tests and offline demos. It records the latest calls, and
 * answers from a queue of per-call answers, a function of the prompt, or fixed rules
 * (keyword/regex → decision). It injects every `LLMError` kind, invalid JSON,
 * schema-invalid JSON, cut-off answers, latency and hangs on cue.
 *
 * @example
 * ```ts
 * const llm = new MockLLM({ rules: [{ match: /no internet/i, intent: 'no_internet' }],
 *   extractors: [{ slot: 'region', pattern: /in ([A-Z][a-z]+)/ }] });
 * llm.failNext('rate_limited');          // the next call fails, then the rules answer
 * llm.enqueue('not json at all');         // then one invalid answer
 * ```
 */
export class MockLLM implements LLM {
  readonly name: string;
  readonly model: string;
  /** The latest calls, oldest first: the last `maxRecordedCalls` (default 100) of {@link callCount}. */
  readonly calls: MockCall[] = [];
  private readonly queue: MockAnswer[];
  private readonly options: MockLLMOptions;
  private readonly maxRecordedCalls: number;
  private count = 0;

  /** @throws {ConfigurationError} listing every problem of `options` (unknown keys with the closest valid one, also in rules and extractors). */
  constructor(input: MockLLMOptions = {}) {
    const options = checkMockOptions(input);
    this.options = options;
    this.name = options.name ?? 'mock';
    this.model = options.model ?? 'mock-1';
    this.queue = [...(options.responses ?? [])];
    this.maxRecordedCalls = options.maxRecordedCalls ?? DEFAULT_MAX_RECORDED_CALLS;
  }

  /** How many calls were made since the mock was created or {@link reset}, recorded or not. */
  get callCount(): number {
    return this.count;
  }

  /** The latest call (also when `maxRecordedCalls` is 0: it is kept until the next call). */
  get lastCall(): MockCall | undefined {
    return this.latest;
  }

  private latest: MockCall | undefined;

  /**
   * Adds answers for the next calls, before `respond` and the rules.
   * @throws {InvalidArgumentError} when an answer's `error` is not an `LLMError` kind.
   */
  enqueue(...answers: MockAnswer[]): this {
    const issues = answers.flatMap((answer, index) => answerIssues(answer, `[${index}]`));
    if (issues.length > 0) throw new InvalidArgumentError({ argument: 'answers', message: issues.join('; ') });
    this.queue.push(...answers);
    return this;
  }

  /**
   * The next `times` calls fail with an `LLMError` of `kind`.
   * @throws {InvalidArgumentError} when `kind` is not an `LLMError` kind (`rate_limit` for `rate_limited`).
   */
  failNext(kind: LLMErrorKind, times = 1, extra: { retryAfterMs?: number; retryable?: boolean; message?: string } = {}): this {
    const problem = unknownKindIssue(kind);
    if (problem) throw new InvalidArgumentError({ argument: 'kind', message: problem });
    for (let index = 0; index < times; index += 1) this.queue.push({ error: kind, ...extra });
    return this;
  }

  /** The next `times` calls never answer (until their signal aborts). */
  hangNext(times = 1): this {
    for (let index = 0; index < times; index += 1) this.queue.push({ hang: true });
    return this;
  }

  /** Answers still queued. */
  get pending(): number {
    return this.queue.length;
  }

  /** Forgets recorded calls, the call count and queued answers. */
  reset(): void {
    this.calls.length = 0;
    this.queue.length = 0;
    this.count = 0;
    this.latest = undefined;
  }

  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    const started = performance.now();
    const call = this.record(prompt, options);
    const limit = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) ? Math.max(0, options.timeoutMs) : Number.POSITIVE_INFINITY;
    const deadlineHandle = withDeadline(limit, options.signal);
    const deadline = deadlineHandle.signal;
    try {
      if (deadline?.aborted) throw new LLMError({ kind: 'timeout', provider: this.name, message: 'the call was aborted before it started' });
      if (this.options.latencyMs) await this.wait(this.options.latencyMs, deadline);
      let answer = this.queue.shift() ?? (this.options.respond ? await this.options.respond(prompt, call) : this.byRules(call));
      while (typeof answer === 'object' && answer !== null && 'delayMs' in answer && 'then' in answer) {
        await this.wait(answer.delayMs, deadline);
        answer = answer.then;
      }
      const response = await this.answer(answer, prompt, started, deadline);
      call.outcome = 'answered';
      return response;
    } catch (error) {
      call.outcome = LLMError.isInstance(error) ? error.kind : 'error';
      throw error;
    } finally {
      deadlineHandle.dispose();
    }
  }

  private record(prompt: string, options: LLMGenerateOptions): MockCall {
    const { signal: _signal, ...recorded } = options;
    this.count += 1;
    const call: MockCall = { index: this.count, prompt, message: extractLatestMessage(prompt), options: recorded };
    this.latest = call;
    if (this.maxRecordedCalls > 0) {
      this.calls.push(call);
      if (this.calls.length > this.maxRecordedCalls) this.calls.splice(0, this.calls.length - this.maxRecordedCalls);
    }
    return call;
  }

  private byRules(call: MockCall): MockAnswer {
    const fallback = this.options.fallback ?? { intent: null, confidence: 0.2, entities: {} };
    return decideByRules(call.message ?? call.prompt, this.options.rules ?? [], this.options.extractors ?? [], fallback);
  }

  private async answer(answer: MockAnswer, prompt: string, started: number, signal: AbortSignal | undefined): Promise<LLMResponse> {
    if (typeof answer === 'string') return this.respond(answer, prompt, started);
    if ('error' in answer) {
      if (LLMError.isInstance(answer.error)) throw answer.error;
      throw new LLMError({
        kind: answer.error,
        provider: this.name,
        message: answer.message ?? `injected ${answer.error}`,
        ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}),
        ...(answer.retryable !== undefined ? { retryable: answer.retryable } : {}),
      });
    }
    if ('hang' in answer) {
      await this.wait(Number.POSITIVE_INFINITY, signal);
      throw new LLMError({ kind: 'timeout', provider: this.name, message: 'hung call' });
    }
    if ('text' in answer) {
      return this.respond(answer.text, prompt, started, answer.finishReason ?? 'stop', answer.usage, answer.model);
    }
    if ('intent' in answer || 'confidence' in answer) {
      const decision = answer as MockDecision;
      return this.respond(JSON.stringify({ intent: decision.intent, confidence: decision.confidence, entities: decision.entities ?? {} }), prompt, started);
    }
    throw new TypeError('MockLLM: unknown answer shape');
  }

  private respond(text: string, prompt: string, started: number, finishReason = 'stop', usage?: LLMResponse['usage'], model?: string): LLMResponse {
    return {
      text,
      model: model ?? this.model,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      usage: usage ?? { inputTokens: Math.ceil(prompt.length / 4), outputTokens: Math.ceil(text.length / 4) },
      finishReason,
    };
  }

  /** Waits `ms` (forever for Infinity); an abort rejects with a `timeout` LLMError. */
  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeout = () => new LLMError({ kind: 'timeout', provider: this.name, message: 'the call was aborted' });
      if (signal?.aborted) return reject(timeout());
      // A delay over 2^31 - 1 ms would make Node fire after 1 ms: it is capped there (~24.8 days).
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.min(ms, 2_147_483_647)) : undefined;
      function done() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      function onAbort() {
        if (timer) clearTimeout(timer);
        reject(timeout());
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
