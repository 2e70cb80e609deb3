/**
 * Series that skip or stop, for any source: a series' usual interval is the median of the
 * intervals between its consecutive samples (robust to the gaps themselves, as long as fewer than
 * half the intervals are gaps); an interval longer than k x that median is a gap, and a series whose
 * last sample is older than k x its median interval at `asOf` (the newest sample of the fleet in the
 * same time unit, by default) has stopped.
 */
import { median } from '../../core/index.ts';
import type { TimeUnit } from '../contracts.ts';
import type { TelemetryStore } from '../store/telemetry-store.ts';

export interface SeriesGap {
  /** the samples either side of the gap */
  from: number;
  to: number;
  /** (to - from) / median interval */
  intervals: number;
}

export interface SeriesGapResult {
  samples: number;
  /** null with fewer than 2 distinct times: no interval to judge by */
  medianInterval: number | null;
  /** every gap, in time order */
  gaps: SeriesGap[];
  /** samples that would have been there at the usual interval: sum of (to - from) / median - 1, rounded */
  missingEstimate: number;
  first: number | null;
  last: number | null;
  /** whether the series stopped: asOf - last > k x median */
  stopped: boolean;
}

/** Gaps in one series. `times` need not be sorted; repeats are ignored. */
export function findSeriesGaps(
  times: ArrayLike<number>,
  options: { k?: number; asOf?: number } = {},
): SeriesGapResult {
  const k = options.k ?? 3;
  const t = Float64Array.from(times).sort();
  const distinct: number[] = [];
  for (const x of t) if (distinct.length === 0 || x !== distinct[distinct.length - 1]) distinct.push(x);
  const first = distinct.length ? distinct[0] : null;
  const last = distinct.length ? distinct[distinct.length - 1] : null;
  if (distinct.length < 2)
    return {
      samples: t.length,
      medianInterval: null,
      gaps: [],
      missingEstimate: 0,
      first,
      last,
      stopped: false,
    };
  const intervals = new Float64Array(distinct.length - 1);
  for (let i = 1; i < distinct.length; i++) intervals[i - 1] = distinct[i] - distinct[i - 1];
  const m = median(intervals);
  const gaps: SeriesGap[] = [];
  let missing = 0;
  for (let i = 0; i < intervals.length; i++) {
    if (intervals[i] > k * m) {
      gaps.push({ from: distinct[i], to: distinct[i + 1], intervals: intervals[i] / m });
      missing += Math.round(intervals[i] / m) - 1;
    }
  }
  const stopped = options.asOf !== undefined && options.asOf - last! > k * m;
  return { samples: t.length, medianInterval: m, gaps, missingEstimate: missing, first, last, stopped };
}

export interface SeriesGapsOptions {
  /** an interval over k x the median is a gap (default 3) */
  k?: number;
  assets?: string[];
  channels?: string[];
  /** the time a stopped series is judged at (default: newest sample of the fleet in that time unit) */
  asOf?: number;
  /** only the series with a gap or stopped (default false) */
  onlyProblems?: boolean;
  /** gaps listed per series, the first ones (default 20; counts cover all) */
  maxGaps?: number;
}

export interface SeriesGapReport extends Omit<SeriesGapResult, 'gaps'> {
  asset: string;
  channel: string;
  timeUnit: TimeUnit;
  gapCount: number;
  gaps: SeriesGap[];
  asOf: number;
}

/** Every stored scalar series' gaps, through the TelemetryStore interface (any backend). */
export async function seriesGaps(
  store: TelemetryStore,
  options: SeriesGapsOptions = {},
): Promise<SeriesGapReport[]> {
  const spans = (await store.assets()).filter((a) => !options.assets || options.assets.includes(a.asset));
  const newest = new Map<TimeUnit, number>();
  for (const a of spans) newest.set(a.timeUnit, Math.max(newest.get(a.timeUnit) ?? -Infinity, a.last));
  const out: SeriesGapReport[] = [];
  for (const a of spans) {
    for (const channel of a.channels) {
      if (options.channels && !options.channels.includes(channel)) continue;
      const series = await store.series(a.asset, channel);
      if (series.length === 0) continue; // a waveform channel: its features are judged by their own rows
      const asOf = options.asOf ?? newest.get(a.timeUnit)!;
      const r = findSeriesGaps(
        series.map((s) => s.t),
        { k: options.k, asOf },
      );
      if (options.onlyProblems && r.gaps.length === 0 && !r.stopped) continue;
      out.push({
        asset: a.asset,
        channel,
        timeUnit: a.timeUnit,
        ...r,
        gapCount: r.gaps.length,
        gaps: r.gaps.slice(0, options.maxGaps ?? 20),
        asOf,
      });
    }
  }
  return out;
}
