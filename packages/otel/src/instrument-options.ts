import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { ConfigurationError } from '@ticketflow/core';
import { checkOptions } from '@ticketflow/core/adapter';
import { z } from 'zod';

/** Options of {@link instrumentAgent}. */
export interface InstrumentAgentOptions {
  /**
   * Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`, which
   * the OpenTelemetry SDK sets when it starts; spans are dropped while none is registered).
   */
  tracerProvider?: TracerProvider | undefined;
  /**
   * Where metrics go. Default: the global meter provider (`metrics.getMeterProvider()`),
   * looked up again when it changes, so an SDK started after `instrumentAgent` is used.
   */
  meterProvider?: MeterProvider | undefined;
  /**
   * Records message texts, replies, entities, prompts, LLM answers and tool inputs, outputs
   * and errors on spans (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `ticketflow.entities`, `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`), each
   * through `redact`. Default `false`: spans carry names, ids, counts and outcomes only.
   */
  captureContent?: boolean | undefined;
  /**
   * Masks captured content before it is recorded (with `captureContent: true`). Default: the
   * core's `defaultRedact` (e-mail addresses, IBANs, card and phone numbers). Pass the agent's
   * own `redact` so traces mask what the ticket log masks. If it throws, the content is left out.
   */
  redact?: ((text: string) => string) | undefined;
}

const isFunction = (value: unknown) => typeof value === 'function';

const optionsSchema = z.object({
  tracerProvider: z
    .custom<TracerProvider>((value) => isFunction((value as TracerProvider | null)?.getTracer), 'must be a TracerProvider (an object with getTracer)')
    .optional(),
  meterProvider: z
    .custom<MeterProvider>((value) => isFunction((value as MeterProvider | null)?.getMeter), 'must be a MeterProvider (an object with getMeter)')
    .optional(),
  captureContent: z.boolean({ error: 'must be true or false' }).optional(),
  redact: z.custom<(text: string) => string>(isFunction, 'must be a function (text: string) => string').optional(),
});

/**
 * Validates the options of `instrumentAgent`: every problem at once, unknown keys with the
 * closest valid one (`captureContents` → did you mean "captureContent"?).
 * @throws {ConfigurationError} listing every problem.
 */
export function checkInstrumentOptions(options: unknown): InstrumentAgentOptions {
  const checked = checkOptions(optionsSchema, options === undefined ? {} : options, 'instrumentAgent');
  if (checked.issues.length > 0 || !checked.options) throw new ConfigurationError({ message: 'Invalid instrumentAgent options', issues: checked.issues });
  return checked.options as InstrumentAgentOptions;
}
