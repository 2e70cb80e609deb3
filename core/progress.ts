/**
 * Progress for long work, drawn on stderr so stdout stays machine-readable. Silent when stderr is
 * not a terminal or when quiet is asked for; the caller's code is the same either way.
 */
import type * as CliProgress from 'cli-progress';
import { onDemand } from './on-demand.ts';

// cli-progress is loaded when a bar is drawn: piped and quiet runs (and the bench) never need it
const cliProgress = onDemand<typeof CliProgress>('cli-progress');

export interface Progress {
  /** advance by n units (default 1) */
  tick(n?: number): void;
  /** set the absolute position */
  update(value: number): void;
  /** finish and remove the bar */
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

const silent: Progress = { tick() {}, update() {}, stop() {} };

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    {
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(options.total, 0);
  let value = 0;
  return {
    tick(n = 1) {
      value += n;
      bar.update(value);
    },
    update(v) {
      value = v;
      bar.update(v);
    },
    stop() {
      bar.stop();
    },
  };
}
