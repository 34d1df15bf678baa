/**
 * One call's abort signal, for LLM adapters: fires on the call's timeout or on the caller's
 * signal, and remembers which of the two it was (both map to `LLMError` kind `timeout`;
 * the message says which). `dispose` clears the timer and the listener.
 *
 * @example
 * ```ts
 * const deadline = new CallDeadline(options.timeoutMs ?? this.timeoutMs, options.signal);
 * try { return await fetch(url, { signal: deadline.signal }); }
 * finally { deadline.dispose(); }
 * ```
 */
export class CallDeadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#abort('aborted');
  #reason: 'timeout' | 'aborted' | undefined;

  constructor(timeoutMs: number, callerSignal?: AbortSignal) {
    this.timeoutMs = timeoutMs;
    this.signal = this.#controller.signal;
    this.#callerSignal = callerSignal;
    this.#timer = setTimeout(() => this.#abort('timeout'), timeoutMs);
    callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.#abort('aborted');
  }

  /** Why the signal fired, or `undefined` while it has not. */
  get reason(): 'timeout' | 'aborted' | undefined {
    return this.#reason;
  }

  /** A sentence for the error message. */
  describe(): string {
    return this.#reason === 'aborted' ? 'the call was aborted by the caller' : `no answer within ${this.timeoutMs} ms (timeout)`;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #abort(reason: 'timeout' | 'aborted'): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#controller.abort(new Error(reason === 'timeout' ? `timed out after ${this.timeoutMs} ms` : 'aborted by the caller'));
  }
}
