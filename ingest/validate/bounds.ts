/**
 * Per-channel value bounds (`--bounds temperature=-40:150,speed=0:`), checked on every sample.
 * Either side may be left open. A sample outside its channel's bounds is rejected, not clipped.
 */
import { UsageError } from '../../core/index.ts';

export interface Bound {
  min?: number;
  max?: number;
}

export type ChannelBounds = Record<string, Bound>;

/** Parses `name=min:max,name2=min:` (either side optional). */
export function parseBounds(spec: string | undefined, option = '--bounds'): ChannelBounds {
  const bounds: ChannelBounds = {};
  if (!spec) return bounds;
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=([^:]*):([^:]*)$/.exec(part);
    if (!m)
      throw new UsageError(`${option}: expected channel=min:max (either side may be empty), got "${part}"`);
    const [, name, lo, hi] = m;
    const num = (s: string, which: string): number | undefined => {
      if (s.trim() === '') return undefined;
      const v = Number(s);
      if (!Number.isFinite(v)) throw new UsageError(`${option}: ${which} of ${name} is not a number: "${s}"`);
      return v;
    };
    const b: Bound = { min: num(lo, 'min'), max: num(hi, 'max') };
    if (b.min !== undefined && b.max !== undefined && b.min > b.max)
      throw new UsageError(`${option}: min > max for ${name}`);
    bounds[name.trim()] = b;
  }
  return bounds;
}

/** The problem with a value for its channel's bounds, or undefined when it is within them. */
export function boundsProblem(channel: string, value: number, bounds: ChannelBounds): string | undefined {
  const b = bounds[channel];
  if (!b) return undefined;
  if ((b.min !== undefined && value < b.min) || (b.max !== undefined && value > b.max)) {
    return `value ${value} of channel "${channel}" is outside its bounds [${b.min ?? '-inf'}, ${b.max ?? 'inf'}]; fix the sensor reading or widen --bounds`;
  }
  return undefined;
}
