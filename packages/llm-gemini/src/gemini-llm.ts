import { GoogleGenAI, type GenerateContentConfig } from '@google/genai';
import { type LLM, LLMError, type LLMGenerateOptions, type LLMResponse } from '@ticketflow/core';
import { withDeadline } from '@ticketflow/core/adapter';
import { checkGeminiOptions } from './check-gemini-options.js';
import { mapGeminiError, withoutSecrets, type WireTrace } from './map-gemini-error.js';
import { readGeminiResponse, type GeminiResponseBody } from './read-gemini-response.js';
import { toGeminiSchema } from './to-gemini-schema.js';

/** Options of {@link GeminiLLM}. */
export interface GeminiLLMOptions {
  /** Gemini API key (Google AI Studio). Never appears in errors or logs. */
  apiKey: string;
  /** Model id; default `gemini-2.5-flash`. */
  model?: string | undefined;
  /**
   * API origin, for proxies, gateways and tests; default `https://generativelanguage.googleapis.com`.
   * `https://user:password@gateway` is sent as `Authorization: Basic …` (never with an `Authorization` header too).
   */
  baseUrl?: string | undefined;
  /** API version path segment; default `v1beta` (the one that accepts `responseJsonSchema`). */
  apiVersion?: string | undefined;
  /** Timeout of a call that passes no `timeoutMs`, in ms; default 30 000. */
  timeoutMs?: number | undefined;
  /**
   * How `jsonSchema` is sent. `json-schema` (default): unchanged as `responseJsonSchema`
   * (unions, `additionalProperties`, `type: [..., 'null']` and `$defs` work). `openapi`: converted
   * to the OpenAPI subset `responseSchema` (`nullable`, upper-case types), lossy, for
   * models or gateways that predate `responseJsonSchema`.
   */
  schemaDialect?: 'json-schema' | 'openapi' | undefined;
  /**
   * Thinking budget in tokens (`thinkingConfig.thinkingBudget`), e.g. `0` to turn thinking
   * off on `gemini-2.5-flash`. Thinking tokens count against `maxOutputTokens`. Default: the model's.
   */
  thinkingBudget?: number | undefined;
  /** Name in events, errors and the fallback chain; default `gemini`. */
  name?: string | undefined;
  /** Extra HTTP headers on every request (e.g. a gateway's `Authorization: Bearer …`); no value ever appears in an error. */
  headers?: Record<string, string> | undefined;
  /** A `fetch` implementation (proxies, tests); default the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/**
 * An {@link LLM} on Google's Gemini API through the official Google Gen AI SDK
 * (`@google/genai`).
 *
 * - one `generate` is one HTTP request: the SDK's retries and automatic continuation are off;
 * - `timeoutMs` (per call, else the constructor's) and the caller's `signal` abort the request itself;
 * - `jsonSchema` selects JSON mode (`responseMimeType: 'application/json'` + the schema);
 * - every failure is an {@link LLMError} (see the README for the mapping table); a blocked
 *   prompt or answer is `blocked`, an answer cut off at `maxOutputTokens` is `invalid_output`;
 * - the API key travels in the `x-goog-api-key` header and never appears in an error or its cause.
 *
 * @example
 * ```ts
 * const gemini = new GeminiLLM({ apiKey: process.env.GEMINI_API_KEY!, model: 'gemini-2.5-flash' });
 * const { text, usage } = await gemini.generate('Reply with {"ok":true}', { jsonSchema: { type: 'object' } });
 * ```
 */
export class GeminiLLM implements LLM {
  /** Provider name in events, errors and the fallback chain (`gemini` unless the `name` option says otherwise). */
  readonly name: string;
  /** The model id requests go to. */
  readonly model: string;
  readonly #secrets: readonly string[];
  readonly #client: GoogleGenAI;
  readonly #origin: string;
  readonly #timeoutMs: number;
  readonly #schemaDialect: 'json-schema' | 'openapi';
  readonly #thinkingBudget: number | undefined;
  readonly #fetch: typeof fetch;

