/** Whether a value is a promise or any other thenable (what an `async` callback returns). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Attaches `onRejected` to a thenable an app's callback returned, so its rejection is handled
 * (an unhandled one ends the process) and never awaited. A `then` that throws is ignored.
 * Returns whether the value was a thenable.
 */
export function catchRejection(value: unknown, onRejected: (error: unknown) => void = () => undefined): boolean {
  if (!isThenable(value)) return false;
  try {
    value.then(undefined, onRejected);
  } catch {
    // a thenable whose then throws: nothing is pending
  }
  return true;
}
