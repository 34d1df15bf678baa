import type { ExecutionStep } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { holdsSensitive, maskJson, type SensitiveValue } from '../runtime/sensitive-values.js';

/**
 * A tool call's input or output as the journal keeps it (P1): as it is, or — when it holds a
 * sensitive value — masked, with the value itself sealed beside it (compensations and replays
 * of the step still need it).
 */
export function journalValue(
  runtime: Runtime,
  ticketId: string,
  key: string,
  kind: 'input' | 'output' | 'error',
  value: unknown,
  secrets: readonly SensitiveValue[],
): { shown: unknown; sealed?: string } {
  if (!runtime.privacy || !holdsSensitive(value, secrets)) return { shown: value };
  return { shown: maskJson(value, secrets), sealed: runtime.privacy.seal(ticketId, `${kind}:${key}`, value).sealed };
}

/** A journaled input or output as it really was (opened when it was sealed). */
export function openValue(
  runtime: Runtime,
  ticketId: string,
  key: string,
  kind: 'input' | 'output' | 'error',
  shown: unknown,
  sealed: string | undefined,
): unknown {
  if (sealed === undefined || !runtime.privacy) return shown;
  return runtime.privacy.open(ticketId, `${kind}:${key}`, { value: shown, source: 'tool', turn: 0, sealed });
}

/** A step with its real input and output, for compensating it. */
export function revealStep(
  runtime: Runtime,
  ticketId: string,
): (step: Pick<ExecutionStep, 'key' | 'input' | 'output' | 'sealedInput' | 'sealedOutput'>) => { input: unknown; output: unknown } {
  return (step) => ({
    input: openValue(runtime, ticketId, step.key, 'input', step.input, step.sealedInput),
    output: openValue(runtime, ticketId, step.key, 'output', step.output, step.sealedOutput),
  });
}
