import { catchRejection } from '../util/thenable.js';
import type { Logger } from './runtime.js';

/** The largest distance from the epoch, in ms, a `Date` can hold (±100 000 000 days). */
const MAX_DATE_MS = 8.64e15;

/**
 * The agent option `now` as the engine calls it: an answer that is not epoch milliseconds a
 * `Date` can hold (`NaN`, a string, `undefined`, a throw) is replaced by `Date.now()`, and
 * the agent's logger (else a process warning) is told the first time. Without this, one bad
 * answer made `handle` reject with `RangeError: Invalid time value` while writing a timestamp.
 */
export function checkedClock(now: () => number, logger: Logger | undefined): () => number {
  let told = false;
  return () => {
    let value: unknown;
    try {
      value = now();
    } catch (error) {
      value = error;
    }
    if (typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS) return value;
    catchRejection(value); // an async clock's promise: its rejection must not go unhandled
    if (!told) {
      told = true;
      tell(logger, `the agent option now returned ${describe(value)}, not epoch milliseconds; the system clock is used instead`);
    }
    return Date.now();
  };
}

function describe(value: unknown): string {
  if (value instanceof Error) return `a thrown ${value.name}`;
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : `a ${typeof value}`;
}

function tell(logger: Logger | undefined, problem: string): void {
  try {
    if (logger) logger.warn({ problem }, 'ticketflow: bad clock');
    else process.emitWarning(`ticketflow: ${problem}`, { code: 'TICKETFLOW_BAD_CLOCK' });
  } catch {
    // a logger that throws changes nothing
  }
}
