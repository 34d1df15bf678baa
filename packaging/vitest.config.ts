import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installing and compiling the throwaway apps takes a while on a cold npm cache.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
