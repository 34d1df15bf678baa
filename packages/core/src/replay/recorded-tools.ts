import { callPlaceOfKey } from '../execute/idempotency-key.js';
import type { AnyToolDefinition, CompensationContext, ToolContext } from '../model/tool.js';
import { NonRetryableError } from '../model/tool.js';
import type { RecordedError } from '../model/ticket.js';
import { restoreError } from '../execute/execution-errors.js';
import { deepEqual } from '../util/deep-equal.js';
import type { ToolRunner } from '../runtime/runtime.js';
import type { FailedCompensations, RecordedOutputs, StartedCalls, ToolCallRecord } from './replay-script.js';

/**
 * The tools of a replay: each call is answered with the output (or failure) recorded under
 * its place (`<turn>:<step>` of the idempotency key: the replay runs the same turns and steps,
 * in a scratch life of the ticket) —
 * and never reaches the tool; a call the recording lacks fails instead of running and is
 * reported. Compensations are not run either.
 */
export function recordedTools(
  outputs: RecordedOutputs,
  failedCompensations: FailedCompensations = new Map(),
  started: StartedCalls = new Map(),
): {
  runner: ToolRunner;
  startOperation: () => void;
  calls: () => ToolCallRecord[];
  unrecorded: () => ToolCallRecord[];
  /** True from the call where the recorded worker stopped until {@link startOperation}: the replayed worker stops there too. */
  stopped: () => boolean;
} {
  let calls: ToolCallRecord[] = [];
  let unrecorded: ToolCallRecord[] = [];
  let stopped = false;
  const runner: ToolRunner = {
    async run(tool: AnyToolDefinition, _input: unknown, context: ToolContext, journaledInput: unknown): Promise<unknown> {
      // Compared and reported as the journal shows it: the recording masks sensitive values (P1), so must the replay.
      const stored = journaledInput;
      calls.push({ tool: tool.name, input: stored });
      const place = callPlaceOfKey(context.idempotencyKey);
      const recorded = outputs.get(place);
      const begun = started.get(place);
      if (!recorded && begun && begun.tool === tool.name && deepEqual(begun.input, stored)) {
        // Journaled as started, never finished: the recorded worker stopped here (a crash, or a lost claim).
        stopped = true;
        throw new NonRetryableError('replay: the recorded worker stopped during this call');
      }
      if (!recorded || recorded.tool !== tool.name || !deepEqual(recorded.input, stored)) {
        unrecorded.push({ tool: tool.name, input: stored });
        throw new NonRetryableError(`replay: the recording has no call of "${tool.name}" at this step; it was not executed`);
      }
      if (!recorded.ok) throw recordedFailure(recorded.error, recorded.errorDetail);
      return recorded.output;
    },
    // A compensation the recording says failed fails again (never reaching the tool); the others succeed.
    async compensate(_tool: AnyToolDefinition, _input: unknown, _output: unknown, context: CompensationContext): Promise<void> {
      if (stopped) throw new NonRetryableError('replay: the recorded worker had stopped');
      const failed = failedCompensations.get(callPlaceOfKey(context.idempotencyKey));
      if (failed !== undefined) throw new NonRetryableError(`replay: this compensation failed when recorded (${failed})`);
    },
  };
  return {
    runner,
    startOperation: () => {
      calls = [];
      unrecorded = [];
      stopped = false;
    },
    stopped: () => stopped,
    calls: () => calls,
    unrecorded: () => unrecorded,
  };
}

/**
 * The recorded failure thrown again as the tool threw it: a non-retryable error with the
 * recorded name, message and fields (journals older than those: the name and message parsed
 * back from the recorded `Name: message`), so the replayed run branches and reads as recorded.
 */
function recordedFailure(recorded: string, detail: RecordedError | undefined): NonRetryableError {
  if (detail) {
    const error = new NonRetryableError(detail.message);
    restoreError(error, detail);
    return error;
  }
  const match = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(recorded);
  const error = new NonRetryableError(match ? match[2]! : recorded);
  if (match) error.name = match[1]!;
  return error;
}
