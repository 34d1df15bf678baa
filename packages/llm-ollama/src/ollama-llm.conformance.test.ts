import { isDeepStrictEqual } from 'node:util';
import { runHttpLLMConformance, type RecordedExchange } from '@ticketflow/core/testing';
import { OllamaLLM } from './ollama-llm.js';
import { readWireFixture } from './wire-fixtures.test-support.js';

const exchange = (status: number, file: string): RecordedExchange => ({ status, body: readWireFixture('ollama', file), label: `${file} (HTTP ${status})` });
const answer = readWireFixture('ollama', 'chat.format-schema.response-200.json');

interface ChatRequestBody {
  format?: unknown;
  options?: { temperature?: number; num_predict?: number };
}

runHttpLLMConformance({
  name: 'ollama',
  // Ollama has no key of its own; a proxy takes one in a header (the gateway tests add Authorization: Bearer … and URL userinfo).
  create: ({ baseUrl, apiKey, timeoutMs, headers }) => new OllamaLLM({ host: baseUrl, timeoutMs, headers: { 'X-Api-Key': apiKey, ...headers } }),
  wire: {
    success: { status: 200, body: answer, label: 'chat.format-schema.response-200.json' },
    maxTokens: { status: 200, body: answer.replace('"done_reason": "stop"', '"done_reason": "length"'), label: 'the chat answer with done_reason length' },
    invalid_request: [exchange(404, 'error-404.chat-model-not-found.v0.1.32.json'), exchange(400, 'error-400.chat-model-required.json')],
    rate_limited: [exchange(429, 'error-429.chat-rate-limit-exceeded.json')],
    unavailable: [exchange(500, 'error.generic.json'), { ...exchange(503, 'error.generic.json'), label: 'error.generic.json (HTTP 503)' }],
  },
  expectedAnswer: { text: '{"age": 22, "available": false}', model: 'llama3.1', usage: { inputTokens: 34, outputTokens: 12 }, finishReason: 'stop' },
  structuredOutput: (body, schema) => isDeepStrictEqual((body as ChatRequestBody).format, schema),
  generationOptions: (body) => {
    const options = (body as ChatRequestBody).options;
    return { temperature: options?.temperature, maxOutputTokens: options?.num_predict };
  },
  capabilities: { retryAfterHeader: true, customHeaders: true, urlCredentials: true },
});
