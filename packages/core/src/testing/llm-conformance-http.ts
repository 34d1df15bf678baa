import { afterAll, describe, expect, it } from 'vitest';
import type { LLM } from '../llm/llm.js';
import type { LLMErrorKind } from '../llm/llm-error.js';
import { expectNoSecret } from './llm-conformance-secrets.js';
import { expectLLMError, expectWellFormedResponse, rejectionOf, runLLMConformance, type ExpectedLLMAnswer, type LLMScenario } from './llm-conformance.js';
import { runGatewayEchoConformance } from './llm-conformance-gateway.js';
import { DECISION_JSON_SCHEMA, generatedVariations } from './llm-conformance-variations.js';
import { LoopbackLLMServer, refusedConnectionUrl, type LoopbackBehaviour, type LoopbackHandler, type RecordedExchange } from './loopback-llm-server.js';

/** Passed to the factory: where the adapter must send its requests, and with which key. */
export interface HttpLLMConformanceContext {
  /** `http://127.0.0.1:<port>` of the loopback server (the adapter's `baseUrl` / `host`). */
  baseUrl: string;
  /** A random fake API key; it must never appear in an error. */
  apiKey: string;
  /** The adapter's default timeout (its constructor option) for calls that pass none: short only where the suite waits for it. */
  timeoutMs: number;
  /**
   * Extra HTTP headers the adapter must send on every request (its `headers` option): a
   * gateway's credentials, given in the gateway tests when the adapter declares
   * `capabilities.customHeaders`. There `baseUrl` may also carry `user:password@`
   * (`capabilities.urlCredentials`). Every value is a secret the adapter must scrub.
   */
  headers?: Record<string, string>;
}

/**
 * Recorded answers of the provider. `success` is a normal answer; every error kind lists the
 * answers that must map to it; `maxTokens` is an answer cut off at the token limit, which
 * must reject with `invalid_output` or resolve with `finishReason: 'max_tokens'`.
 */
export type WireExchanges = { success: RecordedExchange; maxTokens?: RecordedExchange } & {
  [K in LLMErrorKind]?: readonly RecordedExchange[];
};

/** Options of {@link runHttpLLMConformance}. */
export interface HttpLLMConformanceOptions {
  /** Shown in the test names, e.g. `gemini`. */
  name: string;
  /** Builds the adapter pointed at the loopback server. Called once per test. */
  create: (context: HttpLLMConformanceContext) => LLM | Promise<LLM>;
  /** Real bodies of the provider (see `fixtures/llm/`). */
  wire: WireExchanges;
  /** What the adapter must make of `wire.success`. */
  expectedAnswer: ExpectedLLMAnswer;
  /** True when the captured request body asks for native structured output with this schema. */
  structuredOutput: (requestBody: unknown, jsonSchema: Record<string, unknown>) => boolean;
  /** Reads temperature and the output-token limit from a captured request body. */
  generationOptions: (requestBody: unknown) => { temperature?: number; maxOutputTokens?: number };
  /** Kind for a 200 that is not a provider answer (empty, truncated, HTML, `{}`); default `unavailable`. */
  malformedAnswerKind?: 'unavailable' | 'invalid_output';
  /** What the adapter does beyond the contract; the suite skips by capability, never by name. */
  capabilities?: HttpLLMCapabilities;
  /** Time allowed beyond a timeout before the call counts as late (default 1 000 ms). */
  slackMs?: number;
}

/** Optional behaviour an HTTP adapter declares to {@link runHttpLLMConformance}. */
export interface HttpLLMCapabilities {
  /** The adapter reads `Retry-After` (seconds) into `retryAfterMs`. */
  retryAfterHeader?: boolean;
  /** The adapter sends extra headers given as `context.headers` (gateway credentials): the gateway tests check they never leak. */
  customHeaders?: boolean;
  /** The adapter takes `user:password@` in `baseUrl` and sends it as `Authorization: Basic`: the gateway tests check it never leaks. */
  urlCredentials?: boolean;
}

