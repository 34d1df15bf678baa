import { callPlaceOfKey } from '../execute/idempotency-key.js';
import type { AnyToolDefinition, CompensationContext, ToolContext } from '../model/tool.js';
import { NonRetryableError } from '../model/tool.js';
import type { RecordedError } from '../model/ticket.js';
import { restoreError } from '../execute/execution-errors.js';
import { deepEqual } from '../util/deep-equal.js';
import type { ToolRunner } from '../runtime/runtime.js';
import type { FailedCompensations, RecordedOutputs, ToolCallRecord } from './replay-script.js';

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
): {
  runner: ToolRunner;
  startOperation: () => void;
  calls: () => ToolCallRecord[];
  unrecorded: () => ToolCallRecord[];
} {
  let calls: ToolCallRecord[] = [];
  let unrecorded: ToolCallRecord[] = [];
  const runner: ToolRunner = {
    async run(tool: AnyToolDefinition, _input: unknown, context: ToolContext, journaledInput: unknown): Promise<unknown> {
      // Compared and reported as the journal shows it: the recording masks sensitive values (P1), so must the replay.
      const stored = journaledInput;
      calls.push({ tool: tool.name, input: stored });
      const recorded = outputs.get(callPlaceOfKey(context.idempotencyKey));
      if (!recorded || recorded.tool !== tool.name || !deepEqual(recorded.input, stored)) {
        unrecorded.push({ tool: tool.name, input: stored });
        throw new NonRetryableError(`replay: the recording has no call of "${tool.name}" at this step; it was not executed`);
      }
      if (!recorded.ok) throw recordedFailure(recorded.error, recorded.errorDetail);
      return recorded.output;
    },
    // A compensation the recording says failed fails again (never reaching the tool); the others succeed.
    async compensate(_tool: AnyToolDefinition, _input: unknown, _output: unknown, context: CompensationContext): Promise<void> {
      const failed = failedCompensations.get(callPlaceOfKey(context.idempotencyKey));
      if (failed !== undefined) throw new NonRetryableError(`replay: this compensation failed when recorded (${failed})`);
    },
  };
  return {
    runner,
    startOperation: () => {
      calls = [];
      unrecorded = [];
    },
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
