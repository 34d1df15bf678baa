import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@ticketflow/core/testing': fileURLToPath(new URL('../core/src/testing/index.ts', import.meta.url)),
      '@ticketflow/core/adapter': fileURLToPath(new URL('../core/src/adapter/index.ts', import.meta.url)),
      '@ticketflow/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
    },
  },
  test: { include: ['src/**/*.test.ts'] },
});
