import { describe, expect, it } from 'vitest';
import { CommandTimeoutError, withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('settles like the command when it answers in time, and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    await expect(withTimeout(Promise.resolve('OK'), 1_000, () => new CommandTimeoutError('late'))).resolves.toBe('OK');
    const failure = new Error('WRONGTYPE');
    await expect(withTimeout(Promise.reject(failure), 1_000, () => new CommandTimeoutError('late'))).rejects.toBe(failure);
    // A pending timer would keep the event loop busy: none is left.
    expect(timers()).toBe(before);
  });

  it('rejects with the timeout error when the command does not answer, and ignores a late answer', async () => {
    let answer: (value: string) => void = () => undefined;
    const command = new Promise<string>((resolve) => (answer = resolve));
    const timed = withTimeout(command, 20, () => new CommandTimeoutError('Redis did not answer within 20 ms'));
    await expect(timed).rejects.toThrow(CommandTimeoutError);
    answer('OK');
    await expect(timed).rejects.toThrow('within 20 ms');
  });
});
