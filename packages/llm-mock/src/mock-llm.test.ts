import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConfigurationError, extractLatestMessage, InvalidArgumentError, LLM_ERROR_KINDS, LLMError } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { MockLLM } from './mock-llm.js';

const prompt = (message: string) => `instructions\n<<<CUSTOMER_MESSAGE\n${message}\nCUSTOMER_MESSAGE>>>`;

describe('MockLLM', () => {
  it('answers queued answers first, in order, then by function, then by rules', async () => {
    const llm = new MockLLM({ responses: ['first'], rules: [{ match: /down/, intent: 'no_internet', confidence: 0.8 }] });
    llm.enqueue({ intent: 'x', confidence: 1 });
    expect((await llm.generate(prompt('a'))).text).toBe('first');
    expect(JSON.parse((await llm.generate(prompt('a'))).text)).toEqual({ intent: 'x', confidence: 1, entities: {} });
    expect(JSON.parse((await llm.generate(prompt('my line is down'))).text)).toEqual({ intent: 'no_internet', confidence: 0.8, entities: {} });
    expect(JSON.parse((await llm.generate(prompt('hello'))).text)).toEqual({ intent: null, confidence: 0.2, entities: {} });
    expect(llm.calls.map((call) => call.message)).toEqual(['a', 'a', 'my line is down', 'hello']);
    expect(extractLatestMessage(llm.calls[2]!.prompt)).toBe('my line is down');
  });

  it('extracts entities with rules and extractors', async () => {
    const llm = new MockLLM({
      rules: [{ match: /refund of (\d+)/i, intent: 'billing_dispute', entities: { amount: (match: RegExpMatchArray | null) => Number(match?.[1]) } }],
      extractors: [
        { slot: 'region', pattern: /in ([A-Z][a-z]+)/ },
        { slot: 'phone', pattern: /(\+?\d[\d ]{6,}\d)/ },
      ],
    });
    const answer = JSON.parse((await llm.generate(prompt('I want a refund of 30 in Berlin, call 030 1234567'))).text);
    expect(answer).toEqual({ intent: 'billing_dispute', confidence: 0.9, entities: { amount: 30, region: 'Berlin', phone: '030 1234567' } });
  });

  it('injects every failure on cue', async () => {
    const llm = new MockLLM({ fallback: { intent: 'ok', confidence: 1 } });
    llm.failNext('rate_limited', 1, { retryAfterMs: 26_000 });
    const error = await llm.generate(prompt('x')).catch((thrown: unknown) => thrown);
    expect(LLMError.isInstance(error) && [error.kind, error.retryAfterMs, error.retryable]).toEqual(['rate_limited', 26_000, true]);
    llm.enqueue({ text: '{"intent":"ok"', finishReason: 'max_tokens' });
    expect((await llm.generate(prompt('x'))).finishReason).toBe('max_tokens');
    llm.hangNext();
    const hung = await llm.generate(prompt('x'), { timeoutMs: 20 }).catch((thrown: unknown) => thrown);
    expect(LLMError.isInstance(hung) && hung.kind).toBe('timeout');
    expect(llm.calls.map((call) => call.outcome)).toEqual(['rate_limited', 'answered', 'timeout']);
    expect(JSON.parse((await llm.generate(prompt('x'))).text).intent).toBe('ok');
  });

  it('waits latencyMs, and a delayed answer honours the caller signal', async () => {
    const llm = new MockLLM({ latencyMs: 30, fallback: { intent: null, confidence: 0 } });
    const started = performance.now();
    await llm.generate(prompt('x'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    llm.enqueue({ delayMs: 10_000, then: 'late' });
    const aborted = await llm.generate(prompt('x'), { signal: AbortSignal.timeout(20) }).catch((thrown: unknown) => thrown);
    expect(LLMError.isInstance(aborted) && aborted.kind).toBe('timeout');
    // A delay longer than a Node timer takes is capped, not cut to 1 ms.
    const instant = new MockLLM({ fallback: { intent: null, confidence: 0 } });
    instant.enqueue({ delayMs: 1e12, then: 'late' });
    const capped = await instant.generate(prompt('x'), { signal: AbortSignal.timeout(40) }).catch((thrown: unknown) => thrown);
    expect(LLMError.isInstance(capped) && capped.kind).toBe('timeout');
  });

  it('keeps the latest 100 calls by default, counts them all, and tells the last one', async () => {
    const llm = new MockLLM({ fallback: { intent: null, confidence: 0 } });
    for (let index = 0; index < 150; index += 1) await llm.generate(prompt(`m${index}`));
    expect(llm.callCount).toBe(150);
    expect(llm.calls.map((call) => call.index)).toEqual(Array.from({ length: 100 }, (_, index) => index + 51));
    expect(llm.lastCall).toMatchObject({ index: 150, message: 'm149', outcome: 'answered' });
    llm.reset();
    expect({ count: llm.callCount, calls: llm.calls.length, last: llm.lastCall }).toEqual({ count: 0, calls: 0, last: undefined });
  });

  it('maxRecordedCalls keeps more, all (Infinity) or none (0)', async () => {
    for (const [maxRecordedCalls, kept] of [
      [3, 3],
      [Number.POSITIVE_INFINITY, 5],
      [0, 0],
    ] as const) {
      const llm = new MockLLM({ maxRecordedCalls, fallback: { intent: null, confidence: 0 } });
      for (let index = 0; index < 5; index += 1) await llm.generate(prompt(`m${index}`));
      expect(llm.calls).toHaveLength(kept);
      expect(llm.lastCall?.message).toBe('m4');
      expect(llm.callCount).toBe(5);
    }
  });

  it('L2 a hung call still times out after a garbage collection (timeout signals are kept alive)', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const llm = new MockLLM();
    llm.hangNext();
    const pending = llm.generate(prompt('x'), { timeoutMs: 100 }).catch((thrown: unknown) => thrown);
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
    const error = await pending;
    expect(LLMError.isInstance(error) && error.kind).toBe('timeout');
  });

  const configurationError = (options: unknown): ConfigurationError => {
    try {
      new MockLLM(options as never);
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  };

  it('rejects misspelt options, also inside rules, extractors and the fallback, every problem at once', () => {
    const error = configurationError({
      rule: [],
      latencyMS: 5,
      maxRecordedcalls: 10,
      rules: [
        { mach: /x/, intent: 'a' },
        { match: /y/, confidance: 0.5 },
      ],
      extractors: [{ slot: 'region', patern: /in (\w+)/ }],
      fallback: { intent: null, confidence: 0.2, entites: {} },
    });
    expect(error.issues).toEqual([
      'unknown option "rule" — did you mean "rules"?',
      'unknown option "latencyMS" — did you mean "latencyMs"?',
      'unknown option "maxRecordedcalls" — did you mean "maxRecordedCalls"?',
      'rules[0]: unknown option "mach" — did you mean "match"?',
      'rules[0]: match: must be a RegExp, a string or a function of the message',
      'rules[1]: unknown option "confidance" — did you mean "confidence"?',
      'extractors[0]: unknown option "patern" — did you mean "pattern"?',
      'extractors[0]: pattern: must be a RegExp',
      'fallback: unknown option "entites" — did you mean "entities"?',
    ]);
  });

  it('rejects bad values', () => {
    expect(configurationError({ latencyMs: -1, respond: 'yes', maxRecordedCalls: 1.5, rules: ['x'], fallback: { intent: 3, confidence: 2 } }).issues).toEqual([
      'respond: must be a function (prompt, call) => answer',
      'latencyMs: must be 0 or more milliseconds',
      'maxRecordedCalls: must be a whole number of calls (0 or more), or Infinity',
      'rules[0]: must be an object',
      'fallback: intent: Invalid input: expected string, received number',
      'fallback: confidence: Too big: expected number to be <=1',
    ]);
    expect(configurationError(null).issues).toEqual(['MockLLM needs an options object (got null)']);
  });

  const kinds = 'the kinds are rate_limited, quota_exhausted, timeout, unavailable, auth, invalid_request, blocked, invalid_output';

  it('rejects an error kind outside the LLMError kinds in responses, naming it, the closest kind and every valid one', () => {
    expect(
      configurationError({ responses: [{ error: 'rate_limit' }, 'text', { delayMs: 1, then: { error: 'oops' } }, { error: 'timeout' }, { error: 42 }] }).issues,
    ).toEqual([
      `responses[0].error: unknown LLMError kind "rate_limit" — did you mean "rate_limited"? (${kinds})`,
      `responses[2].then.error: unknown LLMError kind "oops" (${kinds})`,
      `responses[4].error: unknown LLMError kind 42 (${kinds})`,
    ]);
    expect(() => new MockLLM({ responses: LLM_ERROR_KINDS.map((kind) => ({ error: kind })) })).not.toThrow();
    expect(() => new MockLLM({ responses: [{ error: new LLMError({ kind: 'auth', provider: 'x', message: 'no' }) }] })).not.toThrow();
  });

  it('failNext and enqueue refuse an unknown error kind with an InvalidArgumentError, queueing nothing', () => {
    const llm = new MockLLM();
    let caught: unknown;
    try {
      llm.failNext('rate_limit' as never);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).message).toBe(`Invalid kind: unknown LLMError kind "rate_limit" — did you mean "rate_limited"? (${kinds})`);
    expect(() => llm.enqueue('fine', { error: 'time_out' as never })).toThrow(
      `Invalid answers: [1].error: unknown LLMError kind "time_out" — did you mean "timeout"? (${kinds})`,
    );
    expect(llm.pending).toBe(0);
    llm.failNext('blocked').enqueue({ error: 'auth' });
    expect(llm.pending).toBe(2);
  });
});
