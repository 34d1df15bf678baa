import { catchRejection } from '../util/thenable.js';
import type { AgentInstrumentation, ExecutionObserver, LLMAttemptObserver, OperationObserver, ToolCallObserver } from './instrumentation.js';

/**
 * An instrumentation whose every callback is isolated: whatever it throws or rejects is
 * ignored, so an observer can never break a turn or the process (O3). `run(work)` still runs `work` once, and an error of
 * `work` itself still propagates.
 */
export function guardInstrumentation(instrumentation: AgentInstrumentation): AgentInstrumentation {
  return { operationStarted: (start) => guardOperation(quietly(() => instrumentation.operationStarted(start))) };
}

function guardOperation(observer: OperationObserver | undefined): OperationObserver | undefined {
  if (!observer) return undefined;
  return {
    llmAttempt: (start) => guardCall(quietly(() => observer.llmAttempt?.(start))),
    providerSkipped: (provider) => quietly(() => observer.providerSkipped?.(provider)),
    execution: (start) => guardExecution(quietly(() => observer.execution?.(start))),
    event: (name, attributes) => quietly(() => observer.event?.(name, attributes)),
    committed: (events) => quietly(() => observer.committed?.(events)),
    logFields: () => quietly(() => observer.logFields?.()) ?? {},
    ended: (end) => quietly(() => observer.ended(end)),
  };
}

function guardExecution(observer: ExecutionObserver | undefined): ExecutionObserver | undefined {
  if (!observer) return undefined;
  return {
    toolCall: (start) => guardCall(quietly(() => observer.toolCall(start))),
    event: (name, attributes) => quietly(() => observer.event?.(name, attributes)),
    ended: (outcome) => quietly(() => observer.ended(outcome)),
  };
}

function guardCall<Observer extends ToolCallObserver | LLMAttemptObserver>(observer: Observer | undefined): Observer | undefined {
  if (!observer) return undefined;
  return {
    retried: (attempt: number, error: string) => quietly(() => (observer as ToolCallObserver).retried?.(attempt, error)),
    run: <T>(work: () => T): T => {
      if (!observer.run) return work();
      let started = false;
      try {
        return observer.run(() => {
          started = true;
          return work();
        });
      } catch (error) {
        if (started) throw error;
        return work();
      }
    },
    ended: (end: never) => quietly(() => observer.ended(end)),
  } as unknown as Observer;
}

/**
 * Runs an observer's callback: a throw is ignored, and so is a promise it returns — an `async`
 * callback (TypeScript accepts one where nothing is returned) is never awaited, and its
 * rejection is caught here rather than left unhandled, which would end the process.
 */
function quietly<T>(work: () => T): T | undefined {
  try {
    const result = work();
    return catchRejection(result) ? undefined : result;
  } catch {
    return undefined;
  }
}
