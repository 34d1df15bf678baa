export { GeminiLLM } from './gemini-llm.js';
export type { GeminiLLMOptions } from './gemini-llm.js';
