import type { LLM, LLMResponse } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';
import { createSlotCipher } from '../privacy/slot-cipher.js';
import type { ReplayOptions } from './replay-ticket.js';
import type { ScriptStep } from './replay-script.js';

/**
 * The LLM of a replay: answers each turn with the decision recorded for it (sensitive
 * entities opened with the agent's key when given), or fails as the recorded turn failed.
 */
export function recordedDecisions(options: Pick<ReplayOptions, 'encryptionKey' | 'ticketId'>): { llm: LLM; next: (step: ScriptStep) => void } {
  const cipher = options.encryptionKey === undefined ? null : createSlotCipher(options.encryptionKey as Parameters<typeof createSlotCipher>[0]);
  let answer: (() => LLMResponse) | null = null;
  const llm: LLM = {
    name: 'replay',
    async generate(): Promise<LLMResponse> {
      if (!answer)
        throw new LLMError({ kind: 'invalid_request', provider: 'replay', message: 'the recording has no decision for this turn', retryable: false });
      return answer();
    },
  };
  const next = (step: ScriptStep) => {
    if (step.kind !== 'message') {
      answer = null;
      return;
    }
    if (step.degraded) {
      const kind = step.degraded;
      answer = () => {
        throw new LLMError({ kind, provider: 'replay', message: `recorded: every LLM failed (${kind})`, retryable: false });
      };
      return;
    }
    const decision = step.decision;
    if (!decision) {
      answer = null;
      return;
    }
    const entities = { ...decision.entities };
    for (const [slot, sealed] of Object.entries(decision.sealedEntities ?? {})) {
      if (cipher) entities[slot] = cipher.decrypt(sealed, { ticketId: options.ticketId, slot });
    }
    const text = JSON.stringify({ intent: decision.intent, confidence: decision.confidence, entities });
    answer = () => ({ text, model: 'recorded', latencyMs: 0 });
  };
  return { llm, next };
}
