/**
 * `leadtime worker --queue redis://...`: runs simulation replications for `simulate`, `optimize` and
 * sweeps given `--queue`, on this machine's threads, until interrupted (SIGINT/SIGTERM finish the
 * running jobs, then exit) or idle.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_QUEUE_NAME } from '../../simulation/experiments/queue-name.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run simulation replications from a BullMQ queue (for simulate/optimize --queue)')
    .requiredOption('--queue <redis-url>', "the queue's Redis, e.g. redis://127.0.0.1:6379")
    .option('--queue-name <name>', `the queue's name (default ${DEFAULT_QUEUE_NAME})`)
    .option('-t, --threads <n>', 'replications at once (default: one per core)', intOption('--threads', 1))
    .option(
      '--lock-ms <ms>',
      "job lock; a dead worker's job is retried after about twice this (default 30000)",
      intOption('--lock-ms', 100),
    )
    .option('--idle-exit <seconds>', 'exit after this long without a job', intOption('--idle-exit', 1))
    .option('--timeout <seconds>', 'exit after this long whatever happens (tests)', intOption('--timeout', 1))
    .option('--json [file]', 'print the summary as JSON (to stdout, or to a file)')
    .addHelpText(
      'after',
      '\nExamples:\n  leadtime worker --queue redis://10.0.0.5:6379' +
        '\n  leadtime simulate data/scenarios/mmc.yaml --vary pools.engineers.size=6..25 --queue redis://10.0.0.5:6379',
    )
    .action(
      action(
        async (
          opts: {
            queue: string;
            queueName?: string;
            threads?: number;
            lockMs?: number;
            idleExit?: number;
            timeout?: number;
            json?: string | boolean;
          },
          cmd: Command,
        ) => {
          const { runQueueWorker } = await import('../../simulation/index.ts');
          const g = globals(cmd);
          const controller = new AbortController();
          let signals = 0;
          const stop = (signal: NodeJS.Signals): void => {
            // first signal: finish running jobs; second: leave them (their locks lapse, they are retried)
            if (++signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
            if (!g.quiet) process.stderr.write(`leadtime worker: ${signal}, finishing running jobs\n`);
            controller.abort();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
          const timeout =
            opts.timeout === undefined
              ? undefined
              : setTimeout(() => controller.abort(), opts.timeout * 1000);
          try {
            const summary = await runQueueWorker({
              url: opts.queue,
              name: opts.queueName,
              threads: opts.threads ?? availableParallelism(),
              lockMs: opts.lockMs,
              idleExitMs: opts.idleExit === undefined ? undefined : opts.idleExit * 1000,
              signal: controller.signal,
              log: g.quiet ? undefined : (line) => process.stderr.write(`leadtime worker: ${line}\n`),
            });
            emit(
              opts.json,
              summary,
              () =>
                `worker ran ${summary.jobs} replication(s), ${summary.failed} failed, in ${summary.seconds.toFixed(1)} s`,
            );
          } finally {
            clearTimeout(timeout);
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        },
      ),
    );
}
