/**
 * `leadtime ingest <format> ...`: reads telemetry into the store under the home, prints a summary
 * (read, stored, duplicates, rejected) and exits 0, or 2 when rejections exceed --max-reject.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { IngestSummary, PublisherGaps, SeriesGapReport, TelemetryReader } from '../../ingest/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';
import { requireInputPath } from './input-path.ts';

interface CommonOptions {
  maxReject: number;
  allowEmpty?: boolean;
  bounds?: string;
  batchSize?: number;
  logCommits?: boolean;
  json?: string | boolean;
}

const maxRejectOption = (value: string): number => {
  if (value === 'any') return Infinity;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`--max-reject expects an integer >= 0 or "any", got "${value}"`);
  return n;
};

const numberOption =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} expects a positive number, got "${value}"`);
    return n;
  };

function common(cmd: Command): Command {
  return cmd
    .option(
      '--max-reject <n>',
      'exit 2 when more than n records are rejected ("any": never)',
      maxRejectOption,
      Infinity,
    )
    .option('--bounds <spec>', 'per-channel bounds, e.g. temperature=-40:150,speed=0:')
    .option('--batch-size <n>', 'items per store transaction (default 200000)', intOption('--batch-size', 1))
    .option('--log-commits', 'write one JSON line per committed batch to stderr')
    .option('--allow-empty', 'an input with no records is fine (default: exit 2)')
    .option('--json [file]', 'print the summary as JSON (to stdout, or to a file)');
}

function summaryText(s: IngestSummary): string {
  const lines = [
    `ingested ${s.format} ${s.source} (run ${s.runId}, ${s.status}, ${s.seconds.toFixed(1)} s)`,
    `  read ${s.records} records (${s.items} items): ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected} rejected`,
  ];
  if (s.rejected > 0) lines.push(`  see them with: leadtime rejected --run ${s.runId}`);
  return lines.join('\n');
}

function qualityText(report: SeriesGapReport[], k: number, onlyProblems: boolean): string {
  if (report.length === 0)
    return onlyProblems
      ? `no series skips or stops (gap: interval over ${k} x its median)`
      : 'no series stored';
  const lines = [`series with an interval over ${k} x their median interval, or stopped:`];
  for (const r of report) {
    const gaps = r.gaps
      .slice(0, 3)
      .map((g) => `${g.from}..${g.to} (${g.intervals.toFixed(1)} intervals)`)
      .join(', ');
    lines.push(
      `  ${r.asset} ${r.channel}: ${r.samples} samples every ${r.medianInterval ?? '-'} ${r.timeUnit}, ` +
        `${r.gapCount} gap(s), about ${r.missingEstimate} missing${gaps ? `: ${gaps}${r.gapCount > 3 ? ', ...' : ''}` : ''}` +
        (r.stopped ? `; STOPPED: last sample ${r.last}, newest in the fleet ${r.asOf}` : ''),
    );
  }
  return lines.join('\n');
}

/** One publisher's line of the summary: what arrived, and what never did. */
function publisherLine(p: PublisherGaps): string {
  const head = `  publisher ${p.publisher}: ${p.received} messages (seq ${p.first}..${p.last}), ${p.duplicates} redelivered`;
  if (p.missing === null) return `${head}; gaps: see the union of the --share group`;
  if (p.missing === 0) return `${head}, none missing`;
  const ranges = p.missingRanges.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ');
  return `${head}, ${p.missing} MISSING (seq ${ranges}${p.missingRanges.length === 20 ? ', ...' : ''}): the broker dropped them; see README "MQTT: zero loss through an outage"`;
}

