import { LLMError } from '@ticketflow/core';
import { DECISION_JSON_SCHEMA, expectNoSecret } from '@ticketflow/core/testing';
import { describe, expect, it } from 'vitest';
import { GeminiLLM } from './gemini-llm.js';

// Opt-in: runs only with GEMINI_API_KEY set (GEMINI_MODEL optional). Calls the real API.
const apiKey = process.env.GEMINI_API_KEY;
const model = process.env.GEMINI_MODEL;

describe.skipIf(!apiKey)('GeminiLLM against the live Gemini API', () => {
  it('answers a decision in JSON mode with usage', { timeout: 60_000 }, async () => {
    const llm = new GeminiLLM({ apiKey: apiKey as string, model, timeoutMs: 45_000 });
    const response = await llm.generate('The customer writes: "my internet is down in Berlin". Classify the intent.', {
      jsonSchema: DECISION_JSON_SCHEMA,
      temperature: 0,
      maxOutputTokens: 2_048,
    });
    const decision = JSON.parse(response.text) as { confidence: number };
    expect(decision.confidence).toBeGreaterThanOrEqual(0);
    expect(response.usage?.inputTokens).toBeGreaterThan(0);
    expect(response.finishReason).toBe('stop');
  });

  it('maps an invalid key to auth without leaking it', { timeout: 60_000 }, async () => {
    const badKey = 'AIzaSy-ticketflow-invalid-key-0000000000';
    const error = await new GeminiLLM({ apiKey: badKey, model }).generate('hi').catch((caught: unknown) => caught);
    expect(LLMError.isInstance(error) && error.kind).toBe('auth');
    expectNoSecret(error, [badKey]);
  });
});
