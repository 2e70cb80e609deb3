/** `leadtime features`: float32 snapshots -> condition-indicator CSV (the columns of numpy_features.py). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../../core/errors.ts';
import type { Progress } from '../../core/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

interface FeaturesOptions {
  format: string;
  in?: string;
  length?: number;
  rate?: number;
  defects?: string;
  out?: string;
  json?: string | boolean;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expects a positive number, got "${value}"`);
  return n;
};

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description(
      'compute vibration condition indicators per snapshot: time-domain, 16 band energies, centroid, envelope at defect frequencies',
    )
    .option(
      '--format <format>',
      'input format (f32: raw little-endian float32 snapshots back to back)',
      'f32',
    )
    // required, but checked in the action: commander would demand them of `features rank` too
    .option('--in <file>', 'input file (required)')
    .option('--length <n>', 'samples per snapshot, any n >= 64 (required)', intOption('--length', 64))
    .option('--rate <hz>', 'sample rate, Hz (required)', positive)
    .option('--defects <list>', 'defect frequencies in Hz, comma separated (columns env_f0, env_f1, ...)')
    .option('--out <file>', 'output CSV (required)')
    .option('--json [file]', 'print the summary as JSON (to stdout, or to a file)')
    .addHelpText(
      'after',
      '\nExample:\n  leadtime features --format f32 --in wave.f32 --length 32768 --rate 25600 --defects 87.3,130.1,34.6,9.4 --out features.csv',
    )
    .action(
      action(async (opts: FeaturesOptions, cmd: Command) => {
        const { createProgress } = await import('../../core/index.ts');
        const { computeFeaturesFile } = await import('../../ingest/index.ts');
        const g = globals(cmd);
        const missing = (['in', 'length', 'rate', 'out'] as const).filter((k) => opts[k] === undefined);
        if (missing.length)
          throw new UsageError(`features: missing ${missing.map((k) => `--${k}`).join(', ')}`);
        if (opts.format !== 'f32')
          throw new UsageError(
            `--format: only f32 is supported here, got "${opts.format}" (ingest other formats with leadtime ingest)`,
          );
        const defectsHz = opts.defects
          ? opts.defects.split(',').map((s, i) => {
              const v = Number(s);
              if (s.trim() === '' || !(v > 0))
                throw new UsageError(`--defects: item ${i + 1} is not a positive frequency in Hz: "${s}"`);
              return v;
            })
          : [];
        let bar: Progress | undefined;
        const summary = computeFeaturesFile({
          input: resolve(opts.in!),
          output: resolve(opts.out!),
          length: opts.length!,
          rateHz: opts.rate!,
          defectsHz,
          onSnapshot: (done, total) => {
            bar ??= createProgress({ total, label: 'features', quiet: g.quiet });
            bar.update(done);
          },
        });
        bar?.stop();
        emit(opts.json, summary, () =>
          [
            `wrote ${summary.snapshots} feature rows (${summary.columns.length} columns) to ${summary.output}`,
            `  ${summary.snapshots} snapshots x ${summary.length} samples in ${summary.seconds.toFixed(2)} s (${(summary.samplesPerSecond / 1e6).toFixed(1)} M samples/s)`,
          ].join('\n'),
        );
      }),
    );
}
