import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineWorkflow, MemoryTicketStore, type LLMAttemptEnd } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * P1 with content capture: the captured prompt of a failed attempt withholds the verbatim
 * message section only — a short message ("e", "ok", "the") leaves the instructions, intents
 * and history of the prompt intact.
 */
async function failedAttemptPrompt(message: string) {
  const word = defineSlot({ name: 'memorable_word', schema: z.string().min(4), sensitive: true, question: 'What is your memorable word?' });
  const intent = defineIntent({ name: 'verify', description: 'The customer wants to verify their identity' });
  const workflow = defineWorkflow({ name: 'verify_identity', intent, required: [word], run: async () => ({ status: 'resolved', reply: 'ok' }) });
  const llm = new MockLLM();
  const agent = createAgent({
    store: new MemoryTicketStore(),
    llm,
    intents: [intent],
    workflows: [workflow],
    encryptionKey: randomBytes(32).toString('base64'),
    llmRetry: { retries: 0 },
  });
  const ended: LLMAttemptEnd[] = [];
  agent.instrument({ operationStarted: () => ({ llmAttempt: () => ({ ended: (end: LLMAttemptEnd) => void ended.push(end) }), ended: () => undefined }) });
  llm.enqueue({ error: 'unavailable', message: 'busy' });
  await agent.handle({ ticketId: 'W-1', message });
  const failed = ended.find((end) => !end.ok)!;
  return failed.prompt!;
}

describe('withholding the message from a failed attempt prompt', () => {
  for (const message of ['e', 'ok', 'the']) {
    it(`P1 only the verbatim message section is withheld for the message ${JSON.stringify(message)}; the rest of the prompt is intact`, async () => {
      const prompt = await failedAttemptPrompt(message);
      const withheld = (prompt.match(/customer message withheld/g) ?? []).length;
      expect(withheld, `occurrences of the placeholder; prompt is ${prompt.length} characters`).toBe(1);
      expect(prompt).toContain('You classify customer-support messages');
    });
  }
});
