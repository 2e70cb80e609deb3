import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/slow-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // worker threads run dist/'s compiled copy when it is fresh, checked before each file
    setupFiles: ['test/setup/workers-from-dist.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // most of the slow files wait (child processes, brokers, leases, timers) rather than compute, so
    // three files at once on 2 cores finish sooner than vitest's default of cores - 1
    maxWorkers: 3,
    // the long files start first, so the run does not end on one of them alone (a fresh clone has
    // no durations cached for vitest's own longest-first order)
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
