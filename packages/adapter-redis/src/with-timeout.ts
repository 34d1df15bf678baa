/** A Redis command that got no answer in time. Whether it ran on the server is unknown. */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
}

/** Settles like `promise`, or rejects with `onTimeout()` after `ms` milliseconds. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
