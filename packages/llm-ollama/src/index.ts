export { OllamaLLM } from './ollama-llm.js';
export type { OllamaLLMOptions } from './ollama-llm.js';
