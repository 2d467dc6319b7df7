import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ is built once here; the tests that start the compiled CLI rely on it.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Two cores: more workers only fight over them (and each PGlite is ~100 MB of WASM).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
