import { LLMError } from '@ticketflow/core';
import { DECISION_JSON_SCHEMA } from '@ticketflow/core/testing';
import { describe, expect, it } from 'vitest';
import { OllamaLLM } from './ollama-llm.js';

// Opt-in: runs only with OLLAMA_LIVE=1 or OLLAMA_HOST set, against a running Ollama that has
// the model pulled (`ollama pull phi3`; OLLAMA_MODEL overrides the model).
const live = process.env.OLLAMA_LIVE === '1' || Boolean(process.env.OLLAMA_HOST);
const host = process.env.OLLAMA_HOST;
const model = process.env.OLLAMA_MODEL ?? 'phi3';

describe.skipIf(!live)('OllamaLLM against a running Ollama', () => {
  it('answers a decision with the JSON Schema in format', { timeout: 180_000 }, async () => {
    const llm = new OllamaLLM({ host, model, timeoutMs: 170_000 });
    const response = await llm.generate('The customer writes: "my internet is down in Berlin". Classify the intent.', {
      jsonSchema: DECISION_JSON_SCHEMA,
      temperature: 0,
      maxOutputTokens: 512,
    });
    expect(typeof (JSON.parse(response.text) as { confidence: unknown }).confidence).toBe('number');
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('maps a model that is not pulled to invalid_request with the pull hint', { timeout: 60_000 }, async () => {
    const error = await new OllamaLLM({ host, model: 'ticketflow-no-such-model' }).generate('hi').catch((caught: unknown) => caught);
    expect(LLMError.isInstance(error) && error.kind).toBe('invalid_request');
    expect((error as LLMError).message).toMatch(/ollama pull ticketflow-no-such-model/);
  });
});
