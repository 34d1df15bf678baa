/** A Redis command that got no answer in time. Whether it ran on the server is unknown. */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
}

/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms` milliseconds. One promise
 * and one timer per command (no `Promise.race`, no second promise): this runs for every
 * Redis command.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