async function runIngest(
  cmd: Command,
  reader: TelemetryReader,
  opts: CommonOptions,
  extra: {
    waveformLength?: number;
    maxBatchAgeMs?: number;
    runOptions?: unknown;
    live?: boolean;
    /** what the reader saw beyond the counts (MQTT: per-publisher sequence gaps), merged into the summary */
    report?: () => { json: Record<string, unknown>; text: string[] };
  } = {},
): Promise<void> {
  const { ingest, openTelemetryStore, parseBounds } = await import('../../ingest/index.ts');
  const g = globals(cmd);
  if (!extra.live) requireInputPath(reader.source, reader.format === 'ims' ? 'directory' : 'file');
  const store = await openTelemetryStore(g.home, g.store);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await ingest(reader, store, {
      batchSize: opts.batchSize,
      bounds: parseBounds(opts.bounds),
      waveformLength: extra.waveformLength,
      maxBatchAgeMs: extra.maxBatchAgeMs,
      runOptions: extra.runOptions,
      signal: controller.signal,
      onCommit: (p) => {
        if (opts.logCommits) process.stderr.write(JSON.stringify({ committed: p }) + '\n');
        else if (!g.quiet && process.stderr.isTTY)
          process.stderr.write(
            `\r  ${p.records} records, ${p.stored} stored, ${p.duplicates} duplicates, ${p.rejected} rejected`,
          );
      },
    });
    if (!opts.logCommits && !g.quiet && process.stderr.isTTY) process.stderr.write('\n');
    const more = extra.report?.();
    emit(
      opts.json,
      {
        ...summary,
        ...more?.json,
        maxReject: Number.isFinite(opts.maxReject) ? opts.maxReject : 'any',
        store: store.location,
      },
      () => [summaryText(summary), ...(more?.text ?? [])].join('\n'),
    );
    if (summary.records === 0 && !opts.allowEmpty && !extra.live) {
      process.stderr.write(
        `leadtime: ${reader.source}: no records (an empty file, or a header only); pass --allow-empty if that is expected\n`,
      );
      process.exitCode = 2;
    }
    if (summary.rejected > opts.maxReject) {
      process.stderr.write(
        `leadtime: ${summary.rejected} records rejected, more than --max-reject ${opts.maxReject}\n`,
      );
      process.exitCode = 2;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    store.close();
  }
}

