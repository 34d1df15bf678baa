import { CallDeadline, sanitizeError } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { mapGeminiError } from './map-gemini-error.js';
import { parseGeminiErrorBody } from './parse-gemini-error-body.js';
import { readWireFixture } from './wire-fixtures.test-support.js';

/** An `@google/genai` ApiError as the SDK builds it: name, numeric status, the body as message text. */
const apiError = (status: number, message: string) => Object.assign(new Error(message), { name: 'ApiError', status });

function map(error: unknown, secrets: string[] = []) {
  const deadline = new CallDeadline(10_000);
  try {
    return mapGeminiError(error, {
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      origin: 'https://example.invalid',
      secrets,
      deadline,
      wire: { sent: true, status: (error as { status?: number }).status },
    });
  } finally {
    deadline.dispose();
  }
}

describe('parseGeminiErrorBody', () => {
  it('reads a google.rpc envelope: status, ErrorInfo reasons, QuotaFailure ids, RetryInfo', () => {
    expect(parseGeminiErrorBody(readWireFixture('gemini', 'error-429-RESOURCE_EXHAUSTED.free-tier-retryinfo.json'))).toMatchObject({
      json: true,
      rpcStatus: 'RESOURCE_EXHAUSTED',
      quotaIds: ['GenerateContentInputTokensPerModelPerMinute-FreeTier', 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count'],
      retryDelay: '26s',
    });
    expect(parseGeminiErrorBody(readWireFixture('gemini', 'error-400-INVALID_ARGUMENT.api-key-invalid.json')).reasons).toEqual(['API_KEY_INVALID']);
  });

  it('unwraps the SDK text wrapping of the sdk-genai ApiError messages', () => {
    const help = parseGeminiErrorBody(readWireFixture('gemini', 'sdk-genai-ApiError-message.429-help-only.json'));
    expect(help).toMatchObject({ json: true, rpcStatus: 'RESOURCE_EXHAUSTED', quotaIds: [] });
    expect(help.retryDelay).toBeUndefined();
    expect(help.message).toMatch(/^You exceeded your current quota/);
    const demand = parseGeminiErrorBody(readWireFixture('gemini', 'sdk-genai-ApiError-message.503-high-demand.json'));
    expect(demand).toMatchObject({ json: true, rpcStatus: 'UNAVAILABLE' });
  });

  it('tells a non-JSON body wrapped by the SDK from a JSON one', () => {
    const wrappedHtml = JSON.stringify({ error: { message: '<html>502</html>', code: 502, status: 'Bad Gateway' } });
    expect(parseGeminiErrorBody(wrappedHtml)).toEqual({ json: false, message: '<html>502</html>', reasons: [], quotaIds: [] });
    expect(parseGeminiErrorBody('{"error":"plain"}')).toEqual({ json: true, message: '{"error":"plain"}', reasons: [], quotaIds: [] });
    expect(parseGeminiErrorBody('not json')).toMatchObject({ json: false });
  });
});

describe('mapGeminiError on SDK ApiErrors', () => {
  it('maps the sdk-genai fixture messages by their inner google.rpc status', () => {
    expect(map(apiError(429, readWireFixture('gemini', 'sdk-genai-ApiError-message.429-help-only.json')))).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
    });
    expect(map(apiError(503, readWireFixture('gemini', 'sdk-genai-ApiError-message.503-high-demand.json')))).toMatchObject({
      kind: 'unavailable',
      status: 503,
    });
  });

  it('O4 redacts the key from the message and rebuilds the cause without it', () => {
    const key = 'AIzaSyTESTKEY0123456789';
    const body = readWireFixture('gemini', 'error-400-INVALID_ARGUMENT.api-key-invalid.json').replace('key1234', key);
    const error = map(apiError(400, body), [key]);
    expect(error.kind).toBe('auth');
    expect(String((error.cause as Error).message)).toContain('Invalid API key: ***');
    expect(JSON.stringify(error) + String(error) + error.stack + (error.cause as Error).stack).not.toContain(key);
  });
});

describe('sanitizeError', () => {
  it('keeps name, code and the cause chain, and redacts URLs with keys', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 for https://x.invalid/v1?key=SECRET-KEY-1'), {
      code: 'ECONNREFUSED',
      config: { headers: { 'x-goog-api-key': 'SECRET-KEY-1' } },
    });
    const outer = new TypeError('fetch failed', { cause: inner });
    const copy = sanitizeError(outer, ['SECRET-KEY-1']) as Error & { cause: Error & { code: string; config?: unknown } };
    expect(copy.name).toBe('TypeError');
    expect(copy.cause.code).toBe('ECONNREFUSED');
    expect(copy.cause.config).toBeUndefined();
    expect(copy.cause.message).toBe('connect ECONNREFUSED 10.0.0.1:443 for https://x.invalid/v1?key=***');
  });
});
