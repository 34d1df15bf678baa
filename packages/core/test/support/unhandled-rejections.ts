/**
 * Collects the process's unhandled rejections until `stop()`: for tests that an app callback's
 * rejected promise never goes unhandled (it would end a process run with Node's default
 * `--unhandled-rejections=throw`). `settle()` waits long enough for Node to report them.
 */
export function watchUnhandledRejections() {
  const reasons: unknown[] = [];
  const onUnhandled = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', onUnhandled);
  return {
    reasons,
    settle: (ms = 20) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    stop: () => process.off('unhandledRejection', onUnhandled),
  };
}
