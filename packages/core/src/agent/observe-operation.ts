import type { OperationObserver } from '../events/instrumentation.js';
import type { Action } from '../model/action.js';

interface ObservedResult {
  action?: unknown;
  decision?: { intent: string | null; confidence: number } | null;
  ticket?: { version: number; turn: number; intent: string | null } | null;
  duplicate?: boolean;
  version?: number;
  turn?: number;
  intent?: string | null;
}

/** Reports how an observed operation ended to its observer, whatever it resolves or rejects with. */
export async function observeOperation<T>(observer: OperationObserver, running: Promise<T>): Promise<T> {
  try {
    const result = await running;
    const shown = (result ?? {}) as ObservedResult;
    const ticket = shown.ticket ?? (typeof shown.version === 'number' ? { version: shown.version, turn: shown.turn ?? 0, intent: shown.intent ?? null } : null);
    const action = (shown.action as Action | undefined) ?? null;
    safely(() =>
      observer.ended({
        turn: ticket?.turn ?? 0,
        action,
        intent: shown.decision?.intent ?? ticket?.intent ?? null,
        confidence: shown.decision?.confidence ?? null,
        version: ticket?.version ?? null,
        degraded: action?.type === 'fallback',
        duplicate: shown.duplicate === true,
      }),
    );
    return result;
  } catch (error) {
    safely(() => observer.ended({ turn: 0, action: null, intent: null, confidence: null, version: null, degraded: false, duplicate: false, error }));
    throw error;
  }
}

function safely(report: () => void): void {
  try {
    report();
  } catch {
    // an observer must never change the operation's result
  }
}
