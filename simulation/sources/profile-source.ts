/**
 * Synthetic demand: a non-homogeneous Poisson process whose rate is a mean hourly rate times an
 * hour-of-day factor times a day-of-week factor (each normalised to mean 1, so `perHour` is the
 * average over a week), times the peak calendar's multiplier, times an optional daily gamma
 * factor of mean 1 and coefficient of variation `overdispersion` (busy and quiet days beyond
 * Poisson noise: a Poisson-gamma mixture).
 *
 * The rate is piecewise constant (hours, days, peak windows), so arrivals are generated exactly by
 * inverting the cumulative rate: draw E ~ Exp(1) and walk forward through the pieces until their
 * integrated rate reaches E (Cinlar's method; Lewis & Shedler 1979 give thinning as the
 * alternative). One uniform per ticket from its own stream keeps common random numbers in step.
 */
import { sampleStandardGamma, type RandomStream } from '../../core/index.ts';
import type { PeakCalendar } from '../engine/peak-calendar.ts';
import type { TicketSource } from './ticket-source.ts';
import type { ArrivalSource } from './arrival-source.ts';

const HOUR = 60;
const DAY = 1440;

export class ProfileSource implements TicketSource {
  emitted = 0;
  /** rate per minute for each hour of the week (168 cells, Monday 00:00 first) */
  private readonly weekly: Float64Array;
  private readonly dayFactors: number[] = [];

  constructor(
    readonly index: number,
    perHour: number,
    hourOfDay: readonly number[] | undefined,
    dayOfWeek: readonly number[] | undefined,
    private readonly overdispersion: number,
    private readonly gapRng: RandomStream,
    private readonly dispersionRng: RandomStream,
    private readonly peaks: PeakCalendar,
    /** tier and category draws (shared with the plain arrival source) */
    private readonly mix: Pick<ArrivalSource, 'drawTier' | 'drawCategory'>,
    readonly limit: number,
    readonly entryStage: number,
  ) {
    const h = normalise(hourOfDay ?? new Array(24).fill(1));
    const d = normalise(dayOfWeek ?? new Array(7).fill(1));
    this.weekly = new Float64Array(168);
    for (let day = 0; day < 7; day++)
      for (let hour = 0; hour < 24; hour++)
        this.weekly[day * 24 + hour] = (perHour / HOUR) * h[hour] * d[day];
  }

  /** Arrival rate per minute at t. */
  rateAt(t: number): number {
    const cell = Math.floor(t / HOUR) % 168;
    let rate = this.weekly[cell] * this.peaks.multiplier(t);
    if (this.overdispersion > 0) rate *= this.dayFactor(Math.floor(t / DAY));
    return rate;
  }

  nextTime(now: number): number {
    let e = -Math.log(this.gapRng.uniformPositive());
    let t = now;
    for (let guard = 0; guard < 1e7; guard++) {
      const end = Math.min((Math.floor(t / HOUR) + 1) * HOUR, this.peaks.nextBoundary(t));
      const rate = this.rateAt(t);
      const mass = rate * (end - t);
      if (mass >= e) return t + e / rate;
      e -= mass;
      t = end;
    }
    return Infinity; // a rate of zero for over a thousand years
  }

  drawTier(): number {
    return this.mix.drawTier();
  }

  drawCategory(): number {
    return this.mix.drawCategory();
  }

  private dayFactor(day: number): number {
    const shape = 1 / (this.overdispersion * this.overdispersion);
    while (this.dayFactors.length <= day)
      this.dayFactors.push(sampleStandardGamma(this.dispersionRng, shape) / shape);
    return this.dayFactors[day];
  }
}

function normalise(values: readonly number[]): number[] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.map((v) => v / mean);
}
