import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The engine's tests drive it with the real MockLLM. The mock depends on the core, so the
// core cannot depend on it (a workspace cycle): both resolve to their sources here.
export default defineConfig({
  resolve: {
    alias: {
      '@ticketflow/core/testing': fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)),
      '@ticketflow/core/adapter': fileURLToPath(new URL('./src/adapter/index.ts', import.meta.url)),
      '@ticketflow/core': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      '@ticketflow/llm-mock': fileURLToPath(new URL('../llm-mock/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 20_000,
  },
});
