/**
 * A source of new tickets: a renewal process (Poisson when the gaps are exponential) that opens
 * tickets with a priority tier and an optional category drawn from its mix, and hands them to its
 * entry stage. Gaps and mixes use their own streams, so changing a plan downstream never changes
 * which tickets arrive when (common random numbers).
 */
import type { Distribution, RandomStream } from '../../core/index.ts';
import type { PeakCalendar } from '../engine/peak-calendar.ts';
import type { TicketSource } from './ticket-source.ts';

export class ArrivalSource implements TicketSource {
  /** peak windows speed the process up by their demand multiplier at the start of each gap */
  peaks: PeakCalendar | null = null;
  emitted = 0;

  constructor(
    readonly index: number,
    readonly interarrival: Distribution,
    private readonly gapRng: RandomStream,
    private readonly mixRng: RandomStream,
    /** cumulative tier probabilities and the tier each selects */
    private readonly tierCumulative: Float64Array,
    private readonly tierOf: Int8Array,
    /** cumulative category probabilities and the category each selects (empty: no categories) */
    private readonly categoryCumulative: Float64Array,
    private readonly categoryOf: Int16Array,
    /** stop after this many tickets (Infinity: open-ended) */
    readonly limit: number,
    readonly entryStage: number,
  ) {}

  nextGap(): number {
    return this.interarrival.sample(this.gapRng);
  }

  nextTime(now: number): number {
    const gap = this.nextGap();
    if (this.peaks === null) return now + gap;
    const m = this.peaks.multiplier(now);
    return m > 0 ? now + gap / m : this.peaks.nextBoundary(now) + gap;
  }

  drawTier(): number {
    const n = this.tierOf.length;
    if (n === 1) return this.tierOf[0];
    const u = this.mixRng.uniform();
    const cum = this.tierCumulative;
    for (let i = 0; i < n - 1; i++) if (u < cum[i]) return this.tierOf[i];
    return this.tierOf[n - 1];
  }

  drawCategory(): number {
    const n = this.categoryOf.length;
    if (n === 0) return -1;
    if (n === 1) return this.categoryOf[0];
    const u = this.mixRng.uniform();
    const cum = this.categoryCumulative;
    for (let i = 0; i < n - 1; i++) if (u < cum[i]) return this.categoryOf[i];
    return this.categoryOf[n - 1];
  }
}
