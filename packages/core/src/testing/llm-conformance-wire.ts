import { expect, it } from 'vitest';
import type { LLM } from '../llm/llm.js';
import type { LLMErrorKind } from '../llm/llm-error.js';
import type { HttpLLMConformanceOptions } from './llm-conformance-http.js';
import { expectNoSecret } from './llm-conformance-secrets.js';
import { expectLLMError, expectWellFormedResponse, rejectionOf } from './llm-conformance-expect.js';
import { DECISION_JSON_SCHEMA, generatedVariations } from './llm-conformance-variations.js';
import { LoopbackLLMServer, refusedConnectionUrl, type LoopbackBehaviour, type LoopbackHandler, type RecordedExchange } from './loopback-llm-server.js';

/** What the wire tests of one `runHttpLLMConformance` run share: the options, the run's key, its servers. */
export interface WireSuite {
  options: HttpLLMConformanceOptions;
  apiKey: string;
  slackMs: number;
  /** Per-test timeout. */
  timeout: number;
  /** Serves the recorded success answer. */
  success: LoopbackBehaviour;
  /** Every recorded error answer with the kind it must map to. */
  errorExchanges: { kind: LLMErrorKind; exchange: RecordedExchange }[];
  /** Starts a loopback server with `handler` and builds the adapter pointed at it. */
  serve: (handler: LoopbackHandler | LoopbackBehaviour, timeoutMs?: number) => Promise<{ server: LoopbackLLMServer; llm: LLM }>;
  /** Closes every server started so far. */
  closeServers: () => Promise<void>;
}

const PROMPT = 'Kunde: "Seit 8 Uhr kein Internet" — ticket #42 ✓ {"not":"json"}';

/** Builds the shared state of one run of the wire tests. */
export function createWireSuite(options: HttpLLMConformanceOptions): WireSuite {
  const slackMs = options.slackMs ?? 1_000;
  const apiKey = `tf-test-key-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const servers: LoopbackLLMServer[] = [];
  const errorExchanges = (Object.entries(options.wire) as [string, RecordedExchange | readonly RecordedExchange[]][])
    .filter(([key]) => key !== 'success' && key !== 'maxTokens')
    .flatMap(([kind, list]) => (list as readonly RecordedExchange[]).map((exchange) => ({ kind: kind as LLMErrorKind, exchange })));
  return {
    options,
    apiKey,
    slackMs,
    timeout: 15_000 + slackMs,
    success: { type: 'respond', exchange: options.wire.success },
    errorExchanges,
    serve: async (handler, timeoutMs = 10_000) => {
      const server = await LoopbackLLMServer.start({ handler, apiKey });
      servers.push(server);
      const llm = await options.create({ baseUrl: server.url, apiKey, timeoutMs });
      return { server, llm };
    },
    closeServers: async () => {
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
  };
}

/** §6: one POST per call, the prompt verbatim, native structured output, generation options. */
export function wireRequestTests(suite: WireSuite): void {
  const { options, serve, success, timeout } = suite;
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
}

/** L2: every recorded and generated failure maps to its kind, with one request and no key in the error. */
export function wireErrorTests(suite: WireSuite): void {
  const { options, serve, errorExchanges, apiKey, timeout } = suite;
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
}

/** L2: a runtime that is down is unavailable at once. O4 §6: a redirect is never followed. */
export function wireRefusedTests(suite: WireSuite): void {
  const { options, apiKey, slackMs, timeout, serve, success } = suite;
  it('O4 §6 a redirect is not followed: unavailable after one request, and the other origin hears nothing', { timeout }, async () => {
    const elsewhere = await LoopbackLLMServer.start({ handler: success, apiKey });
    try {
      const redirect: RecordedExchange = { status: 307, headers: { location: `${elsewhere.url}/v1/elsewhere` }, body: '' };
      const { server, llm } = await serve({ type: 'respond', exchange: redirect });
      const error = await rejectionOf(llm.generate(PROMPT));
      expectLLMError(error, { kind: 'unavailable', provider: llm.name });
      expect(server.requests).toHaveLength(1);
      expect(elsewhere.requests, 'credentials sent to the redirect target').toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('L2 a refused connection (runtime down) is unavailable, fast', { timeout }, async () => {
    const baseUrl = await refusedConnectionUrl();
    const llm = await options.create({ baseUrl, apiKey, timeoutMs: 5_000 });
    const started = performance.now();
    const error = await rejectionOf(llm.generate(PROMPT));
    expectLLMError(error, { kind: 'unavailable', provider: llm.name });
    expect(performance.now() - started).toBeLessThan(3_000 + slackMs);
    expectNoSecret(error, [apiKey]);
  });
}

/** §6: a timeout or an abort closes the request on the wire; a failure does not poison the next call. */
export function wireAbortTests(suite: WireSuite): void {
  const { options, serve, success, slackMs, timeout } = suite;
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
    const { server, llm } = await serve((_request, index) =>
      index === 0 ? { type: 'hang' } : { type: 'respond', exchange: options.wire.success, delayMs: 300 },
    );
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
