/** Checks every sample must pass before it is stored, whatever reader produced it. */
import type { Sample, TimeUnit } from '../contracts.ts';
import { boundsProblem, type ChannelBounds } from './bounds.ts';
import { RecordProblem } from './rejection.ts';
import { timeRangeProblem } from './storable.ts';

/** Parses a number field: rejects empty text, text that is not a number, NaN and +-Infinity. */
export function parseNumber(text: string | undefined, field: string): number {
  if (text === undefined || text.trim() === '') throw new RecordProblem(`missing value for ${field}`, field);
  const v = Number(text);
  if (Number.isNaN(v)) {
    if (/^\s*[+-]?nan\s*$/i.test(text))
      throw new RecordProblem(
        `${field} is NaN; the sensor gave no reading, leave the row out or fix the source`,
        field,
      );
    throw new RecordProblem(`${field} is not a number: "${text}"`, field);
  }
  if (!Number.isFinite(v))
    throw new RecordProblem(`${field} is ${text.trim()} (not finite); fix the source reading`, field);
  return v;
}

/** Validates a sample; returns the reason it cannot be stored, or undefined. */
export function sampleProblem(
  s: Sample,
  timeUnit: TimeUnit,
  bounds: ChannelBounds,
): RecordProblem | undefined {
  if (typeof s.asset !== 'string' || s.asset === '') return new RecordProblem('missing asset', 'asset');
  if (typeof s.channel !== 'string' || s.channel === '')
    return new RecordProblem('missing channel', 'channel');
  const tProblem = timeRangeProblem(s.t, timeUnit);
  if (tProblem) return tProblem;
  return valueProblem(s.channel, s.value, bounds);
}

/** A sample's value checks (finite, within its channel's bounds), given a valid asset, channel and t. */
export function valueProblem(
  channel: string,
  value: number,
  bounds: ChannelBounds,
): RecordProblem | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return new RecordProblem(`value of ${channel} is not a finite number: ${String(value)}`, channel);
  const b = boundsProblem(channel, value, bounds);
  return b ? new RecordProblem(b, channel) : undefined;
}
