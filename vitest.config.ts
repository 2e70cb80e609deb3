import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // most of the slow files wait (child processes, brokers, leases, timers) rather than compute, so
    // three files at once on 2 cores finish sooner than vitest's default of cores - 1
    maxWorkers: 3,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
