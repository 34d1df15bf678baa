import { afterAll, describe } from 'vitest';
import type { LLM } from '../llm/llm.js';
import type { LLMErrorKind } from '../llm/llm-error.js';
import type { ExpectedLLMAnswer } from './llm-conformance-expect.js';
import { runGatewayEchoConformance } from './llm-conformance-gateway.js';
import { runLLMConformance, type LLMScenario } from './llm-conformance.js';
import { createWireSuite, wireAbortTests, wireErrorTests, wireRefusedTests, wireRequestTests, type WireSuite } from './llm-conformance-wire.js';
import type { LoopbackBehaviour, RecordedExchange } from './loopback-llm-server.js';

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
  const suite = createWireSuite(options);
  const failKinds = [...new Set<LLMErrorKind>([...suite.errorExchanges.map(({ kind }) => kind), 'timeout', 'unavailable'])];
  runLLMConformance({
    name: `${options.name} (over HTTP)`,
    expectedAnswer: options.expectedAnswer,
    failKinds,
    slackMs: suite.slackMs,
    capabilities: { defaultTimeout: true },
    create: async (scenario: LLMScenario, context) => (await suite.serve(behaviourFor(suite, scenario), context.timeoutMs)).llm,
    cleanup: suite.closeServers,
  });
  runGatewayEchoConformance({
    name: options.name,
    apiKey: suite.apiKey,
    slackMs: suite.slackMs,
    create: (context) => options.create(context),
    customHeaders: options.capabilities?.customHeaders ?? false,
    urlCredentials: options.capabilities?.urlCredentials ?? false,
  });
  describe(`LLM wire conformance: ${options.name}`, () => {
    afterAll(suite.closeServers);
    wireRequestTests(suite);
    wireErrorTests(suite);
    wireRefusedTests(suite);
    wireAbortTests(suite);
  });
}

/** What the loopback server does for a scenario of the behavioural suite. */
function behaviourFor(suite: WireSuite, scenario: LLMScenario): LoopbackBehaviour {
  if (scenario.type === 'answer') return suite.success;
  if (scenario.type === 'hang' || scenario.kind === 'timeout') return { type: 'hang' };
  const recorded = suite.errorExchanges.find(({ kind }) => kind === scenario.kind);
  return recorded ? { type: 'respond', exchange: recorded.exchange } : { type: 'respond', exchange: { status: 503, body: '' } };
}
