/**
 * `--queue redis://...` for the commands that run replications (simulate, optimize): opens the
 * queue executor, removes this run's waiting jobs on Ctrl-C (or SIGTERM) and closes it afterwards.
 * Without --queue the callback gets no executor and replications run on this machine's threads.
 */
import type { Command } from 'commander';
import type { ReplicationExecutor } from '../simulation/index.ts';
import { DEFAULT_QUEUE_NAME } from '../simulation/experiments/queue-name.ts';

export interface QueueOptions {
  queue?: string;
  queueName?: string;
}

export function queueOptions(cmd: Command): Command {
  return cmd
    .option(
      '--queue <redis-url>',
      'run replications on the `leadtime worker` processes of a BullMQ queue, e.g. redis://127.0.0.1:6379',
    )
    .option('--queue-name <name>', `the queue's name (default ${DEFAULT_QUEUE_NAME})`);
}

export async function withQueue<T>(
  opts: QueueOptions,
  quiet: boolean,
  fn: (executor: ReplicationExecutor | undefined) => Promise<T>,
): Promise<T> {
  if (!opts.queue) return fn(undefined);
  const { QueueExecutor } = await import('../simulation/index.ts');
  const executor = await QueueExecutor.open({ url: opts.queue, name: opts.queueName });
  const workers = await executor.workersCount();
  if (!quiet)
    process.stderr.write(
      `leadtime: replications go to queue ${executor.name} at ${executor.url} (run ${executor.runId}, ${workers} worker${workers === 1 ? '' : 's'} listening)\n`,
    );
  if (workers === 0 && !quiet)
    process.stderr.write(
      'leadtime: no worker is listening yet; start one with `leadtime worker --queue ...`\n',
    );
  const interrupt = (signal: NodeJS.Signals): void => {
    void executor
      .cancel()
      .then((removed) => {
        process.stderr.write(
          `\nleadtime: ${signal}: removed ${removed} waiting job(s) of run ${executor.runId}\n`,
        );
      })
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await fn(executor);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await executor.close();
  }
}