const PROMPT = 'Kunde: "Seit 8 Uhr kein Internet" — ticket #42 ✓ {"not":"json"}';

/**
 * The LLM conformance suite for adapters that speak HTTP. It runs the behavioural suite
 * ({@link runLLMConformance}) with every scenario served by a {@link LoopbackLLMServer},
 * then checks the wire: the recorded success and error bodies map to the right response
 * and error kinds (status, `retryAfterMs`), failures the suite generates (HTML 502, empty
 * or truncated 200, lost connections, a refused port, bodies echoing the key) map by status
 * and structure, each call sends exactly one request (the SDK's retries are off), the
 * prompt, the JSON Schema, `temperature` and `maxOutputTokens` reach the request, and a
 * timeout or abort closes the request's connection (nothing is left running). Against a
 * gateway that echoes the request (URL and headers, raw and encoded, in JSON, text and HTML
 * 4xx/5xx bodies), no credential — the key, `context.headers`, URL userinfo — reaches the
 * error, its causes, the console, or the events and logs of an agent's turn (DESIGN O4).
 *
 * @example
 * ```ts
 * runHttpLLMConformance({
 *   name: 'gemini',
 *   create: ({ baseUrl, apiKey, timeoutMs }) => new GeminiLLM({ apiKey, baseUrl, timeoutMs }),
 *   wire: { success: { status: 200, body: fixture('generateContent.text.response-200.usageMetadata.json') },
 *           rate_limited: [{ status: 429, body: fixture('error-429-….json'), retryAfterMs: 26_000 }] },
 *   expectedAnswer: { text: '…', model: 'gemini-2.0-flash', usage: { inputTokens: 7, outputTokens: 22 } },
 *   structuredOutput: (body, schema) => isDeepStrictEqual(body.generationConfig?.responseJsonSchema, schema),
 *   generationOptions: (body) => ({ temperature: body.generationConfig?.temperature, maxOutputTokens: body.generationConfig?.maxOutputTokens }),
 * });
 * ```
 */
