import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { withDeadline } from './deadline.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
async function collectGarbage(): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await tick(5);
    gc();
  }
}
const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

describe('withDeadline', () => {
  it('L2 fires on the timeout with a TimeoutError and says so', async () => {
    const started = performance.now();
    const deadline = withDeadline(60);
    expect(deadline.reason).toBeUndefined();
    await aborted(deadline.signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(deadline.reason).toBe('timeout');
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.describe()).toBe('no answer within 60 ms (timeout)');
    expect(deadline.remainingMs()).toBe(0);
    deadline.dispose();
  });

  it("L2 fires on the caller's abort, with the caller's reason, before the timeout", async () => {
    const controller = new AbortController();
    const deadline = withDeadline(10_000, controller.signal);
    const reason = new Error('the customer hung up');
    setTimeout(() => controller.abort(reason), 20);
    await aborted(deadline.signal);
    expect(deadline.reason).toBe('aborted');
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.describe()).toBe('the call was aborted by the caller');
    expect(deadline.remainingMs()).toBeGreaterThan(9_000);
    deadline.dispose();
  });

  it('L2 an already aborted caller signal gives an aborted deadline at once', () => {
    const deadline = withDeadline(10_000, AbortSignal.abort());
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.reason).toBe('aborted');
    deadline.dispose();
  });

  it('keeps the first reason when the caller aborts after the timeout fired', async () => {
    const controller = new AbortController();
    const deadline = withDeadline(10, controller.signal);
    await aborted(deadline.signal);
    controller.abort();
    expect(deadline.reason).toBe('timeout');
    deadline.dispose();
  });

  it('Infinity has no time limit; a huge timeout is capped instead of firing at once', async () => {
    const endless = withDeadline(Number.POSITIVE_INFINITY);
    const huge = withDeadline(Number.MAX_SAFE_INTEGER);
    await tick(20);
    expect([endless.signal.aborted, huge.signal.aborted]).toEqual([false, false]);
    expect(endless.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    endless.dispose();
    huge.dispose();
  });

  it('refuses a negative or NaN timeout (a programmer error)', () => {
    expect(() => withDeadline(-1)).toThrow(RangeError);
    expect(() => withDeadline(Number.NaN)).toThrow(RangeError);
    expect(() => withDeadline(0).dispose()).not.toThrow();
  });

  it('L2 still fires after a garbage collection when only its signal is held (nodejs/node#57736)', async () => {
    const signals = [withDeadline(80, new AbortController().signal).signal, withDeadline(80).signal];
    await collectGarbage();
    await Promise.all(signals.map(aborted));
    expect(signals.map((signal) => (signal.reason as DOMException).name)).toEqual(['TimeoutError', 'TimeoutError']);
  });

  it('E5 L2 keeps the process alive until it fires or is disposed: a hung call in a one-shot script still ends in its timeout', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const deadline = withDeadline(60_000);
    expect(timers(), 'the pending deadline is an active timer').toBe(before + 1);
    deadline.dispose();
    expect(timers(), 'nothing left after dispose').toBe(before);
    const fired = withDeadline(5);
    await expect(fired.race(new Promise(() => undefined), () => new Error('timed out'))).rejects.toThrow('timed out');
    fired.dispose();
    expect(timers(), 'a fired deadline leaves nothing either').toBe(before);
  });

  it('leaves no listener on the caller signal and nothing alive after dispose', async () => {
    const caller = new AbortController().signal;
    let deadline: ReturnType<typeof withDeadline> | undefined = withDeadline(60_000);
    const timeoutSignal = new WeakRef(deadline.signal);
    for (let index = 0; index < 1_000; index += 1) withDeadline(60_000, caller).dispose();
    expect(getEventListeners(caller, 'abort')).toHaveLength(0);
    await collectGarbage();
    expect(timeoutSignal.deref(), 'alive until disposed').toBeDefined();
    deadline.dispose();
    expect(getEventListeners(timeoutSignal.deref() as AbortSignal, 'abort')).toHaveLength(0);
    deadline = undefined;
    await collectGarbage();
    expect(timeoutSignal.deref(), 'collected (with its timer) once disposed').toBeUndefined();
  });

  it('20 000 disposed deadlines retain no memory', async () => {
    const caller = new AbortController().signal;
    const run = (count: number) => {
      for (let index = 0; index < count; index += 1) withDeadline(60_000, index % 2 === 0 ? caller : undefined).dispose();
    };
    run(2_000);
    await collectGarbage();
    const before = process.memoryUsage().heapUsed;
    run(20_000);
    await collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown, `${Math.round(grown / 1024)} KiB retained`).toBeLessThan(1024 * 1024);
  });
});

describe('Deadline.race', () => {
  it('L2 settles with the promise while the deadline has not fired, and leaves it after dispose', async () => {
    const deadline = withDeadline(10_000);
    await expect(deadline.race(Promise.resolve('answer'), () => new Error('late'))).resolves.toBe('answer');
    await expect(deadline.race(Promise.reject(new Error('tool failed')), () => new Error('late'))).rejects.toThrow('tool failed');
    deadline.dispose();
  });

  it('L2 abandons a call that ignores the signal: rejects with onAbort() on the timeout', async () => {
    const deadline = withDeadline(20);
    const hung = new Promise<string>(() => undefined);
    await expect(deadline.race(hung, () => new Error(`gave up: ${deadline.describe()}`))).rejects.toThrow('gave up: no answer within 20 ms (timeout)');
    expect(deadline.reason).toBe('timeout');
    deadline.dispose();
  });

  it("L2 rejects at once when the deadline has already fired, and on the caller's abort while waiting", async () => {
    const caller = new AbortController();
    const deadline = withDeadline(60_000, caller.signal);
    const waiting = deadline.race(new Promise<string>(() => undefined), () => deadline.signal.reason);
    caller.abort('customer left');
    await expect(waiting).rejects.toBe('customer left');
    await expect(deadline.race(Promise.resolve('too late'), () => 'fired')).rejects.toBe('fired');
    deadline.dispose();
  });
});

describe('withDeadline with a look-alike caller signal', () => {
  /** A polyfill-style signal: an EventTarget with aborted/reason, not a native AbortSignal. */
  class LookAlikeSignal extends EventTarget {
    aborted = false;
    reason: unknown;
    abort(reason: unknown): void {
      this.aborted = true;
      this.reason = reason;
      this.dispatchEvent(new Event('abort'));
    }
  }

  it("L2 follows its abort, and dispose removes the deadline's listener", async () => {
    const lookAlike = new LookAlikeSignal();
    const deadline = withDeadline(10_000, lookAlike as unknown as AbortSignal);
    lookAlike.abort('stop');
    await aborted(deadline.signal);
    expect({ reason: deadline.reason, cause: deadline.signal.reason }).toEqual({ reason: 'aborted', cause: 'stop' });
    const other = new LookAlikeSignal();
    let listeners = 0;
    const add = other.addEventListener.bind(other);
    other.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => ((listeners += 1), add(...args));
    const remove = other.removeEventListener.bind(other);
    other.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => ((listeners -= 1), remove(...args));
    withDeadline(10_000, other as unknown as AbortSignal).dispose();
    expect(listeners).toBe(0);
  });
});
