/**
 * A non-2xx answer, thrown by the adapter's fetch wrapper before the ollama client reads
 * it, so that the status, the `Retry-After` header and the raw body reach the mapping
 * (the client keeps only a message, and logs to the console for non-JSON bodies).
 */
export class OllamaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfter: string | null,
  ) {
    super(`HTTP ${status}`);
    this.name = 'OllamaHttpError';
  }
}
