import { isDeepStrictEqual } from 'node:util';
import { API_KEY_PLACEHOLDER, runHttpLLMConformance, type RecordedExchange } from '@ticketflow/core/testing';
import { GeminiLLM } from './gemini-llm.js';
import { readWireFixture } from './wire-fixtures.test-support.js';

const exchange = (status: number, file: string, extra: Partial<RecordedExchange> = {}): RecordedExchange => ({
  status,
  body: readWireFixture('gemini', file),
  label: `${file} (HTTP ${status})`,
  ...extra,
});

const textAnswer = readWireFixture('gemini', 'generateContent.text.response-200.usageMetadata.json');
const maxTokensAnswer = textAnswer.replace('"finishReason": "STOP"', '"finishReason": "MAX_TOKENS"');

interface GeminiRequestBody {
  generationConfig?: { responseMimeType?: string; responseJsonSchema?: unknown; responseSchema?: unknown; temperature?: number; maxOutputTokens?: number };
}

runHttpLLMConformance({
  name: 'gemini',
  create: ({ baseUrl, apiKey, timeoutMs, headers }) => new GeminiLLM({ apiKey, baseUrl, timeoutMs, headers }),
  wire: {
    success: { status: 200, body: textAnswer, label: 'generateContent.text.response-200.usageMetadata.json' },
    maxTokens: { status: 200, body: maxTokensAnswer, label: 'the text answer with finishReason MAX_TOKENS' },
    rate_limited: [
      exchange(429, 'error-429-RESOURCE_EXHAUSTED.free-tier-retryinfo.json', { retryAfterMs: 26_000 }),
      exchange(429, 'error-429-RESOURCE_EXHAUSTED.retryinfo-fractional.vercel-fixture.json', { retryAfterMs: 34_400 }),
      exchange(429, 'error-429-RESOURCE_EXHAUSTED.help-only-no-retryinfo.json'),
    ],
    quota_exhausted: [
      {
        status: 429,
        body: readWireFixture('gemini', 'error-429-RESOURCE_EXHAUSTED.retryinfo-fractional.vercel-fixture.json').replace('PerMinute', 'PerDay'),
        label: 'the fractional 429 with a per-day quotaId',
        retryAfterMs: 34_400,
      },
    ],
    auth: [
      // The DebugInfo echoes the key: served with the run's key in its place.
      {
        ...exchange(400, 'error-400-INVALID_ARGUMENT.api-key-invalid.json'),
        body: readWireFixture('gemini', 'error-400-INVALID_ARGUMENT.api-key-invalid.json').replace('key1234', API_KEY_PLACEHOLDER),
      },
    ],
    invalid_request: [
      exchange(400, 'error-400-INVALID_ARGUMENT.bad-request-field-violations.json'),
      exchange(400, 'error-400-INVALID_ARGUMENT.response-schema-invalid-value.json'),
      exchange(400, 'error-400-INVALID_ARGUMENT.penalty-not-enabled.vercel-fixture.json'),
      exchange(404, 'error-404-NOT_FOUND.unknown-model.json'),
    ],
    unavailable: [exchange(503, 'error-503-UNAVAILABLE.overloaded.json')],
    blocked: [
      exchange(200, 'generateContent.finishReason-SAFETY.response-200.json'),
      exchange(200, 'generateContent.finishReason-SAFETY.vertex-blocked-rating.response-200.json'),
      exchange(200, 'generateContent.promptFeedback-blockReason-SAFETY.response-200.json'),
      exchange(200, 'generateContent.only-promptFeedback-no-candidates.response-200.json'),
    ],
  },
  expectedAnswer: {
    text: "Google's headquarters, also known as the Googleplex, is located in **Mountain View, California**.\n",
    model: 'gemini-2.0-flash',
    usage: { inputTokens: 7, outputTokens: 22 },
    finishReason: 'stop',
  },
  structuredOutput: (body, schema) => {
    const config = (body as GeminiRequestBody).generationConfig;
    const { $schema: _dialect, ...withoutDialect } = schema;
    return config?.responseMimeType === 'application/json' && isDeepStrictEqual(config.responseJsonSchema, withoutDialect);
  },
  generationOptions: (body) => {
    const config = (body as GeminiRequestBody).generationConfig;
    return { temperature: config?.temperature, maxOutputTokens: config?.maxOutputTokens };
  },
  capabilities: { retryAfterHeader: true, customHeaders: true, urlCredentials: true },
});
