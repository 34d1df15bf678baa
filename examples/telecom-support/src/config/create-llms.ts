import type { LLM } from '@ticketflow/core';
import { GeminiLLM } from '@ticketflow/llm-gemini';
import { OllamaLLM } from '@ticketflow/llm-ollama';
import { createTelecomLLM } from '../llm/create-telecom-llm.js';
import type { LLMConfig } from './load-config.js';

/** The LLM chain of a configuration, in fallback order (`mock` is the offline telecom LLM). */
export function createLLMs(configs: readonly LLMConfig[]): LLM[] {
  return configs.map((config): LLM => {
    switch (config.provider) {
      case 'mock':
        return createTelecomLLM();
      case 'gemini':
        return new GeminiLLM({ apiKey: config.apiKey, ...(config.model !== undefined ? { model: config.model } : {}) });
      case 'ollama':
        return new OllamaLLM({ ...(config.host !== undefined ? { host: config.host } : {}), ...(config.model !== undefined ? { model: config.model } : {}) });
    }
  });
}
