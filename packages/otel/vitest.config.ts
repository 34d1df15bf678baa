import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __TICKETFLOW_OTEL_VERSION__: JSON.stringify(version) },
  resolve: {
    alias: {
      '@ticketflow/core/testing': fileURLToPath(new URL('../core/src/testing/index.ts', import.meta.url)),
      '@ticketflow/core/adapter': fileURLToPath(new URL('../core/src/adapter/index.ts', import.meta.url)),
      '@ticketflow/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
      '@ticketflow/llm-mock': fileURLToPath(new URL('../llm-mock/src/index.ts', import.meta.url)),
    },
  },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
