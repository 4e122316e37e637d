import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql module for server code and tests ("Duplicate graphql modules" otherwise).
    alias: { graphql: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
  },
  test: {
    include: ['unit/**/*.test.ts', 'integration/**/*.test.ts', 'browser/**/*.test.ts'],
    globalSetup: ['./helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './helpers/summary-reporter.ts'],
  },
});
