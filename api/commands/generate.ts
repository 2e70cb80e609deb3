/** `leadtime generate fleet`: writes the synthetic run-to-failure bearing fleet. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDuration, parseDuration } from '../../core/duration.ts';
import { UsageError } from '../../core/errors.ts';
import type { Progress } from '../../core/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

interface FleetOptions {
  config?: string;
  assets?: number;
  seed?: number;
  interval?: string;
  out?: string;
  json?: string | boolean;
  publish?: string;
  rate?: number;
  what?: 'scalars' | 'waveforms' | 'all';
  topicPrefix?: string;
}

export function registerGenerate(program: Command): void {
  const generate = program.command('generate').description('generate synthetic data with ground truth');
  generate
    .command('fleet')
    .description('write a run-to-failure bearing fleet: float32 waveforms, scalars CSV, truth.csv')
    .option('-c, --config <file>', 'fleet config (YAML or JSON); flags override it')
    .option('-n, --assets <n>', 'number of assets (default 5)', intOption('--assets', 1))
    .option('-s, --seed <n>', 'random seed (default 1)', intOption('--seed'))
    .option('--interval <duration>', 'time between snapshots, e.g. 12h (default 12h)')
    .option('-o, --out <dir>', 'output directory (default <home>/fleet)')
    .option('--json [file]', 'print the summary as JSON (to stdout, or to a file)')
    .option(
      '--publish <url>',
      'instead of writing files, replay the fleet live onto an MQTT broker (QoS 1), e.g. mqtt://127.0.0.1:1883',
    )
    .option(
      '--rate <n>',
      'with --publish: messages per second (0: as fast as the broker acknowledges)',
      intOption('--rate', 0),
      0,
    )
    .option('--what <kind>', 'with --publish: scalars, waveforms or all (default all)')
    .option(
      '--topic-prefix <prefix>',
      'with --publish: topics are <prefix>/<asset>/telemetry (default plant/synthetic)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  leadtime generate fleet --assets 5 --seed 7 --out data/fleet\n  leadtime generate fleet --assets 20 --publish mqtt://127.0.0.1:1883 --rate 500 --what scalars',
    )
    .action(
      action(async (opts: FleetOptions, cmd: Command) => {
        const { createProgress, loadConfigFile, validate } = await import('../../core/index.ts');
        const { FleetConfig, publishFleet, writeFleet } = await import('../../ingest/index.ts');
        const g = globals(cmd);
        const base = opts.config
          ? loadConfigFile(opts.config, FleetConfig)
          : validate(FleetConfig, {}, 'defaults');
        const overrides = {
          ...base,
          ...(opts.assets !== undefined && { assets: opts.assets }),
          ...(opts.seed !== undefined && { seed: opts.seed }),
        };
        if (opts.interval !== undefined) {
          parseDuration(opts.interval, '--interval');
          overrides.interval = opts.interval;
        }
        const config = validate(FleetConfig, overrides, 'command-line options');
        if (opts.publish) {
          if (opts.what !== undefined && !['scalars', 'waveforms', 'all'].includes(opts.what))
            throw new UsageError(`--what must be scalars, waveforms or all, got "${opts.what}"`);
          let pbar: Progress | undefined;
          const pub = await publishFleet(config, {
            url: opts.publish,
            rate: opts.rate,
            what: opts.what,
            topicPrefix: opts.topicPrefix,
            onMessage: (done, total) => {
              pbar ??= createProgress({ total, label: 'publishing', quiet: g.quiet });
              pbar.update(done);
            },
          });
          pbar?.stop();
          emit(
            opts.json,
            { ...pub, seed: config.seed },
            () =>
              `published ${pub.messages} messages (${pub.samples} scalar samples, ${pub.waveforms} waveforms) to ${pub.url} as publisher ${pub.publisher} (seq 0..${pub.messages - 1}) in ${pub.seconds.toFixed(1)} s (${pub.messagesPerSecond.toFixed(0)} messages/s)`,
          );
          return;
        }
        const out = resolve(opts.out ?? resolve(g.home, 'fleet'));
        let bar: Progress | undefined;
        const t0 = performance.now();
        const summary = writeFleet(config, out, (done, total) => {
          bar ??= createProgress({ total, label: 'generating snapshots', quiet: g.quiet });
          bar.update(done);
        });
        bar?.stop();
        const seconds = (performance.now() - t0) / 1000;
        emit(opts.json, { ...summary, seed: config.seed, seconds }, () =>
          [
            `wrote ${summary.assets} assets, ${summary.snapshots} snapshots of ${summary.snapshotLength} samples at ${summary.sampleRateHz} Hz`,
            `  (${(summary.bytes / 1e6).toFixed(1)} MB of waveforms, seed ${config.seed}, interval ${formatDuration(parseDuration(config.interval))}) in ${seconds.toFixed(1)} s`,
            `  to ${out}: ${summary.files.slice(0, 6).join(', ')}, waveforms/*.f32`,
          ].join('\n'),
        );
      }),
    );
}
