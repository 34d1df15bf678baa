import { inspect } from 'node:util';
import { ConfigurationError, createAgent, defineIntent, defineWorkflow, LLMError, type LLMErrorKind, MemoryTicketStore } from '@ticketflow/core';
import { expectNoSecret, LoopbackLLMServer, type RecordedExchange } from '@ticketflow/core/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GeminiLLM, type GeminiLLMOptions } from './gemini-llm.js';
import { listWireFixtures, readWireFixture } from './wire-fixtures.test-support.js';

const API_KEY = 'key1234'; // the key the api-key-invalid fixture's DebugInfo echoes
const servers: LoopbackLLMServer[] = [];
afterAll(async () => Promise.all(servers.map((server) => server.close())));

async function serve(exchange: RecordedExchange, options: Partial<GeminiLLMOptions> = {}) {
  const server = await LoopbackLLMServer.start({ handler: { type: 'respond', exchange } });
  servers.push(server);
  return { server, llm: new GeminiLLM({ apiKey: API_KEY, baseUrl: server.url, ...options }) };
}

const fixture = (file: string) => readWireFixture('gemini', file);
const json = <T>(file: string) => JSON.parse(fixture(file)) as T;

type Outcome =
  { kind: LLMErrorKind; status?: number; retryAfterMs?: number } | { text: RegExp; usage: { inputTokens: number; outputTokens: number }; model: string };

