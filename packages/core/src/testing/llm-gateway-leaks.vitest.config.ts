import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The child run of llm-gateway-leaks.test.ts: only the fixture, from the core package root. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['src/testing/llm-gateway-leaks.fixture.ts'],
    testTimeout: 30_000,
  },
});
