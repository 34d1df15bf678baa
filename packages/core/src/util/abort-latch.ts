/**
 * A cancellation flag whose AbortSignal is created only when someone asks for it: turns
 * rarely need one, and an AbortController with its listeners costs more than the logic it
 * guards. Listeners registered with `onAbort` run once, when it aborts.
 */
export class AbortLatch {
  private controller: AbortController | undefined;
  private listeners: ((reason: unknown) => void)[] = [];
  private abortReason: unknown;
  private isAborted = false;

  get aborted(): boolean {
    return this.isAborted;
  }

  get reason(): unknown {
    return this.abortReason;
  }

  /** A standard AbortSignal that mirrors the latch (created on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener(reason);
  }

  /** Runs `listener` when the latch aborts (at once if it has); returns the unsubscribe. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.isAborted) {
      listener(this.abortReason);
      return () => undefined;
    }
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }
}