  /**
   * @throws {ConfigurationError} listing every problem of `options` at once: unknown keys (with
   * the closest valid one), bad values, `user:password@` in `baseUrl` together with an
   * `Authorization` header.
   */
  constructor(input: GeminiLLMOptions) {
    const { options, credentials } = checkGeminiOptions(input);
    this.name = options.name ?? 'gemini';
    this.model = options.model ?? 'gemini-2.5-flash';
    this.#secrets = credentials.secrets;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#schemaDialect = options.schemaDialect ?? 'json-schema';
    this.#thinkingBudget = options.thinkingBudget;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#origin = new URL(credentials.url).origin;
    this.#client = new GoogleGenAI({
      apiKey: options.apiKey,
      vertexai: false,
      apiVersion: options.apiVersion ?? 'v1beta',
      httpOptions: {
        baseUrl: credentials.url,
        ...(Object.keys(credentials.headers).length > 0 ? { headers: credentials.headers } : {}),
        // One attempt: retries belong to the core's single, visible policy (DESIGN §6).
        retryOptions: { attempts: 1 },
      },
    });
  }

  /**
   * Sends one prompt as one HTTP request (see {@link LLM.generate}).
   *
   * @throws {LLMError} for every failure, mapped as the package README's table says.
   */
  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    if (options.signal?.aborted) {
      throw new LLMError({ kind: 'timeout', provider: this.name, message: 'the call was aborted by the caller before it started' });
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) {
      throw new LLMError({ kind: 'invalid_request', provider: this.name, message: `timeoutMs must be a number of milliseconds (got ${typeof timeoutMs})` });
    }
    // A spent budget (0 or less) times out at once rather than being refused.
    const deadline = withDeadline(Math.max(0, timeoutMs), options.signal);
    const wire: WireTrace = { sent: false };
    const started = performance.now();
    try {
      const response = await this.#client.models.generateContent({
        model: this.model,
        contents: prompt,
        config: { ...this.#generationConfig(options), abortSignal: deadline.signal, httpOptions: { fetch: this.#tracingFetch(wire) } },
      });
      return readGeminiResponse(response as GeminiResponseBody, { provider: this.name, model: this.model, latencyMs: performance.now() - started });
    } catch (error) {
      if (LLMError.isInstance(error)) throw withoutSecrets(error, this.#secrets);
      throw mapGeminiError(error, { provider: this.name, model: this.model, origin: this.#origin, secrets: this.#secrets, deadline, wire });
    } finally {
      deadline.dispose();
    }
  }

  #generationConfig(options: LLMGenerateOptions): GenerateContentConfig {
    const config: GenerateContentConfig = { candidateCount: 1, automaticContinuation: false };
    if (options.temperature !== undefined) config.temperature = options.temperature;
    if (options.maxOutputTokens !== undefined) config.maxOutputTokens = options.maxOutputTokens;
    if (this.#thinkingBudget !== undefined) config.thinkingConfig = { thinkingBudget: this.#thinkingBudget };
    if (options.jsonSchema) {
      config.responseMimeType = 'application/json';
      const { $schema: _dialect, ...schema } = options.jsonSchema;
      if (this.#schemaDialect === 'openapi') config.responseSchema = toGeminiSchema(schema);
      else config.responseJsonSchema = schema;
    }
    return config;
  }

  /** Records what reached the wire, so failures map by what happened (sent? status?). */
  #tracingFetch(wire: WireTrace): typeof fetch {
    return async (input, init) => {
      wire.sent = true;
      // A redirect is answered as the failure it is, never followed: following one would send
      // the API key header to another origin, and make one generate more than one request.
      const response = await this.#fetch(input, { ...init, redirect: 'manual' });
      wire.status = response.status;
      wire.retryAfter = response.headers.get('retry-after');
      return response;
    };
  }
}
