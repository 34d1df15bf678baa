import { extractLatestMessage, LLMError } from '@ticketflow/core';
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
      extractors: [{ slot: 'region', pattern: /in ([A-Z][a-z]+)/ }, { slot: 'phone', pattern: /(\+?\d[\d ]{6,}\d)/ }],
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
  });
});
