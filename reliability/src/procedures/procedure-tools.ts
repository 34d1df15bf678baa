import { defineTool } from '@ticketflow/core';
import { z } from 'zod';
import type { ChaosBackend } from './chaos-backend.js';

const line = z.object({ line: z.string() });
const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);

/**
 * Text the store must hold the same way everywhere (issue 12 item 6): a NUL and a lone
 * surrogate, chosen per key so a replay sees the same value. The output schema accepts any
 * string; what the engine stores is its business (one rule, every store).
 */
function hostileNote(key: string): string {
  const pick = [...key].reduce((sum, character) => sum + character.charCodeAt(0), 0) % 3;
  return ['ref\u0000123', 'probe \ud800 done', 'plain note'][pick]!;
}

/**
 * The tools of the procedures domain, each on the shared chaos backend with its idempotency
 * key: most undo themselves (`compensate`), `send_sms` cannot be undone (E4's
 * `step.not_compensable`), `run_line_test` answers text with a NUL or a lone surrogate, and
 * `write_note` refuses an empty text before anything runs (a call a workflow may catch).
 */
export function createProcedureTools(backend: ChaosBackend, timeoutMs: number) {
  const operation = <I, O>(
    name: string,
    input: z.ZodType<I>,
    output: z.ZodType<O>,
    produce: (input: I, key: string) => O,
    options: { undo?: boolean; retries?: number } = {},
  ) =>
    defineTool({
      name,
      input,
      output,
      run: (value: I, context) => backend.perform(name, context.idempotencyKey, value, context.signal, () => produce(value, context.idempotencyKey)),
      ...(options.undo
        ? {
            compensate: (_value: I, _output: O | undefined, context: { idempotencyKey: string; signal: AbortSignal }) =>
              backend.undo(name, context.idempotencyKey, context.signal),
          }
        : {}),
      timeoutMs,
      retries: options.retries ?? 1,
    });

  return {
    openCase: operation('open_case', line, z.object({ caseId: z.string() }), (_input, key) => ({ caseId: `CASE-${key}` }), { undo: true }),
    runLineTest: operation('run_line_test', line, z.object({ status: z.enum(['ok', 'fault']), note: z.string() }), (_input, key) => ({
      status: key.endsWith('0') ? ('fault' as const) : ('ok' as const),
      note: hostileNote(key),
    })),
    resetPort: operation('reset_port', line, z.object({ port: z.number() }), (_input, key) => ({ port: key.length % 48 }), { undo: true }),
    bookTechnician: operation(
      'book_technician',
      line.extend({ day: weekday }),
      z.object({ bookingId: z.string() }),
      (_input, key) => ({ bookingId: `BK-${key}` }),
      { undo: true },
    ),
    addCredit: operation(
      'add_credit',
      line.extend({ amount: z.number().positive() }),
      z.object({ creditId: z.string() }),
      (_input, key) => ({ creditId: `CR-${key}` }),
      { undo: true },
    ),
    sendSms: operation('send_sms', line.extend({ text: z.string() }), z.object({ smsId: z.string() }), (_input, key) => ({ smsId: `SMS-${key}` }), {
      retries: 0,
    }),
    writeNote: operation('write_note', z.object({ text: z.string().min(1) }), z.object({ noteId: z.string() }), (_input, key) => ({ noteId: `N-${key}` }), {
      undo: true,
    }),
  };
}

/** The tools of {@link createProcedureTools}. */
export type ProcedureTools = ReturnType<typeof createProcedureTools>;