/** Every response fixture and what the adapter makes of it, served as recorded. */
const RESPONSE_FIXTURES: Record<string, { status: number; outcome: Outcome }> = {
  'error-400-INVALID_ARGUMENT.api-key-invalid.json': { status: 400, outcome: { kind: 'auth', status: 400 } },
  'error-400-INVALID_ARGUMENT.bad-request-field-violations.json': { status: 400, outcome: { kind: 'invalid_request', status: 400 } },
  'error-400-INVALID_ARGUMENT.penalty-not-enabled.vercel-fixture.json': { status: 400, outcome: { kind: 'invalid_request', status: 400 } },
  'error-400-INVALID_ARGUMENT.response-schema-invalid-value.json': { status: 400, outcome: { kind: 'invalid_request', status: 400 } },
  'error-404-NOT_FOUND.unknown-model.json': { status: 404, outcome: { kind: 'invalid_request', status: 404 } },
  'error-429-RESOURCE_EXHAUSTED.free-tier-retryinfo.json': { status: 429, outcome: { kind: 'rate_limited', status: 429, retryAfterMs: 26_000 } },
  'error-429-RESOURCE_EXHAUSTED.help-only-no-retryinfo.json': { status: 429, outcome: { kind: 'rate_limited', status: 429 } },
  'error-429-RESOURCE_EXHAUSTED.retryinfo-fractional.vercel-fixture.json': {
    status: 429,
    outcome: { kind: 'rate_limited', status: 429, retryAfterMs: 34_400 },
  },
  'error-503-UNAVAILABLE.overloaded.json': { status: 503, outcome: { kind: 'unavailable', status: 503 } },
  'generateContent.finishReason-SAFETY.response-200.json': { status: 200, outcome: { kind: 'blocked' } },
  'generateContent.finishReason-SAFETY.vertex-blocked-rating.response-200.json': { status: 200, outcome: { kind: 'blocked' } },
  'generateContent.promptFeedback-blockReason-SAFETY.response-200.json': { status: 200, outcome: { kind: 'blocked' } },
  'generateContent.only-promptFeedback-no-candidates.response-200.json': { status: 200, outcome: { kind: 'blocked' } },
  'generateContent.responseJsonSchema.response-200.json': {
    status: 200,
    outcome: { text: /^\{\n {2}"simpleString": "example"/, usage: { inputTokens: 5, outputTokens: 238 + 41 }, model: 'gemini-2.5-flash' },
  },
  'generateContent.text.response-200.usageMetadata.json': {
    status: 200,
    outcome: { text: /Mountain View, California/, usage: { inputTokens: 7, outputTokens: 22 }, model: 'gemini-2.0-flash' },
  },
};
/** `@google/genai` ApiError message texts: served as the text/plain body they wrap. */
const SDK_MESSAGE_FIXTURES: Record<string, LLMErrorKind> = {
  'sdk-genai-ApiError-message.429-help-only.json': 'rate_limited',
  'sdk-genai-ApiError-message.503-high-demand.json': 'unavailable',
};
const REQUEST_FIXTURES = [
  'generateContent.maxOutputTokens.request.json',
  'generateContent.responseJsonSchema.request.json',
  'generateContent.responseSchema.request.json',
];

describe('GeminiLLM against every recorded Gemini body', () => {
  it('covers every fixture file of the directory', () => {
    const covered = [...Object.keys(RESPONSE_FIXTURES), ...Object.keys(SDK_MESSAGE_FIXTURES), ...REQUEST_FIXTURES].sort();
    expect(listWireFixtures('gemini')).toEqual(covered);
  });

  for (const [file, { status, outcome }] of Object.entries(RESPONSE_FIXTURES)) {
    const expectation = 'kind' in outcome ? `${outcome.kind}${outcome.retryAfterMs ? ` (retry after ${outcome.retryAfterMs} ms)` : ''}` : 'an answer';
    it(`maps ${file} to ${expectation}`, async () => {
      const { llm, server } = await serve({ status, body: fixture(file) });
      const result = await llm.generate('hi').then(
        (response) => response,
        (error: unknown) => error,
      );
      expect(server.requests).toHaveLength(1);
      if ('kind' in outcome) {
        expect(LLMError.isInstance(result)).toBe(true);
        const error = result as LLMError;
        expect({ kind: error.kind, provider: error.provider, retryAfterMs: error.retryAfterMs }).toEqual({
          kind: outcome.kind,
          provider: 'gemini',
          retryAfterMs: outcome.retryAfterMs,
        });
        if (outcome.status) expect(error.status).toBe(outcome.status);
        expect(error.retryable).toBe(LLMError.isRetryableKind(outcome.kind));
        expectNoSecret(error, [API_KEY]);
      } else {
        expect(result).toMatchObject({ model: outcome.model, usage: outcome.usage, finishReason: 'stop' });
        expect((result as { text: string }).text).toMatch(outcome.text);
      }
    });
  }

  for (const [file, kind] of Object.entries(SDK_MESSAGE_FIXTURES)) {
    it(`unwraps the SDK's text wrapping of ${file} to ${kind}`, async () => {
      const wrapped = json<{ error: { message: string; code: number } }>(file).error;
      const { llm } = await serve({ status: wrapped.code, headers: { 'content-type': 'text/plain' }, body: wrapped.message });
      const error = await llm.generate('hi').catch((caught: unknown) => caught as LLMError);
      expect({ kind: (error as LLMError).kind, status: (error as LLMError).status }).toEqual({ kind, status: wrapped.code });
      expect((error as LLMError).message).toMatch(
        kind === 'rate_limited' ? /RESOURCE_EXHAUSTED: You exceeded your current quota/ : /UNAVAILABLE: This model is currently/,
      );
    });
  }

  it('a per-day quota (QuotaFailure quotaId …PerDay…) is quota_exhausted, not retryable', async () => {
    const body = fixture('error-429-RESOURCE_EXHAUSTED.free-tier-retryinfo.json').replace('PerModelPerMinute', 'PerModelPerDay');
    const { llm } = await serve({ status: 429, body });
    const error = (await llm.generate('hi').catch((caught: unknown) => caught)) as LLMError;
    expect({ kind: error.kind, retryable: error.retryable, retryAfterMs: error.retryAfterMs }).toEqual({
      kind: 'quota_exhausted',
      retryable: false,
      retryAfterMs: 26_000,
    });
  });
});

describe('GeminiLLM requests', () => {
  interface RequestBody {
    contents: unknown;
    generationConfig: Record<string, unknown> & { responseJsonSchema?: Record<string, unknown> };
  }
  const answer = { status: 200, body: fixture('generateContent.text.response-200.usageMetadata.json') };

  it('sends the recorded maxOutputTokens request byte for byte (as JSON)', async () => {
    const { llm, server } = await serve(answer, { thinkingBudget: 50 });
    await llm.generate('why is the sky blue?', { maxOutputTokens: 200 });
    expect(server.requests[0]?.json).toEqual(json('generateContent.maxOutputTokens.request.json'));
  });

  it('sends the JSON Schema unchanged as responseJsonSchema, like the recorded request (minus $schema)', async () => {
    const recorded = json<RequestBody>('generateContent.responseJsonSchema.request.json');
    const { $schema: _dialect, ...schema } = recorded.generationConfig.responseJsonSchema ?? {};
    const { llm, server } = await serve(answer);
    await llm.generate('populate the following object', { jsonSchema: recorded.generationConfig.responseJsonSchema });
    expect(server.requests[0]?.json).toEqual({
      contents: recorded.contents,
      generationConfig: { candidateCount: 1, responseMimeType: 'application/json', responseJsonSchema: schema },
    });
  });

  it("with schemaDialect 'openapi' sends the recorded OpenAPI responseSchema", async () => {
    const jsonSchema = json<RequestBody>('generateContent.responseJsonSchema.request.json').generationConfig.responseJsonSchema;
    const recorded = json<RequestBody>('generateContent.responseSchema.request.json');
    const { llm, server } = await serve(answer, { schemaDialect: 'openapi' });
    await llm.generate('populate the following object', { jsonSchema });
    const sent = server.requests[0]?.json as RequestBody;
    expect(sent.contents).toEqual(recorded.contents);
    expect(sent.generationConfig.responseMimeType).toBe('application/json');
    expect(sent.generationConfig.responseJsonSchema).toBeUndefined();
    // The recorded body sends int64 bounds as strings and has no propertyOrdering.
    const normalise = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value, (key, item: unknown) => (key === 'propertyOrdering' ? undefined : /^(min|max)(Length|Items)$/.test(key) ? String(item) : item)),
      );
    expect(normalise(sent.generationConfig.responseSchema)).toEqual(normalise(recorded.generationConfig.responseSchema));
  });

  it('puts the key in the x-goog-api-key header only, and the model and apiVersion in the path', async () => {
    const { llm, server } = await serve(answer, { model: 'gemini-2.0-flash', apiVersion: 'v1', headers: { 'x-gateway': 'yes' } });
    await llm.generate('hi', { temperature: 0 });
    const request = server.requests[0];
    expect(request?.url).toBe('/v1/models/gemini-2.0-flash:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(request?.headers['x-gateway']).toBe('yes');
    expect(request?.body.includes(API_KEY)).toBe(false);
    expect((request?.json as RequestBody).generationConfig.temperature).toBe(0);
  });

  it('a recursive schema in openapi dialect is invalid_request and sends nothing', async () => {
    const { llm, server } = await serve(answer, { schemaDialect: 'openapi' });
    const recursive = { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } };
    await expect(llm.generate('hi', { jsonSchema: recursive })).rejects.toMatchObject({ kind: 'invalid_request', provider: 'gemini' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('GeminiLLM answers', () => {
  const base = json<{ candidates: Record<string, unknown>[] } & Record<string, unknown>>('generateContent.text.response-200.usageMetadata.json');
  const withCandidate = (candidate: Record<string, unknown>) => JSON.stringify({ ...base, candidates: [{ ...base.candidates[0], ...candidate }] });

  it('§6 an answer cut off at MAX_TOKENS is invalid_output, never a normal answer', async () => {
    const { llm } = await serve({ status: 200, body: withCandidate({ finishReason: 'MAX_TOKENS' }) });
    await expect(llm.generate('hi')).rejects.toMatchObject({ kind: 'invalid_output', retryable: false, message: expect.stringMatching(/MAX_TOKENS/) });
  });

  it.each(['PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION'])('a candidate stopped by %s is blocked', async (finishReason) => {
    const { llm } = await serve({ status: 200, body: withCandidate({ finishReason }) });
    await expect(llm.generate('hi')).rejects.toMatchObject({ kind: 'blocked', message: expect.stringContaining(finishReason) });
  });

  it('an abnormal stop (OTHER, MALFORMED_RESPONSE) or an answer without text is invalid_output', async () => {
    for (const body of [
      withCandidate({ finishReason: 'OTHER' }),
      withCandidate({ finishReason: 'MALFORMED_RESPONSE' }),
      withCandidate({ content: { parts: [], role: 'model' } }),
    ]) {
      const { llm } = await serve({ status: 200, body });
      await expect(llm.generate('hi')).rejects.toMatchObject({ kind: 'invalid_output' });
    }
  });

  it('skips thought parts and joins the text parts', async () => {
    const parts = [{ text: 'thinking…', thought: true }, { text: '{"intent":' }, { text: 'null}' }];
    const { llm } = await serve({ status: 200, body: withCandidate({ content: { parts, role: 'model' } }) });
    expect((await llm.generate('hi')).text).toBe('{"intent":null}');
  });

  it.each([{ a: 1 }, [null], 'SAFETY', 42])('§6 a SAFETY stop with safetyRatings %j is blocked (never a retryable TypeError)', async (safetyRatings) => {
    const { llm } = await serve({ status: 200, body: withCandidate({ finishReason: 'SAFETY', safetyRatings }) });
    await expect(llm.generate('hi')).rejects.toMatchObject({ kind: 'blocked', retryable: false });
  });

  it('foreign shapes of parts, candidates and modelVersion never throw a TypeError: a clear kind, or the configured model', async () => {
    for (const body of [
      withCandidate({ content: { parts: { text: 'x' } } }),
      JSON.stringify({ ...base, candidates: [null] }),
      withCandidate({ finishReason: { x: 1 } }),
    ]) {
      const { llm } = await serve({ status: 200, body });
      const error = await llm.generate('hi').then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(
        LLMError.isInstance(error) && ['invalid_output', 'unavailable'].includes(error.kind) && !/TypeError|is not a function/.test(error.message),
        String(error),
      ).toBe(true);
    }
    for (const modelVersion of [{ name: 'x' }, 'm'.repeat(100_000)]) {
      const { llm } = await serve({ status: 200, body: JSON.stringify({ ...base, modelVersion }) }, { model: 'gemini-2.5-flash-lite' });
      expect((await llm.generate('hi')).model).toBe('gemini-2.5-flash-lite');
    }
  });

  it('reports no usage when usageMetadata is absent, and the configured model when modelVersion is', async () => {
    const { usageMetadata: _usage, modelVersion: _model, ...rest } = base;
    const { llm } = await serve({ status: 200, body: JSON.stringify(rest) }, { model: 'gemini-2.5-flash-lite' });
    const response = await llm.generate('hi');
    expect(response.usage).toBeUndefined();
    expect(response.model).toBe('gemini-2.5-flash-lite');
  });
});

describe('GeminiLLM secrets and configuration', () => {
  afterEach(() => vi.restoreAllMocks());

  it('O4 never logs or exposes the key, whatever fails', async () => {
    const logged: string[] = [];
    for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => inspect(arg)).join(' ')));
    }
    for (const [file, { status }] of Object.entries(RESPONSE_FIXTURES)) {
      const { llm } = await serve({ status, body: fixture(file) });
      await llm.generate('hi').catch((error: unknown) => expectNoSecret(error, [API_KEY]));
      expect(inspect(llm, { showHidden: true, depth: 5 }).includes(API_KEY)).toBe(false);
      expect(JSON.stringify(llm).includes(API_KEY)).toBe(false);
    }
    expect(logged.filter((line) => line.includes(API_KEY))).toEqual([]);
  });

  it('O4 a gateway token echoed verbatim and URL-encoded reaches neither the error nor the llm.failed / turn.degraded events (issue 12.13)', async () => {
    const token = 'gw-live-7Qx2mZ9pL4vR8sT1';
    const server = await LoopbackLLMServer.start({ handler: { type: 'echo', status: 401, format: 'json-envelope' } });
    servers.push(server);
    const llm = new GeminiLLM({ apiKey: API_KEY, baseUrl: server.url, headers: { authorization: `Bearer ${token}` } });
    const error = await llm.generate('hi').catch((caught: unknown) => caught);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expectNoSecret(error, [token, API_KEY]);

    const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm,
      intents: [intent],
      workflows: [defineWorkflow({ name: 'fix', intent, required: [], run: () => ({ status: 'resolved', reply: 'ok' }) })],
    });
    const result = await agent.handle({ ticketId: 'T-1', message: 'no internet' });
    expect(result.action.type).toBe('fallback');
    const { events } = await agent.inspect('T-1');
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['llm.failed', 'turn.degraded']));
    expectNoSecret(events, [token, API_KEY], 'events');
  });

  it('O4 baseUrl userinfo is sent as Authorization: Basic and scrubbed; with an Authorization header too it is refused', async () => {
    const server = await LoopbackLLMServer.start({ handler: { type: 'echo', status: 502, format: 'html' } });
    servers.push(server);
    const llm = new GeminiLLM({ apiKey: API_KEY, baseUrl: server.url.replace('://', '://gw:s3cr%2Ft-pass@') });
    const error = await llm.generate('hi').catch((caught: unknown) => caught);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('gw:s3cr/t-pass').toString('base64')}`);
    expect(error).toMatchObject({ kind: 'unavailable', status: 502 });
    expectNoSecret(error, ['s3cr/t-pass', 'gw:s3cr/t-pass', API_KEY]);
    const both = () => new GeminiLLM({ apiKey: API_KEY, baseUrl: 'https://gw:s3cr-t-pass@gw.example', headers: { Authorization: 'Bearer tok-123456' } });
    expect(both).toThrow(/baseUrl carries user:password and headers carry an Authorization header/);
  });

  const configurationError = (options: unknown): ConfigurationError => {
    try {
      new GeminiLLM(options as GeminiLLMOptions);
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  };

  it('rejects misspelt options, naming the key and the closest valid one, every problem at once', () => {
    const error = configurationError({
      apikey: 'k-123456',
      modle: 'gemini-2.5-pro',
      baseURL: 'https://gw.example',
      timeoutMS: 5_000,
      header: {},
      schemaDialog: 'openapi',
    });
    expect(error.issues).toEqual([
      'unknown option "apikey" — did you mean "apiKey"?',
      'unknown option "modle" — did you mean "model"?',
      'unknown option "baseURL" — did you mean "baseUrl"?',
      'unknown option "timeoutMS" — did you mean "timeoutMs"?',
      'unknown option "header" — did you mean "headers"?',
      'unknown option "schemaDialog" — did you mean "schemaDialect"?',
      'apiKey: must be a non-empty string (e.g. process.env.GEMINI_API_KEY)',
    ]);
    expect(error.message).toMatch(/^Invalid GeminiLLM options\n - unknown option "apikey"/);
  });

  it('rejects bad values, each with what is expected', () => {
    const error = configurationError({
      apiKey: ' ',
      timeoutMs: -1,
      baseUrl: 'not a url',
      schemaDialect: 'xml',
      thinkingBudget: 1.5,
      headers: { 'x-n': 1 },
      fetch: 'no',
    });
    expect(error.issues).toEqual([
      'apiKey: must be a non-empty string (e.g. process.env.GEMINI_API_KEY)',
      'baseUrl: must be an absolute http: or https: URL, e.g. https://generativelanguage.googleapis.com',
      'timeoutMs: must be a positive number of milliseconds',
      "schemaDialect: must be 'json-schema' or 'openapi'",
      'thinkingBudget: must be an integer: -1 (dynamic), 0 (off) or a number of tokens',
      'headers.x-n: must be a string',
      'fetch: must be a function',
    ]);
    expect(configurationError(undefined).issues).toEqual(['GeminiLLM needs an options object (got undefined)']);
  });

  it('rejects a baseUrl that is not an http: or https: URL at construction', () => {
    for (const baseUrl of ['ftp://127.0.0.1:1', 'javascript:alert(1)', 'file:///etc/passwd', 'ws://gw.example', 'localhost:8080', 'http://']) {
      expect(configurationError({ apiKey: 'k-123456', baseUrl }).issues, baseUrl).toEqual([
        'baseUrl: must be an absolute http: or https: URL, e.g. https://generativelanguage.googleapis.com',
      ]);
    }
    for (const baseUrl of ['https://gw.example', 'http://127.0.0.1:8080/gemini', 'HTTPS://GW.EXAMPLE/']) {
      expect(() => new GeminiLLM({ apiKey: 'k-123456', baseUrl })).not.toThrow();
    }
  });

  it('O4 a configuration error never prints the key or a header value', () => {
    const error = configurationError({
      apiKey: 'AIza-secret-123456',
      timeoutMS: 1,
      headers: { authorization: 'Bearer tok-secret-123456' },
      baseUrl: 'https://u:pw-secret-123456@gw.example',
    });
    expectNoSecret(error, ['AIza-secret-123456', 'tok-secret-123456', 'pw-secret-123456']);
    const injected = configurationError({ apiKey: 'AIza-secret-123456', headers: { authorization: 'Bearer tok-secret-123456\r\nx-evil: 1', 'bad name': 'x' } });
    expect(injected.issues).toEqual(['headers.authorization: must not contain CR, LF or NUL', 'headers.bad name: must be an HTTP header name']);
    expectNoSecret(injected, ['AIza-secret-123456', 'tok-secret-123456']);
  });

  it('has the defaults of the contract', () => {
    const llm = new GeminiLLM({ apiKey: 'k-123456' });
    expect({ name: llm.name, model: llm.model }).toEqual({ name: 'gemini', model: 'gemini-2.5-flash' });
    expect(new GeminiLLM({ apiKey: 'k-123456', name: 'gemini-pro', model: 'gemini-2.5-pro' }).name).toBe('gemini-pro');
  });
});
