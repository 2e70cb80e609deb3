/**
 * The JSON telemetry contract shared by NDJSON files, MQTT payloads and HTTP bodies. One object is
 *   a sample     {"asset":"pump-1","channel":"temperature","t":1767225600000,"value":41.2}
 *   several      {"asset":"pump-1","t":"2026-01-01T00:00:00Z","values":{"temperature":41.2,"load":22.5}}
 *   a waveform   {"asset":"pump-1","channel":"vib","t":...,"sampleRateHz":25600,"samples":[0.01,...]}
 *                with `samples` a JSON array or a base64 string of little-endian float32, and an
 *                optional "context": {"shaftHz":29.9,"bearing":{...}} or {"defectFrequenciesHz":{...}}
 * `t` is a number in the source's time unit (epoch ms or cycle) or an ISO 8601 string.
 */
import { jsonDepth } from '../../core/index.ts';
import type { MachineContext, Sample, TimeUnit, Waveform } from '../contracts.ts';
import { RecordProblem } from '../validate/rejection.ts';
import { timeRangeProblem } from '../validate/storable.ts';
import { timestampParser } from '../validate/timestamp.ts';
import { decodeFloat32LE } from '../waveform/f32-file.ts';

export type TelemetryItem =
  | { kind: 'samples'; samples: Sample[]; problems: { field: string; reason: string }[] }
  | { kind: 'waveform'; waveform: Waveform };

const iso = timestampParser('iso');
/** Deepest JSON nesting a record may have (a waveform's machine context needs 3). */
export const MAX_RECORD_DEPTH = 32;
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function parseTime(v: unknown, timeUnit: TimeUnit): number {
  if (typeof v === 'number') {
    const range = timeRangeProblem(v, timeUnit);
    if (range) throw range;
    return v;
  }
  if (typeof v === 'string') {
    if (timeUnit === 'cycle')
      throw new RecordProblem(`t must be a cycle number for this source, got "${v}"`, 't');
    const t = iso(v, 't');
    const range = timeRangeProblem(t, timeUnit);
    if (range) throw range;
    return t;
  }
  if (v === undefined || v === null)
    throw new RecordProblem('missing t (epoch ms, cycle, or ISO 8601 text)', 't');
  throw new RecordProblem(`t must be a number or ISO 8601 text, got ${JSON.stringify(v)}`, 't');
}

function requireString(o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (v === undefined || v === null || v === '') throw new RecordProblem(`missing ${field}`, field);
  if (typeof v !== 'string')
    throw new RecordProblem(`${field} must be text, got ${JSON.stringify(v)}`, field);
  return v;
}

function finiteNumber(v: unknown, field: string): number {
  if (v === undefined || v === null) throw new RecordProblem(`missing value for ${field}`, field);
  if (typeof v !== 'number')
    throw new RecordProblem(`${field} must be a number, got ${JSON.stringify(v)}`, field);
  if (!Number.isFinite(v)) throw new RecordProblem(`${field} is not finite`, field);
  return v;
}

function decodeSamples(v: unknown): Float32Array {
  if (typeof v === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v))
      throw new RecordProblem('samples is text but not base64 (little-endian float32 expected)', 'samples');
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length % 4 !== 0)
      throw new RecordProblem(
        `base64 samples decode to ${bytes.length} bytes, not a whole number of float32 values`,
        'samples',
      );
    const out = decodeFloat32LE(bytes);
    const bad = out.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new RecordProblem(`samples[${bad}] is ${out[bad]} (not finite)`, 'samples');
    return out;
  }
  if (Array.isArray(v)) {
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x))
        throw new RecordProblem(`samples[${i}] is not a finite number: ${JSON.stringify(x)}`, 'samples');
      out[i] = x;
    }
    return out;
  }
  throw new RecordProblem('samples must be an array of numbers or base64 little-endian float32', 'samples');
}

function parseContext(v: unknown): MachineContext | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new RecordProblem('context must be an object', 'context');
  return v as MachineContext;
}

/** Parses one JSON telemetry text; throws RecordProblem naming the field when it is not in the contract. */
export function parseTelemetryJson(text: string, timeUnit: TimeUnit = 'ms'): TelemetryItem {
  // a byte-order mark (an MQTT payload or a line written by a Windows tool) is not part of the JSON
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (jsonDepth(text, MAX_RECORD_DEPTH) > MAX_RECORD_DEPTH)
    throw new RecordProblem(
      `JSON nested deeper than ${MAX_RECORD_DEPTH} levels; a telemetry record needs at most 4`,
    );
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch (err) {
    throw new RecordProblem(`malformed JSON: ${(err as Error).message}`);
  }
  return telemetryFromObject(o, timeUnit);
}

export function telemetryFromObject(o: unknown, timeUnit: TimeUnit = 'ms'): TelemetryItem {
  if (!isObject(o))
    throw new RecordProblem('expected a JSON object with asset, t and channel/value, values or samples');
  const asset = requireString(o, 'asset');
  const t = parseTime(o.t, timeUnit);
  if (o.samples !== undefined) {
    const channel = requireString(o, 'channel');
    const sampleRateHz = finiteNumber(o.sampleRateHz, 'sampleRateHz');
    if (!(sampleRateHz > 0))
      throw new RecordProblem(`sampleRateHz must be > 0, got ${sampleRateHz}`, 'sampleRateHz');
    return {
      kind: 'waveform',
      waveform: {
        asset,
        channel,
        t,
        sampleRateHz,
        samples: decodeSamples(o.samples),
        context: parseContext(o.context),
      },
    };
  }
  if (o.values !== undefined) {
    if (!isObject(o.values)) throw new RecordProblem('values must be an object of channel: number', 'values');
    const samples: Sample[] = [];
    const problems: { field: string; reason: string }[] = [];
    for (const [channel, v] of Object.entries(o.values)) {
      try {
        samples.push({ asset, channel, t, value: finiteNumber(v, `values.${channel}`) });
      } catch (err) {
        if (!(err instanceof RecordProblem)) throw err;
        problems.push({ field: channel, reason: err.message });
      }
    }
    if (samples.length === 0 && problems.length === 0) throw new RecordProblem('values is empty', 'values');
    return { kind: 'samples', samples, problems };
  }
  const channel = requireString(o, 'channel');
  return {
    kind: 'samples',
    samples: [{ asset, channel, t, value: finiteNumber(o.value, 'value') }],
    problems: [],
  };
}
