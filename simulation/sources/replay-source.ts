/**
 * Replay of a ticket log: the log's tickets open at their own times, shifted so that simulation
 * time 0 (a Monday 00:00) is the Monday before the first ticket, or the given origin, plus an
 * optional shift. `scale` models growth or decline: each logged ticket opens floor(scale) times,
 * plus once more with probability frac(scale) (so 0.5 thins to half, 1.2 adds a fifth), drawn from
 * the replication's own stream; a peak window's demand multiplier acts the same way. Copies open
 * at the same time as the original.
 */
import { isAbsolute, resolve } from 'node:path';
import { InputError, type RandomStream } from '../../core/index.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { mondayBefore, readTicketLog, type RejectedRow } from './ticket-log.ts';
import { timestampParser } from './timestamp-format.ts';
import type { PeakCalendar } from '../engine/peak-calendar.ts';
import type { TicketSource } from './ticket-source.ts';

export class ReplaySource implements TicketSource {
  emitted = 0;
  private next = 0;
  private copiesLeft = 0;
  private current = -1;

  constructor(
    readonly index: number,
    /** open times in minutes of simulation time, ascending */
    private readonly times: Float64Array,
    private readonly tiers: Int8Array,
    private readonly categories: Int16Array,
    /** resolved - opened per ticket in minutes (NaN: not resolved in the log) */
    private readonly work: Float64Array,
    private readonly scale: number,
    private readonly copyRng: RandomStream,
    private readonly peaks: PeakCalendar,
    readonly limit: number,
    readonly entryStage: number,
  ) {}

  nextTime(now: number): number {
    while (this.copiesLeft === 0) {
      if (this.next >= this.times.length) return Infinity;
      const i = this.next++;
      if (this.times[i] < now) continue;
      const m = this.scale * this.peaks.multiplier(this.times[i]);
      this.copiesLeft = m === 1 ? 1 : Math.floor(m) + (this.copyRng.uniform() < m - Math.floor(m) ? 1 : 0);
      this.current = i;
    }
    this.copiesLeft--;
    return this.times[this.current];
  }

  drawTier(): number {
    return this.tiers[this.current];
  }

  drawCategory(): number {
    return this.categories[this.current];
  }

  loggedWork(): number {
    return this.work[this.current];
  }
}

/** A replay's log turned into simulation times, cached per process (workers read a file once). */
export interface PreparedReplay {
  file: string;
  /** open times in minutes from simulation time 0 (before `shift`), ascending */
  times: Float64Array;
  tiers: Int8Array;
  categoryNames: (string | null)[];
  /** categories in order of first appearance */
  categories: string[];
  /** resolved - opened in minutes (NaN: no resolution time in the log) */
  work: Float64Array;
  lines: Int32Array;
  /** the log as read: rows, duplicates merged, rows rejected (with line and reason) */
  log: { rows: number; tickets: number; duplicates: number; rejected: RejectedRow[]; origin: string };
}

export type ReplaySpec = NonNullable<Scenario['arrivals'][number]['replay']>;

const cache = new Map<string, PreparedReplay>();

export function loadReplay(spec: ReplaySpec, field: string, baseDir?: string): PreparedReplay {
  const file = isAbsolute(spec.file) ? spec.file : resolve(baseDir ?? '.', spec.file);
  const key = JSON.stringify([file, spec.columns, spec.format, spec.priorities, spec.delimiter, spec.origin]);
  const hit = cache.get(key);
  if (hit) return hit;
  const log = readTicketLog(file, {
    columns: spec.columns,
    format: spec.format,
    priorities: spec.priorities,
    delimiter: spec.delimiter,
    field,
  });
  if (log.tickets.length === 0)
    throw new InputError(
      `${field}.file: no readable ticket in ${file}${log.rejected.length ? ` (first problem: line ${log.rejected[0].line}: ${log.rejected[0].reason})` : ''}`,
    );
  let origin: number;
  if (spec.origin !== undefined) {
    const parsed = timestampParser(spec.format ?? 'iso')(spec.origin);
    if (typeof parsed === 'string') throw new InputError(`${field}.origin: ${parsed}`);
    origin = parsed;
  } else origin = mondayBefore(log.tickets[0].openedAt);
  const categories: string[] = [];
  for (const t of log.tickets)
    if (t.category !== null && !categories.includes(t.category)) categories.push(t.category);
  const prepared: PreparedReplay = {
    file,
    times: Float64Array.from(log.tickets, (t) => (t.openedAt - origin) / 60_000),
    tiers: Int8Array.from(log.tickets, (t) => t.tier),
    categoryNames: log.tickets.map((t) => t.category),
    categories,
    work: Float64Array.from(log.tickets, (t) =>
      t.resolvedAt === null || t.resolvedAt < t.openedAt ? NaN : (t.resolvedAt - t.openedAt) / 60_000,
    ),
    lines: Int32Array.from(log.tickets, (t) => t.line),
    log: {
      rows: log.rows,
      tickets: log.tickets.length,
      duplicates: log.duplicates,
      rejected: log.rejected,
      origin: new Date(origin).toISOString(),
    },
  };
  cache.set(key, prepared);
  return prepared;
}