export function runHttpLLMConformance(options: HttpLLMConformanceOptions): void {
  const slackMs = options.slackMs ?? 1_000;
  const apiKey = `tf-test-key-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const timeout = 15_000 + slackMs;
  const servers: LoopbackLLMServer[] = [];
  const success: LoopbackBehaviour = { type: 'respond', exchange: options.wire.success };

  async function serve(handler: LoopbackHandler | LoopbackBehaviour, timeoutMs = 10_000): Promise<{ server: LoopbackLLMServer; llm: LLM }> {
    const server = await LoopbackLLMServer.start({ handler, apiKey });
    servers.push(server);
    const llm = await options.create({ baseUrl: server.url, apiKey, timeoutMs });
    return { server, llm };
  }
  async function closeServers(): Promise<void> {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  }
  const errorExchanges = (Object.entries(options.wire) as [string, RecordedExchange | readonly RecordedExchange[]][])
    .filter(([key]) => key !== 'success' && key !== 'maxTokens')
    .flatMap(([kind, list]) => (list as readonly RecordedExchange[]).map((exchange) => ({ kind: kind as LLMErrorKind, exchange })));
  const failKinds = [...new Set<LLMErrorKind>([...errorExchanges.map(({ kind }) => kind), 'timeout', 'unavailable'])];

  runLLMConformance({
    name: `${options.name} (over HTTP)`,
    expectedAnswer: options.expectedAnswer,
    failKinds,
    slackMs,
    capabilities: { defaultTimeout: true },
    create: async (scenario: LLMScenario, context) => (await serve(behaviourFor(scenario), context.timeoutMs)).llm,
    cleanup: closeServers,
  });

  function behaviourFor(scenario: LLMScenario): LoopbackBehaviour {
    if (scenario.type === 'answer') return success;
    if (scenario.type === 'hang' || scenario.kind === 'timeout') return { type: 'hang' };
    const recorded = errorExchanges.find(({ kind }) => kind === scenario.kind);
    return recorded ? { type: 'respond', exchange: recorded.exchange } : { type: 'respond', exchange: { status: 503, body: '' } };
  }

  runGatewayEchoConformance({
    name: options.name,
    apiKey,
    slackMs,
    create: (context) => options.create(context),
    customHeaders: options.capabilities?.customHeaders ?? false,
    urlCredentials: options.capabilities?.urlCredentials ?? false,
  });

  describe(`LLM wire conformance: ${options.name}`, () => {
    afterAll(closeServers);

    it('sends the prompt verbatim in exactly one POST request', { timeout }, async () => {
      const { server, llm } = await serve(success);
      await llm.generate(PROMPT);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.method).toBe('POST');
      expect(containsString(server.requests[0]?.json, PROMPT), 'the prompt is in the JSON request body').toBe(true);
    });

    it('uses native structured output with the JSON Schema, and only when asked', { timeout }, async () => {
      const { server, llm } = await serve(success);
      await llm.generate(PROMPT, { jsonSchema: DECISION_JSON_SCHEMA });
      await llm.generate(PROMPT);
      expect(options.structuredOutput(server.requests[0]?.json, DECISION_JSON_SCHEMA)).toBe(true);
      expect(options.structuredOutput(server.requests[1]?.json, DECISION_JSON_SCHEMA)).toBe(false);
    });

    it('passes temperature and maxOutputTokens to the provider', { timeout }, async () => {
      const { server, llm } = await serve(success);
      await llm.generate(PROMPT, { temperature: 0.3, maxOutputTokens: 123 });
      await llm.generate(PROMPT, { temperature: 0, maxOutputTokens: 1 });
      expect(options.generationOptions(server.requests[0]?.json)).toEqual({ temperature: 0.3, maxOutputTokens: 123 });
      expect(options.generationOptions(server.requests[1]?.json)).toEqual({ temperature: 0, maxOutputTokens: 1 });
    });

    for (const { kind, exchange } of errorExchanges) {
      it(`L2 maps ${exchange.label ?? `HTTP ${exchange.status}`} to ${kind}, with one request`, { timeout }, async () => {
        const { server, llm } = await serve({ type: 'respond', exchange });
        const error = await rejectionOf(llm.generate(PROMPT, { jsonSchema: DECISION_JSON_SCHEMA }));
        expectLLMError(error, { kind, provider: llm.name });
        if (exchange.status >= 400) expect(error.status).toBe(exchange.status);
        if (exchange.retryAfterMs !== undefined) expect(error.retryAfterMs).toBe(exchange.retryAfterMs);
        expect(server.requests).toHaveLength(1);
        expectNoSecret(error, [apiKey]);
      });
    }

    it.skipIf(!options.wire.maxTokens)('§6 never passes an answer cut off at the token limit as a normal one', { timeout }, async () => {
      const { llm } = await serve({ type: 'respond', exchange: options.wire.maxTokens as RecordedExchange });
      const outcome = await llm.generate(PROMPT).then(
        (response) => ({ resolved: true as const, response }),
        (error: unknown) => ({ resolved: false as const, error }),
      );
      if (outcome.resolved) expect(outcome.response.finishReason).toBe('max_tokens');
      else expectLLMError(outcome.error, { kind: 'invalid_output', provider: llm.name });
    });

    for (const variation of generatedVariations(options.wire.success)) {
      const kind = variation.expected === 'malformed-answer' ? (options.malformedAnswerKind ?? 'unavailable') : variation.expected;
      it(`L2 maps ${variation.name} to ${kind}, with one request`, { timeout }, async () => {
        const { server, llm } = await serve(variation.behaviour);
        const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: 5_000 }));
        expectLLMError(error, { kind, provider: llm.name });
        if (variation.retryAfterMs !== undefined && options.capabilities?.retryAfterHeader) {
          expect(error.retryAfterMs).toBe(variation.retryAfterMs);
        }
        expect(server.requests).toHaveLength(1);
        expectNoSecret(error, [apiKey]);
      });
    }

    it('L2 a refused connection (runtime down) is unavailable, fast', { timeout }, async () => {
      const baseUrl = await refusedConnectionUrl();
      const llm = await options.create({ baseUrl, apiKey, timeoutMs: 5_000 });
      const started = performance.now();
      const error = await rejectionOf(llm.generate(PROMPT));
      expectLLMError(error, { kind: 'unavailable', provider: llm.name });
      expect(performance.now() - started).toBeLessThan(3_000 + slackMs);
      expectNoSecret(error, [apiKey]);
    });

    it('§6 a timeout closes the request on the wire (no request left running)', { timeout }, async () => {
      const { server, llm } = await serve({ type: 'hang' });
      const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: 300 }));
      expectLLMError(error, { kind: 'timeout', provider: llm.name });
      await expectClosedByClient(server, 0, slackMs);
    });

    it("§6 the caller's abort closes the request on the wire", { timeout }, async () => {
      const { server, llm } = await serve({ type: 'hang' });
      const controller = new AbortController();
      const pending = rejectionOf(llm.generate(PROMPT, { signal: controller.signal, timeoutMs: 10_000 }));
      await server.waitForRequests(1);
      controller.abort();
      expectLLMError(await pending, { kind: 'timeout', provider: llm.name });
      await expectClosedByClient(server, 0, slackMs);
    });

    it('§6 an already aborted signal sends no request', { timeout }, async () => {
      const { server, llm } = await serve(success);
      expectLLMError(await rejectionOf(llm.generate(PROMPT, { signal: AbortSignal.abort() })), { kind: 'timeout', provider: llm.name });
      await sleep(50);
      expect(server.requests).toHaveLength(0);
    });

    it('§6 aborting one call leaves concurrent calls of the same instance running', { timeout }, async () => {
      const { server, llm } = await serve((_request, index) => (index === 0 ? { type: 'hang' } : { type: 'respond', exchange: options.wire.success, delayMs: 300 }));
      const controller = new AbortController();
      const aborted = rejectionOf(llm.generate(PROMPT, { signal: controller.signal, timeoutMs: 10_000 }));
      await server.waitForRequests(1);
      const other = llm.generate(PROMPT, { timeoutMs: 10_000 });
      await server.waitForRequests(2);
      controller.abort();
      expectLLMError(await aborted, { kind: 'timeout', provider: llm.name });
      expectWellFormedResponse(await other);
      await expectClosedByClient(server, 0, slackMs);
      expect(server.requests[1]?.closedByClient()).toBe(false);
    });

    it('T5 a failed call does not poison the next one', { timeout }, async () => {
      const { llm } = await serve((_request, index) => (index === 0 ? { type: 'respond', exchange: { status: 503, body: '' } } : success));
      expectLLMError(await rejectionOf(llm.generate(PROMPT)), { kind: 'unavailable', provider: llm.name });
      expectWellFormedResponse(await llm.generate(PROMPT));
    });
  });
}

async function expectClosedByClient(server: LoopbackLLMServer, index: number, slackMs: number): Promise<void> {
  const request = server.requests[index];
  expect(request, `request ${index} reached the server`).toBeDefined();
  const closed = await Promise.race([request?.closed.then(() => true), sleep(500 + slackMs).then(() => false)]);
  expect(closed, 'the server saw the request closed by the client').toBe(true);
  expect(request?.closedByClient()).toBe(true);
}

function containsString(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (Array.isArray(value)) return value.some((item) => containsString(item, needle));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((item) => containsString(item, needle));
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
