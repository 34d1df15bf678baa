import { z } from 'zod';
import { defineIntent, defineSlot, defineTool, defineWorkflow, type LLM } from '@ticketflow/core';

/**
 * The benchmark's domain: a troubleshooting workflow with two tools, chosen by service
 * type, with an inferred region — the shape of a real support turn.
 */
export function createBenchDomain() {
  const serviceType = defineSlot({ name: 'service_type', schema: z.enum(['fiber', 'mobile']), question: 'Fiber or mobile?' });
  const phone = defineSlot({ name: 'phone', schema: z.string(), question: 'Your phone number?' });
  const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which city?', infer: { from: ['phone'], derive: (known) => (String(known.phone).startsWith('030') ? 'Berlin' : undefined) } });
  const device = defineSlot({ name: 'device_type', schema: z.string(), question: 'Which device?' });
  const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
  const slow = defineIntent({ name: 'slow_internet', description: 'Internet is slow' });
  const checkOutage = defineTool({ name: 'check_outage', input: z.object({ region: z.string() }), output: z.object({ outage: z.boolean() }), run: () => ({ outage: false }) });
  const resetModem = defineTool({ name: 'reset_modem', input: z.object({ region: z.string() }), output: z.object({ done: z.boolean() }), run: () => ({ done: true }), compensate: () => undefined });
  const fiber = defineWorkflow({
    name: 'fiber_troubleshoot', intent: noInternet, when: (slots) => slots.service_type === 'fiber',
    required: [serviceType, region], optional: [device], tools: [checkOutage, resetModem],
    run: async (context) => {
      await context.call(checkOutage, { region: String(context.slots.region) });
      await context.call(resetModem, { region: String(context.slots.region) });
      return { status: 'resolved', reply: 'I reset your modem.' };
    },
  });
  const mobile = defineWorkflow({ name: 'mobile_troubleshoot', intent: noInternet, when: (slots) => slots.service_type === 'mobile', required: [serviceType, region], tools: [checkOutage], run: async (context) => {
    await context.call(checkOutage, { region: String(context.slots.region) });
    return { status: 'resolved', reply: 'Restart your phone.' };
  } });
  const speed = defineWorkflow({ name: 'speed_check', intent: slow, required: [serviceType, region], run: () => ({ status: 'resolved', reply: 'Speed looks fine.' }) });
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
