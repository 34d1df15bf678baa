import { catchRejection } from '../util/thenable.js';
import type { Logger } from './runtime.js';

/**
 * The agent option `logger` as the engine calls it: a method that throws, or returns a
 * promise that rejects (a logger shipping records to a remote service), changes nothing. An
 * unhandled rejection from a warning about a failed hook or redaction would otherwise end a
 * process running Node's default `--unhandled-rejections=throw`.
 */
export function safeLogger(logger: Logger): Logger {
  const call =
    (level: keyof Logger) =>
    (object: Record<string, unknown>, message?: string): void => {
      try {
        catchRejection(logger[level]?.(object, message));
      } catch {
        // a logger that throws changes nothing
      }
    };
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}
