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
    // each of the 3 worker processes runs its files one after another in the same process, without
    // a fresh module graph per file: re-importing the sources, vitest and the libraries (DuckDB,
    // TensorFlow.js, fastify, ...) for each of the ~90 files cost about a third of the run's CPU.
    // The files keep no state in modules between them (each makes its own temp homes, stores and
    // servers; env changes are restored; test/setup runs before every file); the whole suite also
    // passes with the files shuffled (--sequence.shuffle.files) and each file passes alone
    isolate: false,
    // most of the slow files wait (child processes, brokers, leases, timers) rather than compute, so
    // three files at once on 2 cores finish sooner than vitest's default of cores - 1
    maxWorkers: 3,
    // the long files start first, so the run does not end on one of them alone (a fresh clone has
    // no durations cached for vitest's own longest-first order)
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
