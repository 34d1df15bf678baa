import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The child run of broken-stores.test.ts: only the fixture, from the core package root. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    include: ['src/testing/store-conformance/broken-stores.fixture.ts'],
    testTimeout: 30_000,
  },
});
