import { isDeepStrictEqual } from 'node:util';
import type { SlotDefinition, ToolDefinition } from '@ticketflow/core';
import type { ProcedureContext, ProcedureEnding } from '../../domain/procedures/procedure-context.js';

/** One journaled tool call of a driven procedure. */
export interface DriverStep {
  tool: string;
  input: unknown;
  output: unknown;
}

/** What {@link driveProcedure} returns. */
export interface DriveResult {
  ending: ProcedureEnding;
  /** Questions asked (one customer turn each), in order. */
  asked: string[];
  journal: DriverStep[];
  /** How many times `run` was started (1 + one re-run per answered question). */
  runs: number;
}

class Suspended extends Error {
  constructor(readonly slot: SlotDefinition<unknown>) {
    super(`suspended on ${slot.name}`);
  }
}

/** A re-run that called another tool, or the same tool with other input, than its journal says. */
export class DriverNondeterminismError extends Error {}

/**
 * Runs a procedure the way the engine runs a `ctx.ask` workflow (DESIGN E6), without the
 * engine: an ask of an unknown slot suspends the run; the answer is read into the slot; the
 * procedure runs again from the start, its completed tool calls replayed from the journal
 * (never called twice) and checked against it. It tests the procedures' branching and their
 * determinism under replay; the agent itself runs them in the harness.
 */
export async function driveProcedure(options: {
  procedure: (ctx: ProcedureContext) => Promise<ProcedureEnding>;
  /** Slots known before the run (from the customer's first message). */
  known: Record<string, unknown>;
  /** The customer's answer to a question, read into a value (undefined: not understood). */
  answer: (slot: SlotDefinition<unknown>) => unknown;
  /** Most questions before giving up. Default 60. */
  maxQuestions?: number;
}): Promise<DriveResult> {
  const known = { ...options.known };
  const journal: DriverStep[] = [];
  const asked: string[] = [];
  let runs = 0;
  for (;;) {
    runs += 1;
    let position = 0;
    const context: ProcedureContext = {
      slots: known,
      ask: async <T>(slot: SlotDefinition<T>) => {
        if (slot.name in known) return known[slot.name] as T;
        throw new Suspended(slot as SlotDefinition<unknown>);
      },
      call: async <I, O>(tool: ToolDefinition<I, O>, input: I) => {
        const index = position++;
        const recorded = journal[index];
        if (recorded) {
          if (recorded.tool !== tool.name || !isDeepStrictEqual(recorded.input, input))
            throw new DriverNondeterminismError(`step ${index}: journal has ${recorded.tool}, the re-run called ${tool.name}`);
          return recorded.output as O;
        }
        const parsed = tool.input.parse(input);
        const output = tool.output.parse(
          await tool.run(parsed, { idempotencyKey: `driver:${index}`, signal: new AbortController().signal, ticketId: 'driver', attempt: 1 }),
        );
        journal.push({ tool: tool.name, input: structuredClone(parsed), output: structuredClone(output) });
        return output;
      },
    };
    try {
      const ending = await options.procedure(context);
      return { ending, asked, journal, runs };
    } catch (error) {
      if (!(error instanceof Suspended)) throw error;
      if (asked.length >= (options.maxQuestions ?? 60)) throw new Error(`gave up after ${asked.length} questions (last: ${error.slot.name})`);
      asked.push(error.slot.name);
      const parsed = error.slot.schema.safeParse(options.answer(error.slot));
      if (!parsed.success) throw new Error(`the answer to ${error.slot.name} could not be read`);
      known[error.slot.name] = parsed.data;
    }
  }
}
