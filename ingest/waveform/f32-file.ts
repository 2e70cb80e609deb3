/**
 * Raw little-endian float32 snapshot files: snapshots of a fixed length back to back, no header
 * (the synthetic fleet's `waveforms/<asset>.f32`, the reference script's `make` output). Read one
 * snapshot at a time so a file of any size streams in constant memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

const littleEndianHost = endianness() === 'LE';

/** Decodes little-endian float32 bytes (any alignment, any host) into a Float32Array. */
export function decodeFloat32LE(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0)
    throw new RangeError(`float32 data must be a multiple of 4 bytes, got ${bytes.byteLength}`);
  const n = bytes.byteLength / 4;
  if (littleEndianHost && bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, n).slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

export interface F32Snapshot {
  /** 0-based snapshot index in the file */
  index: number;
  /** byte offset of the snapshot in the file */
  offset: number;
  samples: Float32Array;
}

/** Snapshots of `length` samples from an f32 file; a trailing partial snapshot is reported, not dropped. */
export function* readF32Snapshots(
  file: string,
  length: number,
  start = 0,
  count = Infinity,
): Generator<F32Snapshot, { trailingBytes: number; fileBytes: number }> {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = length * 4;
    const buf = Buffer.alloc(bytes);
    const total = Math.floor(size / bytes);
    const end = Math.min(total, start + count);
    for (let i = start; i < end; i++) {
      const offset = i * bytes;
      let got = 0;
      while (got < bytes) {
        const r = readSync(fd, buf, got, bytes - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      yield { index: i, offset, samples: decodeFloat32LE(buf) };
    }
    return { trailingBytes: size - total * bytes, fileBytes: size };
  } finally {
    closeSync(fd);
  }
}
