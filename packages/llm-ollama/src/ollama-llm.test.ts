import { inspect } from 'node:util';
import { CallDeadline, ConfigurationError, LLMError, type LLMErrorKind } from '@ticketflow/core';
import { expectNoSecret, LoopbackLLMServer, refusedConnectionUrl, type RecordedExchange } from '@ticketflow/core/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mapOllamaError } from './map-ollama-error.js';
import { OllamaLLM, type OllamaLLMOptions } from './ollama-llm.js';
import { listWireFixtures, readWireFixture } from './wire-fixtures.test-support.js';

const servers: LoopbackLLMServer[] = [];
afterAll(async () => Promise.all(servers.map((server) => server.close())));

async function serve(exchange: RecordedExchange, options: OllamaLLMOptions = {}) {
  const server = await LoopbackLLMServer.start({ handler: { type: 'respond', exchange } });
  servers.push(server);
  return { server, llm: new OllamaLLM({ host: server.url, ...options }) };
}
const fixture = (file: string) => readWireFixture('ollama', file);
const json = <T = Record<string, unknown>>(file: string) => JSON.parse(fixture(file)) as T;
const answer = { status: 200, body: fixture('chat.format-schema.response-200.json') };

type Outcome =
  | { kind: LLMErrorKind; status?: number; message?: RegExp }
  | { text: string; usage: { inputTokens: number; outputTokens: number }; model: string; finishReason?: string };

/** Every Ollama answer fixture, served as a reply to /api/chat, and what the adapter makes of it. */
const RESPONSE_FIXTURES: Record<string, { status: number; outcome: Outcome }> = {
  'chat.format-schema.response-200.json': {
    status: 200,
    outcome: { text: '{"age": 22, "available": false}', usage: { inputTokens: 34, outputTokens: 12 }, model: 'llama3.1', finishReason: 'stop' },
  },
  'chat.no-stream.response-200.json': {
    status: 200,
    outcome: { text: 'Hello! How are you today?', usage: { inputTokens: 26, outputTokens: 298 }, model: 'llama3.2' },
  },
  'chat.stream.chunk.json': { status: 200, outcome: { kind: 'unavailable', message: /partial \(streaming\) chunk/ } },
  'chat.stream.final-chunk.json': { status: 200, outcome: { kind: 'invalid_output', message: /no text/ } },
  'chat.stream-tools.tool-call-chunk.json': { status: 200, outcome: { kind: 'unavailable', message: /partial/ } },
  'chat.stream-tools.final-chunk.json': { status: 200, outcome: { kind: 'invalid_output', message: /no text/ } },
  'generate.format-json.response-200.json': { status: 200, outcome: { kind: 'unavailable', message: /not an \/api\/chat response/ } },
  'generate.stream.ndjson': { status: 200, outcome: { kind: 'unavailable', message: /HTTP 200 with a body/ } },
  'generate.stream-error-mid-stream.ndjson': { status: 200, outcome: { kind: 'unavailable', message: /HTTP 200 with a body/ } },
  'error-404.chat-model-not-found.v0.1.32.json': {
    status: 404,
    outcome: { kind: 'invalid_request', status: 404, message: /model 'llama3' not found.*ollama pull phi3/ },
  },
  'error-400.chat-model-required.json': { status: 400, outcome: { kind: 'invalid_request', status: 400, message: /model is required/ } },
  'error-429.chat-rate-limit-exceeded.json': { status: 429, outcome: { kind: 'rate_limited', status: 429, message: /rate limit exceeded/ } },
  'error.generic.json': { status: 500, outcome: { kind: 'unavailable', status: 500, message: /the model failed to generate a response/ } },
};
const REQUEST_FIXTURES = [
  'chat.format-json.request.json',
  'chat.format-schema.request.json',
  'chat.no-stream.request.json',
  'generate.format-json.request.json',
];

