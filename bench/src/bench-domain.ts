import { z } from 'zod';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  LLMError,
  type Agent,
  type AgentOptions,
  type LLM,
  type TicketStore,
} from '@ticketflow/core';

/**
 * The benchmark's domain: a troubleshooting workflow with two tools, chosen by service
 * type, with an inferred region — the shape of a real support turn.
 */
export function createBenchDomain() {
  const serviceType = defineSlot({ name: 'service_type', schema: z.enum(['fiber', 'mobile']), question: 'Fiber or mobile?' });
  const phone = defineSlot({ name: 'phone', schema: z.string(), question: 'Your phone number?' });
  const region = defineSlot({
    name: 'region',
    schema: z.string().min(2),
    question: 'Which city?',
    infer: { from: ['phone'], derive: (known) => (String(known.phone).startsWith('030') ? 'Berlin' : undefined) },
  });
  const device = defineSlot({ name: 'device_type', schema: z.string(), question: 'Which device?' });
  const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
  const slow = defineIntent({ name: 'slow_internet', description: 'Internet is slow' });
  const checkOutage = defineTool({
    name: 'check_outage',
    input: z.object({ region: z.string() }),
    output: z.object({ outage: z.boolean() }),
    run: () => ({ outage: false }),
  });
  const resetModem = defineTool({
    name: 'reset_modem',
    input: z.object({ region: z.string() }),
    output: z.object({ done: z.boolean() }),
    run: () => ({ done: true }),
    compensate: () => undefined,
  });
  const fiber = defineWorkflow({
    name: 'fiber_troubleshoot',
    intent: noInternet,
    when: (slots) => slots.service_type === 'fiber',
    required: [serviceType, region],
    optional: [device],
    tools: [checkOutage, resetModem],
    run: async (context) => {
      await context.call(checkOutage, { region: String(context.slots.region) });
      await context.call(resetModem, { region: String(context.slots.region) });
      return { status: 'resolved', reply: 'I reset your modem.' };
    },
  });
  const mobile = defineWorkflow({
    name: 'mobile_troubleshoot',
    intent: noInternet,
    when: (slots) => slots.service_type === 'mobile',
    required: [serviceType, region],
    tools: [checkOutage],
    run: async (context) => {
      await context.call(checkOutage, { region: String(context.slots.region) });
      return { status: 'resolved', reply: 'Restart your phone.' };
    },
  });
  const speed = defineWorkflow({
    name: 'speed_check',
    intent: slow,
    required: [serviceType, region],
    run: () => ({ status: 'resolved', reply: 'Speed looks fine.' }),
  });
  return { intents: [noInternet, slow], workflows: [fiber, mobile, speed], slots: [phone] };
}

/** An LLM that answers instantly with a fixed text: no parsing of the prompt, no timers. */
export function instantLLM(text: (index: number) => string): LLM & { calls: number } {
  const llm = {
    name: 'instant',
    calls: 0,
    async generate() {
      llm.calls += 1;
      return { text: text(llm.calls), model: 'instant-1', latencyMs: 0, usage: { inputTokens: 100, outputTokens: 20 } };
    },
  };
  return llm;
}

/** The kinds of turn the benchmark measures. */
export type TurnKind = 'ask' | 'execute' | 'degraded' | 'degraded-open';

export const TURN_LABELS: Record<TurnKind, string> = {
  ask: 'ask turn',
  execute: 'execute turn (2 tools)',
  degraded: 'degraded turn (LLM call fails)',
  'degraded-open': 'degraded turn (circuit open)',
};

/**
 * The LLM and options that make every turn of a ticket the given kind:
 * - ask: a clear intent and no entities, so the engine asks for `service_type` every turn;
 * - execute: fiber and a region that changes every turn, so the workflow re-runs (E2a)
 *   with its two tools;
 * - degraded: the LLM fails (`auth`) on every call; the circuit breaker is set never to
 *   open, so each turn pays the failed call and the fallback;
 * - degraded-open: the same failing LLM with the default breaker, which opens after five
 *   failures: the steady state of an outage, where the LLM is skipped.
 */
export function turnSetup(kind: TurnKind): { llm: LLM; options: Partial<AgentOptions> } {
  switch (kind) {
    case 'ask':
      return { llm: instantLLM(() => '{"intent":"no_internet","confidence":0.9,"entities":{}}'), options: {} };
    case 'execute':
      return {
        llm: instantLLM((index) => `{"intent":"no_internet","confidence":0.9,"entities":{"service_type":"fiber","region":"Region ${index}"}}`),
        options: {},
      };
    case 'degraded':
      return { llm: failingLLM(), options: { circuitBreaker: { failureThreshold: Number.MAX_SAFE_INTEGER } } };
    case 'degraded-open':
      return { llm: failingLLM(), options: {} };
  }
}

/** Fails instantly with one prepared error: building the error is the adapter's cost, not the core's. */
function failingLLM(): LLM {
  const error = new LLMError({ kind: 'auth', provider: 'down', message: 'invalid key' });
  return { name: 'down', generate: () => Promise.reject(error) };
}

/** An agent on `store` whose every turn is of the given kind. */
export function benchAgent(kind: TurnKind, store: TicketStore): Agent {
  const { llm, options } = turnSetup(kind);
  return createAgent({ store, llm, ...createBenchDomain(), ...options });
}

/** The message of iteration `index`, with a unique messageId (T7), as an HTTP server would send it. */
export function benchMessage(ticketId: string, index: number, prefix = 'm') {
  return { ticketId, message: `my internet is still down, attempt number ${index}`, messageId: `${prefix}-${index}` };
}