export function registerIngest(program: Command): void {
  const cmd = program
    .command('ingest')
    .description(
      'read telemetry into the store (<home>/store/telemetry.duckdb); bad records go to `leadtime rejected`',
    )
    .addHelpText(
      'after',
      `
Examples:
  leadtime ingest cmapss ../shared/data/cmapss/train_FD001.txt
  leadtime ingest csv readings.csv --layout long --map asset=machine,t=time,channel=tag,value=reading --timestamp "YYYY-MM-DD HH:mm:ss"
  leadtime ingest csv fleet/scalars.csv --layout wide --timestamp epoch-ms
  leadtime ingest ndjson telemetry.ndjson
  leadtime ingest f32 fleet/waveforms/index.csv
  leadtime ingest f32 pump.f32 --length 25600 --rate 25600 --asset pump-1 --start 2026-01-01T00:00:00Z --interval 12h
  leadtime ingest ims 2nd_test/ --asset ims-2
  leadtime ingest fleet fleet/
  leadtime ingest mqtt --url mqtt://127.0.0.1:1883 --topic 'plant/+/+/telemetry'
  leadtime ingest mqtt --url mqtt://10.0.0.5:1883 --topic 'plant/+/+/telemetry' --share ingest --client-id ingest-1
  leadtime ingest quality`,
    );

  cmd
    .command('quality')
    .description(
      'series in the store that skip or stop: intervals over k x their median interval, per asset and channel',
    )
    .option('--k <k>', 'an interval over k x the median is a gap (default 3)', numberOption('--k'))
    .option('--asset <name...>', 'only these assets')
    .option('--channel <name...>', 'only these channels')
    .option('--all', 'list every series, not only those with gaps or stopped')
    .option('--json [file]', 'print the report as JSON (to stdout, or to a file)')
    .action(
      action(
        async (
          opts: { k?: number; asset?: string[]; channel?: string[]; all?: boolean; json?: string | boolean },
          c: Command,
        ) => {
          const { openTelemetryStore, seriesGaps } = await import('../../ingest/index.ts');
          const store = await openTelemetryStore(globals(c).home, globals(c).store);
          try {
            const report = await seriesGaps(store, {
              k: opts.k,
              assets: opts.asset,
              channels: opts.channel,
              onlyProblems: !opts.all,
            });
            emit(opts.json, { k: opts.k ?? 3, series: report }, () =>
              qualityText(report, opts.k ?? 3, !opts.all),
            );
          } finally {
            await store.close();
          }
        },
      ),
    );

  common(
    cmd
      .command('cmapss <file>')
      .description('NASA C-MAPSS text: unit, cycle, 3 settings, 21 sensors (time unit: cycle)'),
  )
    .option('--asset-prefix <prefix>', 'asset name prefix (default: the file name and "-")')
    .action(
      action(async (file: string, opts: CommonOptions & { assetPrefix?: string }, c: Command) => {
        const { CmapssReader } = await import('../../ingest/index.ts');
        await runIngest(c, new CmapssReader(resolve(file), { assetPrefix: opts.assetPrefix }), opts, {
          runOptions: opts,
        });
      }),
    );

  common(
    cmd
      .command('csv <file>')
      .description('CSV, long (asset,t,channel,value) or wide (asset,t,<channels...>), with a header row'),
  )
    .option(
      '-c, --config <file>',
      'CSV mapping config (YAML or JSON): layout, mapping, channels, asset, timestamp, delimiter, bounds',
    )
    .option('--layout <layout>', 'long or wide (default long)')
    .option('--map <spec>', 'column mapping, e.g. asset=machine,t=time,channel=tag,value=reading')
    .option('--channels <list>', 'wide layout: the channel columns to read (default: all but asset and t)')
    .option('--asset <name>', 'the asset of every row, when the file has no asset column')
    .option(
      '--timestamp <format>',
      'iso, epoch-ms, epoch-s, cycle, or a pattern like "YYYY-MM-DD HH:mm:ss" (default iso)',
    )
    .option('--delimiter <char>', 'field separator (default ,)')
    .action(
      action(
        async (
          file: string,
          opts: CommonOptions & {
            config?: string;
            layout?: string;
            map?: string;
            channels?: string;
            asset?: string;
            timestamp?: string;
            delimiter?: string;
          },
          c: Command,
        ) => {
          const { loadConfigFile } = await import('../../core/index.ts');
          const { CsvIngestConfig, CsvReader, parseMapping } = await import('../../ingest/index.ts');
          const cfg = opts.config ? loadConfigFile(opts.config, CsvIngestConfig) : {};
          const layout = opts.layout ?? cfg.layout ?? 'long';
          if (layout !== 'long' && layout !== 'wide')
            throw new UsageError(`--layout must be long or wide, got "${layout}"`);
          const reader = new CsvReader(resolve(file), {
            layout,
            mapping: { ...cfg.mapping, ...parseMapping(opts.map) },
            channels: opts.channels ? opts.channels.split(',').map((s) => s.trim()) : cfg.channels,
            asset: opts.asset ?? cfg.asset,
            timestampFormat: opts.timestamp ?? cfg.timestamp,
            delimiter: opts.delimiter ?? cfg.delimiter,
          });
          const bounds =
            opts.bounds ??
            (cfg.bounds
              ? Object.entries(cfg.bounds)
                  .map(([k, b]) => `${k}=${b.min ?? ''}:${b.max ?? ''}`)
                  .join(',')
              : undefined);
          await runIngest(c, reader, { ...opts, bounds }, { runOptions: { ...cfg, ...opts } });
        },
      ),
    );

  common(
    cmd
      .command('ndjson <file>')
      .description(
        'one JSON sample, values object or waveform per line (samples as an array or base64 float32)',
      ),
  )
    .option('--time-unit <unit>', 'what numeric t counts: ms or cycle (default ms)')
    .option('--length <n>', 'expected waveform length; others are rejected', intOption('--length', 1))
    .option(
      '--max-record-bytes <n>',
      'longest accepted line (default 16 MiB)',
      intOption('--max-record-bytes', 1),
    )
    .action(
      action(
        async (
          file: string,
          opts: CommonOptions & { timeUnit?: string; length?: number; maxRecordBytes?: number },
          c: Command,
        ) => {
          const { NdjsonReader } = await import('../../ingest/index.ts');
          const timeUnit = opts.timeUnit ?? 'ms';
          if (timeUnit !== 'ms' && timeUnit !== 'cycle')
            throw new UsageError(`--time-unit must be ms or cycle, got "${timeUnit}"`);
          await runIngest(
            c,
            new NdjsonReader(resolve(file), { timeUnit, maxRecordBytes: opts.maxRecordBytes }),
            opts,
            { waveformLength: opts.length, runOptions: opts },
          );
        },
      ),
    );

  common(
    cmd
      .command('f32 <file>')
      .description('raw little-endian float32 snapshots: a .f32 file, or a fleet waveforms/index.csv'),
  )
    .option('--length <n>', 'samples per snapshot', intOption('--length', 64))
    .option('--rate <hz>', 'sample rate, Hz', numberOption('--rate'))
    .option('--asset <name>', 'asset of a raw file (default: file name)')
    .option('--channel <name>', 'channel of a raw file (default vib)')
    .option('--start <time>', 'time of the first snapshot, ISO 8601 or epoch ms (raw file; default 0)')
    .option('--interval <duration>', 'time between snapshots (raw file; default 1s)')
    .option('--assets <file>', 'machine context (assets.json) for defect frequencies')
    .action(
      action(
        async (
          file: string,
          opts: CommonOptions & {
            length?: number;
            rate?: number;
            asset?: string;
            channel?: string;
            start?: string;
            interval?: string;
            assets?: string;
          },
          c: Command,
        ) => {
          const { F32Reader } = await import('../../ingest/index.ts');
          const reader = new F32Reader(resolve(file), {
            length: opts.length,
            rateHz: opts.rate,
            asset: opts.asset,
            channel: opts.channel,
            start: opts.start,
            interval: opts.interval,
            assetsFile: opts.assets,
          });
          await runIngest(c, reader, opts, { waveformLength: opts.length, runOptions: opts });
        },
      ),
    );

  common(
    cmd
      .command('ims <dir>')
      .description(
        'IMS bearing snapshots: a directory of tab-separated text files named by time (2004.02.12.10.32.39)',
      ),
  )
    .option('--length <n>', 'rows per file (default 20480)', intOption('--length', 64))
    .option('--rate <hz>', 'sample rate, Hz (default 20000)', numberOption('--rate'))
    .option('--asset <name>', 'asset name (default: the directory name)')
    .option('--timestamp <format>', 'file name pattern (default YYYY.MM.DD.HH.mm.ss)')
    .option('--assets <file>', 'machine context (assets.json) for defect frequencies')
    .action(
      action(
        async (
          dir: string,
          opts: CommonOptions & {
            length?: number;
            rate?: number;
            asset?: string;
            timestamp?: string;
            assets?: string;
          },
          c: Command,
        ) => {
          const { ImsReader } = await import('../../ingest/index.ts');
          const reader = new ImsReader(resolve(dir), {
            length: opts.length,
            rateHz: opts.rate,
            asset: opts.asset,
            timestampFormat: opts.timestamp,
            assetsFile: opts.assets,
          });
          await runIngest(c, reader, opts, { runOptions: opts });
        },
      ),
    );

  common(
    cmd
      .command('fleet <dir>')
      .description(
        'a synthetic fleet directory (leadtime generate fleet): scalars.csv, then waveforms/index.csv',
      ),
  ).action(
    action(async (dir: string, opts: CommonOptions, c: Command) => {
      const { fleetReaders } = await import('../../ingest/index.ts');
      requireInputPath(resolve(dir), 'directory');
      // one run per reader; the worst exit code of the two wins
      let exit = 0;
      for (const reader of fleetReaders(resolve(dir))) {
        await runIngest(c, reader, opts, { runOptions: opts });
        exit = Math.max(exit, Number(process.exitCode ?? 0));
      }
      process.exitCode = exit;
    }),
  );

  common(
    cmd
      .command('mqtt')
      .description(
        'subscribe (QoS 1, persistent session) and ingest until interrupted, idle, or --count messages',
      ),
  )
    .requiredOption('--url <url>', 'broker, e.g. mqtt://127.0.0.1:1883')
    .requiredOption('--topic <filter...>', "topic filter(s), e.g. 'plant/+/+/telemetry'")
    .option(
      '--client-id <id>',
      'session identity; the same id resumes the same session (default leadtime-ingest; with --share leadtime-ingest-<group>-<hostname>)',
    )
    .option(
      '--share <group>',
      'join a shared subscription ($share/<group>/<topic>): the processes of a group split the messages; each needs its own --client-id',
    )
    .option(
      '--protocol <version>',
      'MQTT version 5 or 4 (3.1.1); default 5 with fallback to 4',
      intOption('--protocol', 4),
    )
    .option('--idle-exit <seconds>', 'stop after this long without a message', numberOption('--idle-exit'))
    .option('--count <n>', 'stop after n messages', intOption('--count', 1))
    .option(
      '--max-batch-age <ms>',
      'commit a batch at the latest this long after its first message (default 100)',
      intOption('--max-batch-age', 1),
    )
    .option('--length <n>', 'expected waveform length; others are rejected', intOption('--length', 1))
    .option(
      '--max-message-bytes <n>',
      'largest accepted payload (default 8 MiB)',
      intOption('--max-message-bytes', 1),
    )
    .option('--time-unit <unit>', 'what numeric t counts: ms or cycle (default ms)')
    .action(
      action(
        async (
          opts: CommonOptions & {
            url: string;
            topic: string[];
            clientId?: string;
            share?: string;
            protocol?: number;
            idleExit?: number;
            count?: number;
            maxBatchAge?: number;
            length?: number;
            maxMessageBytes?: number;
            timeUnit?: string;
          },
          c: Command,
        ) => {
          const { MqttReader } = await import('../../ingest/index.ts');
          if (opts.protocol !== undefined && opts.protocol !== 4 && opts.protocol !== 5)
            throw new UsageError(`--protocol must be 4 or 5, got ${opts.protocol}`);
          const timeUnit = opts.timeUnit ?? 'ms';
          if (timeUnit !== 'ms' && timeUnit !== 'cycle')
            throw new UsageError(`--time-unit must be ms or cycle, got "${timeUnit}"`);
          const reader = new MqttReader({
            url: opts.url,
            topics: opts.topic,
            clientId: opts.clientId,
            share: opts.share,
            protocolVersion: opts.protocol as 4 | 5 | undefined,
            idleMs: opts.idleExit === undefined ? undefined : opts.idleExit * 1000,
            maxMessages: opts.count,
            maxMessageBytes: opts.maxMessageBytes,
            timeUnit,
            onSubscribed: (info) => {
              if (!globals(c).quiet) {
                process.stderr.write(
                  `leadtime ingest mqtt: subscribed to ${info.topics.join(', ')} at ${info.url} as ${info.clientId} (MQTT ${info.protocolVersion === 5 ? '5' : '3.1.1'}, QoS 1, persistent session)\n`,
                );
              }
            },
          });
          await runIngest(c, reader, opts, {
            waveformLength: opts.length,
            maxBatchAgeMs: opts.maxBatchAge ?? 100,
            runOptions: opts,
            live: true,
            report: () => {
              const report = reader.report();
              return { json: report, text: report.publishers.map(publisherLine) };
            },
          });
        },
      ),
    );
}
