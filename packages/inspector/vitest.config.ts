import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      { extends: true, test: { name: 'plugin', environment: 'node', include: ['test/**/*.test.ts'], testTimeout: 20_000 } },
      { extends: true, test: { name: 'page', environment: 'happy-dom', include: ['web/**/*.test.{ts,tsx}'], testTimeout: 30_000 } },
    ],
  },
});
