/**
 * What the store can hold. The range of `t` the store can hold and every query can turn back into a time. Epoch
 * milliseconds are limited to what a JavaScript Date represents (+-8.64e15 ms, ECMA-262
 * §21.4.1.1), which also fits DuckDB's TIMESTAMP (microseconds in an int64) and the BIGINT column;
 * cycle indices to integers a double holds exactly (2^53 - 1), since `t` passes through doubles
 * on its way to the BIGINT column. Checked per record before anything is written, so one
 * out-of-range time is a rejected record, never a failed batch.
 */
import type { TimeUnit } from '../contracts.ts';
import { RecordProblem } from './rejection.ts';

/** Largest |t| in epoch milliseconds: the JavaScript Date range (year -271821 to 275760). */
export const MAX_EPOCH_MS = 8.64e15;
/** Largest cycle index: the largest integer a double holds exactly. */
export const MAX_CYCLE = Number.MAX_SAFE_INTEGER;
/** Highest waveform sample rate accepted, Hz: far above any vibration sensor, low enough to keep spectra finite. */
export const MAX_SAMPLE_RATE_HZ = 1e9;

/** Why `t` cannot be stored in this time unit, or undefined when it can. */
export function timeRangeProblem(t: number, timeUnit: TimeUnit, field = 't'): RecordProblem | undefined {
  if (typeof t !== 'number' || !Number.isFinite(t))
    return new RecordProblem(`${field} is not a finite number: ${String(t)}`, field);
  if (timeUnit === 'cycle') {
    if (!Number.isInteger(t) || t < 0 || t > MAX_CYCLE)
      return new RecordProblem(
        `${field} ${t} is not a cycle index the store can hold (an integer from 0 to ${MAX_CYCLE})`,
        field,
      );
    return undefined;
  }
  if (!Number.isInteger(t))
    return new RecordProblem(`${field} must be whole epoch milliseconds, got ${t}`, field);
  if (Math.abs(t) > MAX_EPOCH_MS)
    return new RecordProblem(
      `${field} ${t} is outside the storable time range (|t| <= ${MAX_EPOCH_MS} epoch ms, years -271821 to 275760); is it in seconds or microseconds instead of milliseconds?`,
      field,
    );
  return undefined;
}