describe('OllamaLLM against every recorded Ollama body', () => {
  it('covers every fixture file of the directory', () => {
    expect(listWireFixtures('ollama')).toEqual([...Object.keys(RESPONSE_FIXTURES), ...REQUEST_FIXTURES].sort());
  });

  for (const [file, { status, outcome }] of Object.entries(RESPONSE_FIXTURES)) {
    it(`maps ${file} (HTTP ${status}) to ${'kind' in outcome ? outcome.kind : 'an answer'}`, async () => {
      const { llm, server } = await serve({ status, body: fixture(file), headers: { 'content-type': 'application/json' } });
      const result = await llm.generate('hi').then(
        (response) => response,
        (error: unknown) => error,
      );
      expect(server.requests).toHaveLength(1);
      if ('kind' in outcome) {
        expect(LLMError.isInstance(result)).toBe(true);
        const error = result as LLMError;
        expect({ kind: error.kind, provider: error.provider, retryable: error.retryable }).toEqual({
          kind: outcome.kind,
          provider: 'ollama',
          retryable: LLMError.isRetryableKind(outcome.kind),
        });
        if (outcome.status) expect(error.status).toBe(outcome.status);
        if (outcome.message) expect(error.message).toMatch(outcome.message);
      } else {
        expect(result).toMatchObject(outcome);
        if (!outcome.finishReason) expect((result as { finishReason?: string }).finishReason).toBeUndefined();
      }
    });
  }
});

describe('OllamaLLM requests', () => {
  it('sends the recorded structured-output request (format = the JSON Schema, options.temperature)', async () => {
    const recorded = json<{ messages: { content: string }[]; format: Record<string, unknown> }>('chat.format-schema.request.json');
    const { llm, server } = await serve(answer, { model: 'llama3.1' });
    await llm.generate(recorded.messages[0]!.content, { jsonSchema: recorded.format, temperature: 0 });
    expect(server.requests[0]?.url).toBe('/api/chat');
    expect(server.requests[0]?.json).toEqual(recorded);
  });

  it('sends the recorded plain request when no schema is given', async () => {
    const recorded = json<{ messages: { content: string }[] }>('chat.no-stream.request.json');
    const { llm, server } = await serve(answer, { model: 'llama3.2' });
    await llm.generate(recorded.messages[0]!.content);
    expect(server.requests[0]?.json).toEqual(recorded);
  });

  it('sends no format: "json" without a schema (it only asks for JSON when given one)', async () => {
    const { format: _json, ...recorded } = json<{ messages: { content: string }[]; format?: string }>('chat.format-json.request.json');
    const { llm, server } = await serve(answer, { model: 'gpt-oss' });
    await llm.generate(recorded.messages[0]!.content);
    expect(server.requests[0]?.json).toEqual(recorded);
  });

  it('uses /api/chat with the prompt as a user message, not /api/generate', async () => {
    const recorded = json<{ prompt: string }>('generate.format-json.request.json');
    const { llm, server } = await serve(answer);
    await llm.generate(recorded.prompt);
    expect(server.requests[0]?.url).toBe('/api/chat');
    expect(server.requests[0]?.json).toMatchObject({ model: 'phi3', messages: [{ role: 'user', content: recorded.prompt }], stream: false });
    expect((server.requests[0]?.json as { prompt?: string }).prompt).toBeUndefined();
  });

  it('merges model options, keep_alive and per-call temperature / num_predict, and sends the headers', async () => {
    const { llm, server } = await serve(answer, { keepAlive: '10m', options: { num_ctx: 4_096, temperature: 0.7, seed: 42 }, headers: { 'x-tenant': 'acme' } });
    await llm.generate('hi', { temperature: 0, maxOutputTokens: 64 });
    expect(server.requests[0]?.json).toMatchObject({ keep_alive: '10m', options: { num_ctx: 4_096, temperature: 0, seed: 42, num_predict: 64 } });
    expect(server.requests[0]?.headers['x-tenant']).toBe('acme');
  });
});

