/** `leadtime generate fleet`: writes the synthetic run-to-failure bearing fleet. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createProgress, formatDuration, loadConfigFile, parseDuration, validate } from '../../core/index.ts';
import { FleetConfig, writeFleet } from '../../ingest/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

interface FleetOptions {
  config?: string;
  assets?: number;
  seed?: number;
  interval?: string;
  out?: string;
  json?: string | boolean;
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
    .addHelpText('after', '\nExample:\n  leadtime generate fleet --assets 5 --seed 7 --out data/fleet')
    .action(
      action((opts: FleetOptions, cmd: Command) => {
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
        const out = resolve(opts.out ?? resolve(g.home, 'fleet'));
        let bar: ReturnType<typeof createProgress> | undefined;
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
