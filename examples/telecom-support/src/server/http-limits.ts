/**
 * How long the server waits for slow clients, and how many it serves at once. Without
 * these, a client that sends its body one byte at a time holds a connection (and its
 * memory) forever; a few hundred of them exhaust the process.
 */
export interface HttpLimits {
  /** Longest time to receive a whole request (headers and body), ms; then 408 and close. */
  requestTimeoutMs: number;
  /** Longest time to receive the request headers, ms (at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests, ms. */
  keepAliveTimeoutMs: number;
  /**
   * A connection with no traffic at all for this long is destroyed, ms — also while its
   * turn runs, so it must exceed the slowest turn (LLM timeout × attempts + tools).
   */
  connectionTimeoutMs: number;
  /** Open connections beyond this are closed at once (the client sees a reset). */
  maxConnections: number;
  /**
   * How often Node checks requests against `requestTimeoutMs`/`headersTimeoutMs`, ms.
   * Node's default (30 s) would let a slow client overstay its timeout by up to 30 s.
   */
  checkIntervalMs: number;
}

/** The defaults of {@link HttpLimits}, also the documented defaults of the env variables. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 300_000,
  maxConnections: 1_000,
  checkIntervalMs: 1_000,
};

/** The limits with defaults filled in, checked for consistency. */
export function resolveHttpLimits(given: Partial<HttpLimits> = {}): HttpLimits {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...given };
  // Node refuses a headers timeout above the request timeout; clamp rather than crash.
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  limits.checkIntervalMs = Math.max(50, Math.min(limits.checkIntervalMs, Math.floor(limits.headersTimeoutMs / 2)));
  return limits;
}

/** The Fastify constructor options that apply {@link HttpLimits}. */
export function fastifyLimitOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
  };
}
