import type { AgentInstrumentation, ExecutionObserver, LLMAttemptObserver, OperationObserver, ToolCallObserver } from './instrumentation.js';

/** One instrumentation that forwards to several (e.g. tracing and a custom metrics one). */
export function fanOutInstrumentation(instrumentations: readonly AgentInstrumentation[]): AgentInstrumentation | undefined {
  if (instrumentations.length === 0) return undefined;
  if (instrumentations.length === 1) return instrumentations[0];
  return { operationStarted: (start) => fanOutOperation(present(instrumentations.map((one) => one.operationStarted(start)))) };
}

function fanOutOperation(observers: OperationObserver[]): OperationObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    llmAttempt: (start) => fanOutCall(present(observers.map((observer) => observer.llmAttempt?.(start)))),
    providerSkipped: (provider) => observers.forEach((observer) => observer.providerSkipped?.(provider)),
    execution: (start) => fanOutExecution(present(observers.map((observer) => observer.execution?.(start)))),
    event: (name, attributes) => observers.forEach((observer) => observer.event?.(name, attributes)),
    committed: (events) => observers.forEach((observer) => observer.committed?.(events)),
    logFields: () => Object.assign({}, ...observers.map((observer) => observer.logFields?.() ?? {})),
    ended: (end) => observers.forEach((observer) => observer.ended(end)),
  };
}

function fanOutExecution(observers: ExecutionObserver[]): ExecutionObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    toolCall: (start) => fanOutCall(present(observers.map((observer) => observer.toolCall(start)))),
    event: (name, attributes) => observers.forEach((observer) => observer.event?.(name, attributes)),
    ended: (outcome) => observers.forEach((observer) => observer.ended(outcome)),
  };
}

function fanOutCall<Observer extends ToolCallObserver | LLMAttemptObserver>(observers: Observer[]): Observer | undefined {
  if (observers.length <= 1) return observers[0];
  const runs = observers.filter((observer) => observer.run);
  return {
    retried: (attempt: number, error: string) => observers.forEach((observer) => (observer as ToolCallObserver).retried?.(attempt, error)),
    run: <T>(work: () => T): T => runs.reduceRight<() => T>((inner, observer) => () => observer.run!(inner), work)(),
    ended: (end: never) => observers.forEach((observer) => observer.ended(end)),
  } as unknown as Observer;
}

function present<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}
