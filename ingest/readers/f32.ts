/**
 * Raw little-endian float32 waveform snapshots. Either one `.f32` file of one asset's snapshots
 * back to back (`--length N --rate HZ --asset A --start T --interval D` give the metadata), or an
 * `index.csv` as the synthetic fleet writes (asset, channel, snapshot, t, time, file, offset, length,
 * sampleRateHz per snapshot, files relative to the index), with machine context from `assets.json`
 * next to the fleet. A snapshot of the wrong length, or a partial one at the end of a file, is rejected.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, parseDuration } from '../../core/index.ts';
import type { MachineContext, TimeUnit } from '../contracts.ts';
import { decodeFloat32LE, readF32Snapshots } from '../waveform/f32-file.ts';
import { loadMachineContexts } from '../waveform/machine-context.ts';
import type { ReaderRecord, TelemetryReader } from './reader.ts';

export interface F32Options {
  /** samples per snapshot; required for a raw file, checked against the index otherwise */
  length?: number;
  rateHz?: number;
  asset?: string;
  channel?: string;
  /** time of the first snapshot (ISO 8601 or epoch ms), raw files */
  start?: string;
  /** time between snapshots, e.g. `12h`, raw files */
  interval?: string;
  /** machine context file (default: assets.json beside the fleet, when there is one) */
  assetsFile?: string;
}

export class F32Reader implements TelemetryReader {
  readonly format = 'f32';
  readonly timeUnit: TimeUnit = 'ms';
  private readonly contexts: Map<string, MachineContext>;

  constructor(
    readonly source: string,
    private readonly options: F32Options = {},
  ) {
    if (!existsSync(source)) throw new InputError(`${source}: no such file`);
    const isIndex = source.endsWith('.csv');
    const beside = isIndex
      ? resolve(dirname(source), '..', 'assets.json')
      : resolve(dirname(source), 'assets.json');
    const assetsFile = options.assetsFile ?? (existsSync(beside) ? beside : undefined);
    this.contexts = assetsFile ? loadMachineContexts(assetsFile) : new Map();
  }

  records(): AsyncIterable<ReaderRecord> {
    return this.source.endsWith('.csv') ? this.fromIndex() : this.fromRawFile();
  }

  private async *fromRawFile(): AsyncGenerator<ReaderRecord> {
    const { length, rateHz } = this.options;
    if (!length || !rateHz) throw new InputError('f32: a raw snapshot file needs --length N and --rate HZ');
    const asset = this.options.asset ?? basename(this.source).replace(/\.f32$/, '');
    const channel = this.options.channel ?? 'vib';
    const start =
      this.options.start === undefined
        ? 0
        : /^\d+$/.test(this.options.start)
          ? Number(this.options.start)
          : Date.parse(this.options.start);
    if (Number.isNaN(start))
      throw new InputError(`--start "${this.options.start}" is not ISO 8601 or epoch ms`);
    const interval = parseDuration(this.options.interval ?? '1s', '--interval');
    const context = this.contexts.get(asset);
    const it = readF32Snapshots(this.source, length);
    for (;;) {
      const next = it.next();
      if (next.done) {
        const { trailingBytes, fileBytes } = next.value;
        if (trailingBytes > 0) {
          const index = Math.floor(fileBytes / (length * 4));
          yield {
            kind: 'rejected',
            position: `snapshot ${index} (byte ${index * length * 4})`,
            raw: `${trailingBytes} trailing bytes`,
            reason: `file ends with ${trailingBytes} bytes, not a whole snapshot of ${length} float32 samples (${length * 4} bytes); is --length right, or was the file cut short?`,
            field: 'length',
          };
        }
        return;
      }
      const snap = next.value;
      const t = Math.round(start + snap.index * interval);
      yield {
        kind: 'waveform',
        position: `snapshot ${snap.index} (byte ${snap.offset})`,
        raw: JSON.stringify({ asset, channel, t, sampleRateHz: rateHz, length, offset: snap.offset }),
        waveform: { asset, channel, t, sampleRateHz: rateHz, samples: snap.samples, context },
      };
    }
  }

  private async *fromIndex(): AsyncGenerator<ReaderRecord> {
    const base = dirname(this.source);
    const lines = readFileSync(this.source, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    const header = lines[0].split(',');
    const need = ['asset', 'channel', 't', 'file', 'offset', 'length', 'sampleRateHz'];
    const missing = need.filter((c) => !header.includes(c));
    if (missing.length)
      throw new InputError(`${this.source}: not a waveform index: missing column(s) ${missing.join(', ')}`);
    const at = Object.fromEntries(header.map((h, i) => [h, i]));
    const fds = new Map<string, number>();
    try {
      for (let i = 1; i < lines.length; i++) {
        const raw = lines[i];
        if (raw.trim() === '') continue;
        const position = `line ${i + 1}`;
        const c = raw.split(',');
        const asset = c[at.asset],
          channel = c[at.channel],
          file = c[at.file];
        const t = Number(c[at.t]),
          offset = Number(c[at.offset]),
          length = Number(c[at.length]),
          rateHz = Number(c[at.sampleRateHz]);
        const bad = !asset
          ? 'asset'
          : !channel
            ? 'channel'
            : !Number.isInteger(t)
              ? 't'
              : !(offset >= 0)
                ? 'offset'
                : !(length > 0)
                  ? 'length'
                  : !(rateHz > 0)
                    ? 'sampleRateHz'
                    : undefined;
        if (bad) {
          yield {
            kind: 'rejected',
            position,
            raw,
            reason: `bad or missing ${bad} in the waveform index`,
            field: bad,
          };
          continue;
        }
        if (this.options.length && length !== this.options.length) {
          yield {
            kind: 'rejected',
            position,
            raw,
            reason: `snapshot has ${length} samples, expected --length ${this.options.length}`,
            field: 'length',
          };
          continue;
        }
        const path = join(base, '..', file);
        let fd = fds.get(path);
        if (fd === undefined) {
          try {
            fd = openSync(existsSync(path) ? path : join(base, file), 'r');
          } catch {
            yield {
              kind: 'rejected',
              position,
              raw,
              reason: `waveform file ${file} not found next to the index`,
              field: 'file',
            };
            continue;
          }
          fds.set(path, fd);
        }
        const bytes = length * 4;
        if (offset + bytes > fstatSync(fd).size) {
          yield {
            kind: 'rejected',
            position,
            raw,
            reason: `${file} ends before byte ${offset + bytes}; the snapshot is cut short`,
            field: 'offset',
          };
          continue;
        }
        const buf = Buffer.alloc(bytes);
        readSync(fd, buf, 0, bytes, offset);
        yield {
          kind: 'waveform',
          position,
          raw,
          waveform: {
            asset,
            channel,
            t,
            sampleRateHz: rateHz,
            samples: decodeFloat32LE(buf),
            context: this.contexts.get(asset),
          },
        };
      }
    } finally {
      for (const fd of fds.values()) closeSync(fd);
    }
  }
}