describe('OllamaLLM failures', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a refused connection is unavailable and says to start Ollama', async () => {
    const llm = new OllamaLLM({ host: await refusedConnectionUrl() });
    await expect(llm.generate('hi')).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/cannot reach Ollama .*ECONNREFUSED.*ollama serve/),
    });
  });

  it('the client logs nothing for a non-JSON error page', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { llm } = await serve({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' });
    await expect(llm.generate('hi')).rejects.toMatchObject({ kind: 'unavailable', status: 502 });
    expect(log).not.toHaveBeenCalled();
  });

  it("maps the client's own ResponseError by shape", () => {
    const responseError = Object.assign(new Error("model 'phi3' not found"), { name: 'ResponseError', error: "model 'phi3' not found", status_code: 404 });
    const deadline = new CallDeadline(1_000);
    const mapped = mapOllamaError(responseError, {
      provider: 'ollama',
      model: 'phi3',
      host: 'http://127.0.0.1:11434',
      secrets: [],
      deadline,
      wire: { sent: true, status: 404 },
    });
    deadline.dispose();
    expect({ kind: mapped.kind, status: mapped.status }).toEqual({ kind: 'invalid_request', status: 404 });
    expect(mapped.message).toMatch(/ollama pull phi3/);
  });

  it('O4 a bearer token never appears in an error, however the proxy echoes it', async () => {
    const token = 'olm-secret-token-123456';
    const echoed = `token ${token} / ${encodeURIComponent(`Bearer ${token}`)} / ${Buffer.from(`Bearer ${token}`).toString('base64')}`;
    const server = await LoopbackLLMServer.start({ handler: { type: 'respond', exchange: { status: 401, body: JSON.stringify({ error: echoed }) } } });
    servers.push(server);
    const llm = new OllamaLLM({ host: server.url, headers: { Authorization: `Bearer ${token}` } });
    const error = await llm.generate('hi').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expectNoSecret(error, [token, `Bearer ${token}`]);
    expect(inspect(llm, { showHidden: true }).includes(token)).toBe(false);
  });

  it('O4 host userinfo is sent as Authorization: Basic, never kept in the host or an error', async () => {
    const server = await LoopbackLLMServer.start({ handler: { type: 'echo', status: 502, format: 'text' } });
    servers.push(server);
    const host = server.url.replace('://', '://admin:hunter22%40secret@');
    const llm = new OllamaLLM({ host });
    expect(llm.host).toBe(server.url);
    const error = await llm.generate('hi').catch((caught: unknown) => caught);
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('admin:hunter22@secret').toString('base64')}`);
    expect(error).toMatchObject({ kind: 'unavailable', status: 502 });
    expectNoSecret(error, ['hunter22@secret', 'admin:hunter22@secret']);
    expect(inspect(llm, { showHidden: true }).includes('hunter22')).toBe(false);
  });

  it('O4 userinfo together with an Authorization header is refused, without printing either', () => {
    let caught: unknown;
    try {
      new OllamaLLM({ host: 'http://admin:hunter22secret@127.0.0.1:1', headers: { authorization: 'Bearer tok-secret-123456' } });
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as ConfigurationError).issues).toEqual([
      'host carries user:password and headers carry an Authorization header: give one credential, not both',
    ]);
    expectNoSecret(caught, ['hunter22secret', 'tok-secret-123456']);
  });
});

describe('OllamaLLM foreign answer fields', () => {
  it('a model field that is not a short string gives the configured model', async () => {
    for (const model of [{ name: 'x' }, 'm'.repeat(100_000)]) {
      const { llm } = await serve({ status: 200, body: JSON.stringify({ ...json('chat.format-schema.response-200.json'), model }) }, { model: 'phi3' });
      expect((await llm.generate('hi')).model).toBe('phi3');
    }
  });
});

describe('OllamaLLM configuration', () => {
  it('has the defaults of the contract', () => {
    const llm = new OllamaLLM();
    expect({ name: llm.name, model: llm.model, host: llm.host }).toEqual({ name: 'ollama', model: 'phi3', host: 'http://127.0.0.1:11434' });
  });

  const configurationError = (options: unknown): ConfigurationError => {
    try {
      new OllamaLLM(options as OllamaLLMOptions);
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  };

  it('rejects misspelt options, naming the key and the closest valid one, every problem at once', () => {
    const error = configurationError({
      hots: 'http://127.0.0.1:11434',
      modle: 'phi3',
      timeoutMS: 5_000,
      keepalive: '10m',
      header: {},
      options: { num_ctxx: 4_096, temprature: 0.2, seed: 1 },
    });
    expect(error.issues).toEqual([
      'unknown option "hots" — did you mean "host"?',
      'unknown option "modle" — did you mean "model"?',
      'unknown option "timeoutMS" — did you mean "timeoutMs"?',
      'unknown option "keepalive" — did you mean "keepAlive"?',
      'unknown option "header" — did you mean "headers"?',
      'options: unknown option "num_ctxx" — did you mean "num_ctx"?',
      'options: unknown option "temprature" — did you mean "temperature"?',
    ]);
    expect(error.message).toMatch(/^Invalid OllamaLLM options\n - unknown option "hots"/);
  });

  it('lists a model option problem together with a bad value elsewhere (the README example)', () => {
    const error = configurationError({ modle: 'phi3', options: { num_ctxx: 4_096 }, timeoutMs: -1 });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        'unknown option "modle" — did you mean "model"?',
        'options: unknown option "num_ctxx" — did you mean "num_ctx"?',
        expect.stringMatching(/^timeoutMs: /),
      ]),
    );
    expect(error.issues).toHaveLength(3);
    expect(configurationError({ options: [4_096] }).issues, 'an array is reported once').toHaveLength(1);
  });

  it('rejects bad values, each with what is expected', () => {
    const error = configurationError({ model: '', host: ' ', timeoutMs: 0, keepAlive: {}, options: { num_ctx: 'big', use_mmap: 1 }, headers: { 'x-n': 2 } });
    expect(error.issues).toEqual([
      'host: must be a non-empty string, e.g. http://127.0.0.1:11434',
      'model: must be a non-empty model name, e.g. phi3',
      "keepAlive: must be a duration such as '10m' or a number of seconds (-1: forever)",
      'timeoutMs: must be a positive number of milliseconds',
      'headers.x-n: must be a string',
      'options: num_ctx: Invalid input: expected number, received string',
      'options: use_mmap: Invalid input: expected boolean, received number',
    ]);
    expect(configurationError({ options: { num_ctx: 'big', use_mmap: 1 } }).issues).toEqual([
      'options: num_ctx: Invalid input: expected number, received string',
      'options: use_mmap: Invalid input: expected boolean, received number',
    ]);
    expect(configurationError(null).issues).toEqual(['OllamaLLM needs an options object (got null)']);
  });

  it('rejects a host that is not an http: or https: URL at construction, and keeps the short forms of the ollama client', () => {
    const expected = 'host: must be an http: or https: URL such as http://127.0.0.1:11434 (or the short forms localhost:11434, :11434)';
    for (const host of ['not a url', 'ht!tp://:::', 'ftp://127.0.0.1:11434', 'javascript:alert(1)', 'file:///etc/passwd', 'http://', 'ws://127.0.0.1:11434']) {
      expect(configurationError({ host }).issues, host).toEqual([expected]);
    }
    const shortForms = [
      'localhost:11434',
      '127.0.0.1:11434',
      ':11434',
      'ollama.internal',
      'https://ollama.example.com',
      'http://[::1]:11434',
      'HTTP://127.0.0.1:11434/',
    ];
    for (const host of shortForms) expect(new OllamaLLM({ host }).host).toBe(host);
  });

  it('accepts every documented option', () => {
    const llm = new OllamaLLM({
      host: 'localhost:11434',
      model: 'llama3.1',
      keepAlive: -1,
      options: { num_ctx: 4_096, stop: ['\n\n'], use_mmap: true },
      timeoutMs: 5_000,
      headers: { 'x-tenant': 'acme' },
      name: 'local',
      fetch,
    });
    expect({ name: llm.name, host: llm.host }).toEqual({ name: 'local', host: 'localhost:11434' });
  });
});
