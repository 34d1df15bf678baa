/**
 * The one interface the core knows about language models (DESIGN L1).
 *
 * Nothing in `@ticketflow/core` knows Gemini, Ollama or the mock: an adapter package
 * implements this interface and maps every failure of its wire protocol to an
 * {@link LLMError}. Retries, the fallback chain and the circuit breaker belong to the
 * core (one visible policy), so an adapter performs exactly **one request per call**
 * and turns its SDK's own retries off.
 *
 * @example
 * ```ts
 * const echo: LLM = {
 *   name: 'echo',
 *   async generate(prompt) {
 *     return { text: '{"intent":null,"confidence":0,"entities":{}}', model: 'echo-1', latencyMs: 0 };
 *   },
 * };
 * ```
 */
export interface LLM {
  /**
   * Provider name used in events, errors and circuit-breaker keys, e.g. `gemini`,
   * `ollama`, `mock`. Two LLMs in one fallback chain should have distinct names.
   */
  readonly name: string;

  /**
   * The model requests ask for (e.g. `gemini-2.5-flash`), when the adapter knows it before
   * the answer. Optional: instrumentation shows it as `gen_ai.request.model` on every request,
   * the first included; the model that answered is always {@link LLMResponse.model}.
   */
  readonly model?: string;

  /**
   * Sends one prompt and resolves with the raw text the model produced.
   *
   * Promises:
   * - exactly one request to the provider (no internal retries);
   * - `options.timeoutMs` and `options.signal` abort the request itself; no request is
   *   left running after the promise settles;
   * - with `options.jsonSchema`, the provider's native structured-output mode is used
   *   (Gemini `responseMimeType` + schema, Ollama `format`);
   * - a response cut short (max tokens) or stopped by safety never passes as a normal
   *   answer: either it rejects with `invalid_output` / `blocked`, or it resolves with
   *   `finishReason` `max_tokens` / `safety` so that the core refuses it.
   *
   * @throws {LLMError} for every failure (never a raw SDK, HTTP or network error). The
   * error, its message and its `cause` never contain the API key.
   */
  generate(prompt: string, options?: LLMGenerateOptions): Promise<LLMResponse>;
}

/** Per-call options. Adapters must honour all of them. */
export interface LLMGenerateOptions {
  /** Aborts the request (the caller gave up). Rejects with an `LLMError` of kind `timeout`. */
  signal?: AbortSignal;
  /** JSON Schema of the expected answer; use the provider's structured-output mode. */
  jsonSchema?: Record<string, unknown>;
  /** Sampling temperature passed to the provider. The core asks for 0 (deterministic). */
  temperature?: number;
  /** Upper bound of generated tokens passed to the provider. */
  maxOutputTokens?: number;
  /** Request timeout in milliseconds; on expiry the request is aborted, kind `timeout`. */
  timeoutMs?: number;
}

/** What one successful call produced. */
export interface LLMResponse {
  /** The raw text of the answer (JSON for decisions, possibly with fences or prose). */
  text: string;
  /** The model that answered, as the provider names it (e.g. `gemini-2.5-flash`). */
  model: string;
  /** Wall time of the request in milliseconds. */
  latencyMs: number;
  /** Token counts when the provider reports them. */
  usage?: LLMUsage;
  /**
   * Why generation stopped, normalised to lower case: `stop`, `max_tokens`, `safety`,
   * `recitation`, `other`, … The core refuses `max_tokens` and `safety` answers.
   */
  finishReason?: string;
}

/** Token usage of one call. */
export interface LLMUsage {
  inputTokens: number;
  outputTokens: number;
}
