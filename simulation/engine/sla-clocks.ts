/**
 * The clocks of a priority tier: respond (open -> first stage starts), on site (open -> start of
 * an on-site stage, after travel) and resolve (open -> last stage ends), each a streaming
 * histogram plus its SLA target. A clock still running at the horizon is censored: counted, and a
 * definite miss when it has already passed its target, never silently dropped.
 */
import { LogHistogram } from './histogram.ts';

export class SlaClock {
  readonly histogram = new LogHistogram();
  met = 0;
  /** clocks still running at the horizon */
  censored = 0;
  /** of those, the ones already past the target (known misses) */
  censoredBreached = 0;

  constructor(
    /** target in minutes; NaN when the tier has none for this clock */
    readonly target: number,
  ) {}

  record(value: number): void {
    this.histogram.add(value);
    if (value <= this.target) this.met++;
  }

  censor(age: number): void {
    this.censored++;
    if (age > this.target) this.censoredBreached++;
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
  ) {
    this.respond = new SlaClock(targets.respond);
    this.onsite = new SlaClock(targets.onsite);
    this.resolve = new SlaClock(targets.resolve);
  }
}
