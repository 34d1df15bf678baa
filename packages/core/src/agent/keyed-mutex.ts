/**
 * Serialises async work per key inside one process: turns on the same ticket queue up
 * instead of racing (T6 within a process; compare-and-set covers other processes).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Whether work on `key` is running or queued in this process. */
  holds(key: string): boolean {
    return this.tails.has(key);
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
