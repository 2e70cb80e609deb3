/** `leadtime rejected`: lists rejected input records with where they came from and why. */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { RejectedRow } from '../../ingest/index.ts';
import { localOrServer } from './through-server.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

interface RejectedOptions {
  run?: number;
  source?: string;
  limit: number;
  offset?: number;
  json?: string | boolean;
}

const oneLine = (s: string, max = 160): string => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
};

export function registerRejected(program: Command): void {
  program
    .command('rejected')
    .description('list rejected input records: source, position, reason, raw text')
    .option('--run <id>', 'only this ingest run', intOption('--run', 1))
    .option('--source <source>', 'only this source (file path or broker URL/topics)')
    .option('--limit <n>', 'at most n records (default 100)', intOption('--limit', 1), 100)
    .option('--offset <n>', 'skip the first n', intOption('--offset', 0))
    .option('--json [file]', 'print as JSON (to stdout, or to a file)')
    .action(
      action(async (opts: RejectedOptions, cmd: Command) => {
        const { withTelemetryStore } = await import('../../ingest/index.ts');
        const g = globals(cmd);
        const { rows, total } = await localOrServer(
          g.home,
          () =>
            withTelemetryStore(
              g.home,
              async (store) => ({
                rows: await store.rejected({
                  runId: opts.run,
                  source: opts.source,
                  limit: opts.limit,
                  offset: opts.offset,
                }),
                total: await store.rejectedCount({ runId: opts.run, source: opts.source }),
              }),
              g.store,
            ),
          async (get) => {
            if (opts.source !== undefined)
              throw new UsageError('--source is not available through the server');
            const q = new URLSearchParams({ limit: String(opts.limit), offset: String(opts.offset ?? 0) });
            if (opts.run !== undefined) q.set('runId', String(opts.run));
            const r = await get<{ total: number; rejected: RejectedRow[] }>(`/v1/telemetry/rejected?${q}`);
            return { rows: r.rejected, total: r.total };
          },
        );
        {
          emit(opts.json, { total, rejected: rows }, () =>
            rows.length === 0
              ? 'no rejected records'
              : [
                  ...rows.map(
                    (r) =>
                      `#${r.id} run ${r.runId} ${r.source} ${r.position}${r.field ? ` [${r.field}]` : ''}\n  reason: ${r.reason}\n  raw:    ${oneLine(r.raw)}`,
                  ),
                  total > rows.length
                    ? `(${rows.length} of ${total}; use --offset/--limit for more)`
                    : `(${total} rejected)`,
                ].join('\n'),
          );
        }
      }),
    );
}
