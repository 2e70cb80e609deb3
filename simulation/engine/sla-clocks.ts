/**
 * The clocks of a priority tier: respond (open -> first stage starts), on site (open -> start of
 * an on-site stage, after travel) and resolve (open -> last stage ends), each a streaming
 * histogram plus its SLA target. A clock still running at the horizon is censored: counted, and a
 * definite miss when it has already passed its target, never silently dropped.
 *
 * A tier with a business calendar counts its clocks in the calendar's open time only (a ticket
 * opened Friday 17:30 and answered Monday 09:00 under Mon-Fri 08-18 took 1.5 business hours), as
 * ServiceNow and Jira SLA schedules do: the histogram, attainment and censoring all use that time.
 * The elapsed (wall) time is kept beside it for what is queueing, not SLA: the share that waited,
 * the mean wait, Little's law.
 */
import type { BusinessCalendar } from '../../core/index.ts';
import { LogHistogram } from './histogram.ts';

export class SlaClock {
  /** stopped clocks in the clock's own time (the calendar's, or elapsed time without one) */
  readonly histogram = new LogHistogram();
  met = 0;
  /** clocks still running at the horizon */
  censored = 0;
  /** of those, the ones already past the target (known misses) */
  censoredBreached = 0;
  /** stopped clocks in elapsed time: their sum and how many were zero */
  wallSum = 0;
  wallZeros = 0;

  constructor(
    /** target in minutes (of the calendar's open time with one); NaN when the tier has none for this clock */
    readonly target: number,
    /** the business calendar the clock counts in; null: round the clock */
    readonly calendar: BusinessCalendar | null = null,
  ) {}

  /** The clock started at `from` stops at `to` (simulation minutes). */
  stop(from: number, to: number): void {
    const wall = to - from;
    this.wallSum += wall;
    if (!(wall > 0)) this.wallZeros++;
    const value = this.calendar === null ? wall : this.calendar.elapsed(from, to);
    this.histogram.add(value);
    if (value <= this.target) this.met++;
  }

  /** The clock started at `from` is still running at `end`, the horizon. */
  censor(from: number, end: number): void {
    const age = this.calendar === null ? end - from : this.calendar.elapsed(from, end);
    this.censored++;
    if (age > this.target) this.censoredBreached++;
  }

  /** Share of stopped clocks with elapsed time above zero (for respond: the probability of waiting). */
  get wallPositiveFraction(): number {
    const n = this.histogram.n;
    return n > 0 ? (n - this.wallZeros) / n : NaN;
  }

  /** Met / (stopped clocks + running clocks already breached); null without a target. */
  attainment(): number {
    const decided = this.histogram.n + this.censoredBreached;
    return Number.isNaN(this.target) || decided === 0 ? NaN : this.met / decided;
  }

  reset(): void {
    this.histogram.clear();
    this.met = 0;
    this.censored = 0;
    this.censoredBreached = 0;
    this.wallSum = 0;
    this.wallZeros = 0;
  }
}

export class TierClocks {
  readonly respond: SlaClock;
  readonly onsite: SlaClock;
  readonly resolve: SlaClock;
  /** measured tickets opened in this tier, resolved, open at the horizon */
  arrived = 0;
  resolved = 0;
  openAtHorizon = 0;
  openAgeSum = 0;
  openAgeMax = 0;
  raised = 0;
  escalated = 0;
  /** tickets that gave up waiting: in all, and before anyone responded (with their waits) */
  abandoned = 0;
  abandonedUnanswered = 0;
  abandonedWaitSum = 0;

  constructor(
    readonly tier: number,
    targets: { respond: number; onsite: number; resolve: number },
    /** the tier's business calendar and its name; null: its clocks run round the clock */
    readonly calendar: { name: string; calendar: BusinessCalendar } | null = null,
  ) {
    const cal = calendar?.calendar ?? null;
    this.respond = new SlaClock(targets.respond, cal);
    this.onsite = new SlaClock(targets.onsite, cal);
    this.resolve = new SlaClock(targets.resolve, cal);
  }

  /** What the clocks count: "24/7", or the name of the tier's calendar. */
  get clock(): string {
    return this.calendar?.name ?? '24/7';
  }
}
