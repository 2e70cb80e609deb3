/**
 * The service model: tickets flowing from arrival sources through stages, each stage served by a
 * pool, until they resolve or the horizon arrives. The loop is short because the model objects
 * (sources, stages, pools, clocks) carry the behaviour; this class only moves tickets between them
 * and keeps the calendar.
 */
import { EventCalendar } from './event-calendar.ts';
import {
  GROWTH_CHECK,
  SERIES_TICK,
  ABANDON,
  ARRIVAL,
  ESCALATE,
  RAISE,
  SERVICE_END,
  SHIFT_CHANGE,
  WARMUP_END,
} from './events.ts';
import { TicketTable } from './ticket-slots.ts';
import { PREEMPTION, type Pool } from './pool.ts';
import { DONE } from './routing.ts';
import type { Stage } from './stage.ts';
import type { TicketSource } from '../sources/ticket-source.ts';
import type { TierClocks } from './sla-clocks.ts';
import type { PeakCalendar } from './peak-calendar.ts';
import type { Distribution, RandomStream } from '../../core/index.ts';

/** One ticket of the backlog at time zero: opened `age` minutes before the start. */
export interface BacklogTicket {
  tier: number;
  age: number;
  category: number;
  stage: number;
}

/** Whether a member of `pool` may work a stage (the stage's own pool, or one with its skill). */
function canServe(pool: Pool, stage: Stage): boolean {
  return pool === stage.pool || stage.skill === null || pool.skills.includes(stage.skill);
}

export interface PoolSeries {
  busy: Float64Array;
  onDuty: Float64Array;
  queue: Float64Array;
}

/** What a service model is made of: the scenario translated into minutes, indices, samplers and streams. */
export interface ServiceModelParts {
  horizon: number;
  warmup: number;
  sources: readonly TicketSource[];
  stages: readonly Stage[];
  pools: readonly Pool[];
  clocks: readonly TierClocks[];
  backlog: readonly BacklogTicket[];
  tierPatience: readonly (Distribution | null)[];
  patienceRng: RandomStream | null;
  peaks: PeakCalendar;
  peakClocks: readonly TierClocks[] | null;
  offPeakClocks: readonly TierClocks[] | null;
  /** time series of arrivals and pools in bins of `bin` minutes, or null */
  series: { bin: number; arrivals: Float64Array[]; pools: PoolSeries[] } | null;
}

export class ServiceModel {
  readonly calendar = new EventCalendar(256);
  readonly tickets = new TicketTable(256);
  /** tickets created (arrivals and backlog), measured or not */
  ticketsCreated = 0;
  events = 0;
  /** end of the run: the horizon, or earlier when every source is exhausted and every ticket resolved */
  endedAt = 0;
  // time integral of the number of open tickets, over the measurement window
  private systemArea = 0;
  private systemLastT = 0;
  private measuring: boolean;
  /** sources that may still open tickets (not at their count, not at the end of their log) */
  private liveSources = 0;
  readonly horizon: number;
  readonly warmup: number;
  readonly sources: readonly TicketSource[];
  readonly stages: readonly Stage[];
  readonly pools: readonly Pool[];
  /** clocks per tier index (entries for tiers the scenario does not define are never touched) */
  readonly clocks: readonly TierClocks[];
  readonly backlog: readonly BacklogTicket[];
  /** patience per tier for a first response (null: none) and the stream it is drawn from */
  readonly tierPatience: readonly (Distribution | null)[];
  readonly patienceRng: RandomStream | null;
  /** the peak calendar, and the clocks of tickets opened inside / outside its windows */
  readonly peaks: PeakCalendar;
  readonly peakClocks: readonly TierClocks[] | null;
  readonly offPeakClocks: readonly TierClocks[] | null;
  /** arrivals per tier in bins of `seriesBin` minutes (warm-up included); null: not recorded */
  readonly seriesBin: number;
  readonly arrivalSeries: Float64Array[] | null;
  /** per pool, per bin: mean busy staff, mean staff on duty, mean queue length */
  readonly poolSeries: PoolSeries[] | null;
  private seriesIndex = 0;
  private seriesLast = new Float64Array(0);
  /**
   * Is the load still growing at the horizon? Open tickets and each pool's line one period before
   * the horizon and at it (a week, a day, or half the window: the same phase of the demand cycle).
   * NaN: the run ended before the horizon or the window is too short to tell.
   */
  readonly growthPeriod: number;
  openBeforeGrowthPeriod = NaN;
  readonly waitingBeforeGrowthPeriod: Float64Array;

  /** Every part of the model, complete and read-only from here on (simulation/scenario/builders). */
  constructor(parts: ServiceModelParts) {
    this.horizon = parts.horizon;
    this.warmup = parts.warmup;
    this.sources = parts.sources;
    this.stages = parts.stages;
    this.pools = parts.pools;
    this.clocks = parts.clocks;
    this.backlog = parts.backlog;
    this.tierPatience = parts.tierPatience;
    this.patienceRng = parts.patienceRng;
    this.peaks = parts.peaks;
    this.peakClocks = parts.peakClocks;
    this.offPeakClocks = parts.offPeakClocks;
    this.seriesBin = parts.series?.bin ?? 0;
    this.arrivalSeries = parts.series?.arrivals ?? null;
    this.poolSeries = parts.series?.pools ?? null;
    this.measuring = this.warmup <= 0;
    this.growthPeriod = growthPeriod(this.horizon - Math.max(0, this.warmup));
    this.waitingBeforeGrowthPeriod = new Float64Array(this.pools.length).fill(NaN);
  }

  /**
   * Runs to the horizon. `onProgress(fraction)` is called every 65,536 events with the share of
   * simulated time done.
   */
  run(onProgress?: (fraction: number) => void): void {
    const cal = this.calendar;
    this.start();
    const horizon = this.horizon;
    let events = 0;
    for (;;) {
      const kind = cal.pop(horizon);
      if (kind < 0) break;
      events++;
      switch (kind) {
        case SERVICE_END:
          this.finishService(cal.a, cal.b);
          break;
        case ARRIVAL:
          this.arrive(this.sources[cal.a]);
          break;
        case ESCALATE:
          this.escalate(cal.a, cal.b);
          break;
        case RAISE:
          this.raise(cal.a, cal.b);
          break;
        case SHIFT_CHANGE:
          this.changeShift(this.pools[cal.a]);
          break;
        case WARMUP_END:
          this.startMeasuring();
          break;
        case ABANDON:
          this.abandon(cal.a, cal.b);
          break;
        case SERIES_TICK:
          this.tickSeries();
          break;
        case GROWTH_CHECK:
          this.openBeforeGrowthPeriod = this.tickets.open;
          this.pools.forEach((pool, i) => (this.waitingBeforeGrowthPeriod[i] = pool.waiting));
          break;
      }
      if ((events & 0xffff) === 0 && onProgress) onProgress(cal.now / horizon);
    }
    this.events = events;
    // a run whose sources are exhausted ends when the last ticket resolves; stuck tickets age to the
    // horizon, and so does a run whose sources would go on past it
    this.endedAt = cal.size > 0 || this.tickets.open > 0 || this.liveSources > 0 ? horizon : cal.now;
    this.finish(this.endedAt);
  }

  private start(): void {
    const cal = this.calendar;
    if (this.warmup > 0) cal.schedule(this.warmup, WARMUP_END, 0, 0);
    if (this.growthPeriod > 0) cal.schedule(this.horizon - this.growthPeriod, GROWTH_CHECK, 0, 0);
    if (this.poolSeries !== null) {
      this.seriesLast = new Float64Array(3 * this.pools.length);
      cal.schedule(Math.min(this.seriesBin, this.horizon), SERIES_TICK, 0, 0);
    }
    for (const pool of this.pools) {
      const next = pool.nextChange(0);
      if (next <= this.horizon) cal.schedule(next, SHIFT_CHANGE, pool.index, 0);
    }
    // the backlog, oldest first, so that it queues in the order it was opened
    const backlog = [...this.backlog].sort((x, y) => y.age - x.age);
    for (const b of backlog) {
      const slot = this.open(-b.age, b.tier, b.category, this.measuring);
      this.enter(slot, this.stages[b.stage]);
    }
    for (const source of this.sources) {
      if (source.limit > 0) {
        this.liveSources++;
        this.scheduleArrival(source, 0);
      }
    }
  }

  private scheduleArrival(source: TicketSource, now: number): void {
    const t = source.nextTime(now);
    if (t <= this.horizon) this.calendar.schedule(t, ARRIVAL, source.index, 0);
    else if (t === Infinity) this.liveSources--;
  }

  private open(openedAt: number, tier: number, category: number, measured: boolean): number {
    this.accumulateSystem(this.calendar.now);
    this.ticketsCreated++;
    if (measured) this.clocks[tier].arrived++;
    const slot = this.tickets.allocate(openedAt, tier, category, measured);
    if (this.tierPatience[tier] !== null || this.peakClocks !== null)
      this.openRare(slot, openedAt, tier, measured);
    return slot;
  }

  // The hot path's rarely used branches live in methods of their own (`...Rare`): V8 inlines a
  // callee whole, rare branches included, into its callers within a budget of bytecode, and what
  // does not fit stays a call, which boxes a returned double. Kept out, the common path of an
  // arrival or a service end fits inlined into one function each.

  /** Tier patience and the peak windows of a ticket being opened. */
  private openRare(slot: number, openedAt: number, tier: number, measured: boolean): void {
    const patience = this.tierPatience[tier];
    if (patience !== null) this.tickets.patienceAt[slot] = openedAt + patience.sample(this.patienceRng!);
    if (this.peakClocks !== null && this.peaks.inPeak(openedAt)) this.tickets.inPeak[slot] = 1;
    if (measured && this.peakClocks !== null) this.windowClocks(slot)!.arrived++;
  }

  /** The peak or off-peak clocks of a ticket's tier (null: no peak calendar). */
  private windowClocks(slot: number): TierClocks | null {
    if (this.peakClocks === null) return null;
    const T = this.tickets;
    return (T.inPeak[slot] === 1 ? this.peakClocks : this.offPeakClocks!)[T.tier[slot]];
  }

  private arrive(source: TicketSource): void {
    const now = this.calendar.now;
    const tier = source.drawTier();
    if (this.arrivalSeries !== null) this.countArrival(now, tier);
    const slot = this.open(now, tier, source.drawCategory(), this.measuring);
    if (source.loggedWork) this.tickets.loggedWork[slot] = source.loggedWork();
    if (++source.emitted < source.limit) this.scheduleArrival(source, now);
    else this.liveSources--;
    this.enter(slot, this.stages[source.entryStage]);
  }

  private countArrival(now: number, tier: number): void {
    const bin = Math.floor(now / this.seriesBin);
    const series = this.arrivalSeries![tier];
    if (bin < series.length) series[bin]++;
  }

  /**
   * A ticket arrives at a stage: starts at once if someone is free, may preempt, else queues.
   * Its work is drawn now, in the order tickets reach the stage, rather than when someone starts
   * it: two plans then give the same ticket the same work (common random numbers stay in step
   * even when staffing changes the order in which tickets are started).
   */
  private enter(slot: number, stage: Stage): void {
    const T = this.tickets;
    const pool = stage.pool;
    T.travel[slot] = stage.sampleTravel();
    T.work[slot] = stage.sampleWork(T.tier[slot]); // drawn even when the log gives it: streams stay in step
    if (stage.workFromLog && T.loggedWork[slot] === T.loggedWork[slot]) T.work[slot] = T.loggedWork[slot];
    T.stage[slot] = stage.index;
    T.queuedAt[slot] = this.calendar.now;
    T.remaining[slot] = NaN;
    T.order[slot] = pool.nextOrder++;
    T.leaveAt[slot] = pool.patience === null ? Infinity : this.leaveTime(pool);
    if (T.measured[slot] === 1) stage.entered++;
    if (pool.busy < pool.capacity) this.startService(slot, stage, pool);
    else if (pool.overflow === null && pool.preemption === PREEMPTION.none) this.enqueue(slot, stage);
    else this.enterBusy(slot, stage);
  }

  /** When a ticket joining the line of `pool` (which has patience) gives up. */
  private leaveTime(pool: Pool): number {
    return this.calendar.now + pool.patience!.sample(pool.patienceRng!);
  }

  /** Every member of the stage's pool is busy, and it has an overflow pool or preemption. */
  private enterBusy(slot: number, stage: Stage): void {
    const pool = stage.pool;
    const overflow = pool.overflow;
    if (overflow !== null && overflow.busy < overflow.capacity && canServe(overflow, stage))
      this.startService(slot, stage, overflow);
    else if (
      pool.preemption !== PREEMPTION.none &&
      this.tickets.priority[slot] === 0 &&
      this.preempt(slot, stage)
    )
      return;
    else this.enqueue(slot, stage);
  }

  private enqueue(slot: number, stage: Stage): void {
    const T = this.tickets;
    const pool = stage.pool;
    pool.accumulate(this.calendar.now);
    const priority = T.priority[slot];
    const token = ++T.queueToken[slot];
    pool.queue.push(priority, T.order[slot], slot, token);
    pool.waiting++;
    if (
      stage.raiseAfter[priority] !== Infinity ||
      T.leaveAt[slot] !== Infinity ||
      T.patienceAt[slot] !== Infinity
    )
      this.enqueueRare(slot, stage, priority, token);
  }

  /** The raise and abandonment events of a ticket that joined a line. */
  private enqueueRare(slot: number, stage: Stage, priority: number, token: number): void {
    const T = this.tickets;
    const after = stage.raiseAfter[priority];
    if (after !== Infinity) this.calendar.schedule(this.calendar.now + after, RAISE, slot, token);
    // patience: for a first response (tier) and in this line (pool); not for preempted work
    if (T.remaining[slot] !== T.remaining[slot]) {
      const unanswered = T.respondedAt[slot] !== T.respondedAt[slot];
      const leave = Math.min(T.leaveAt[slot], unanswered ? T.patienceAt[slot] : Infinity);
      if (leave < Infinity)
        this.calendar.schedule(Math.max(leave, this.calendar.now), ABANDON, slot, T.token[slot]);
    }
  }

  /** A waiting ticket runs out of patience: it leaves the line and the system, unresolved. */
  private abandon(slot: number, token: number): void {
    const T = this.tickets;
    if (T.alive[slot] === 0 || T.token[slot] !== token) return; // started (or gone) meanwhile
    const now = this.calendar.now;
    const stage = this.stages[T.stage[slot]];
    const pool = stage.pool;
    pool.accumulate(now);
    pool.waiting--;
    T.queueToken[slot]++; // its queue entry and pending raises are now stale
    T.token[slot]++;
    if (T.measured[slot] === 1) {
      pool.abandoned++;
      stage.abandoned++;
      const unanswered = T.respondedAt[slot] !== T.respondedAt[slot];
      for (const c of [this.clocks[T.tier[slot]], this.windowClocks(slot)]) {
        if (c === null) continue;
        c.abandoned++;
        if (unanswered) {
          c.abandonedUnanswered++;
          c.abandonedWaitSum += now - T.openedAt[slot];
        }
      }
    }
    this.accumulateSystem(now);
    T.release(slot);
  }

  /**
   * Someone of `pool` (the stage's pool, or its overflow) starts the ticket: stop the respond
   * clock, draw the work.
   */
  private startService(slot: number, stage: Stage, pool: Pool): void {
    const T = this.tickets;
    const now = this.calendar.now;
    pool.accumulate(now);
    pool.busy++;
    T.servedBy[slot] = pool.index;
    const measured = T.measured[slot] === 1;
    const tier = T.tier[slot];
    if (T.respondedAt[slot] !== T.respondedAt[slot]) {
      // NaN: first time anyone works on it
      T.respondedAt[slot] = now;
      if (measured) {
        this.clocks[tier].respond.stop(T.openedAt[slot], now);
        if (this.peakClocks !== null) this.windowClocks(slot)!.respond.stop(T.openedAt[slot], now);
      }
    }
    let duration = T.remaining[slot];
    let kind: number;
    if (duration === duration) {
      // resuming or restarting after a preemption: same event kind as before
      kind = T.serviceKind[slot];
      T.remaining[slot] = NaN;
    } else {
      if (measured) {
        stage.started++;
        const wait = now - T.queuedAt[slot];
        stage.waitSum += wait;
        if (wait <= stage.pickupTarget) stage.pickupMet++;
      }
      const travel = T.travel[slot];
      duration = travel + T.work[slot];
      if (stage.onsite && T.onsiteAt[slot] !== T.onsiteAt[slot]) this.arriveOnsite(slot, now + travel);
      if (duration > stage.escalateAfter) {
        duration = stage.escalateAfter;
        kind = ESCALATE;
      } else kind = SERVICE_END;
    }
    T.serviceStart[slot] = now;
    T.serviceEnd[slot] = now + duration;
    T.serviceKind[slot] = kind;
    const token = ++T.token[slot];
    this.calendar.schedule(now + duration, kind, slot, token);
    if (pool.preemption !== PREEMPTION.none) pool.addInService(slot, T.inServicePos);
  }

  /** The on-site clock of a ticket stops at `at`, when its engineer arrives. */
  private arriveOnsite(slot: number, at: number): void {
    const T = this.tickets;
    T.onsiteAt[slot] = at;
    if (T.measured[slot] === 1) {
      this.clocks[T.tier[slot]].onsite.stop(T.openedAt[slot], at);
      this.windowClocks(slot)?.onsite.stop(T.openedAt[slot], at);
    }
  }

  /** Frees the server a ticket held and gives it to the head of the pool's line. */
  private release(slot: number, pool: Pool): void {
    pool.accumulate(this.calendar.now);
    pool.busy--;
    if (pool.preemption !== PREEMPTION.none) pool.removeInService(slot, this.tickets.inServicePos);
    this.assignWaiting(pool);
  }

  private assignWaiting(pool: Pool): void {
    this.assignFrom(pool, pool);
    const backs = pool.backs;
    for (let i = 0; i < backs.length; i++) this.assignFrom(backs[i], pool);
  }

  /**
   * Free members of `helper` take tickets from the head of `main`'s line (helper = main, or main's
   * overflow, which stops at a head ticket whose stage needs a skill it lacks).
   */
  private assignFrom(main: Pool, helper: Pool): void {
    const T = this.tickets;
    const queue = main.queue;
    while (helper.busy < helper.capacity && main.waiting > 0) {
      queue.pop();
      const slot = queue.slot;
      if (queue.token !== T.queueToken[slot]) continue; // raised and re-queued: a stale entry
      const stage = this.stages[T.stage[slot]];
      if (helper !== main && !canServe(helper, stage)) {
        queue.push(T.priority[slot], T.order[slot], slot, queue.token); // back to where it was
        return;
      }
      main.accumulate(this.calendar.now);
      main.waiting--;
      T.queueToken[slot]++; // pending raise events are now stale
      this.startService(slot, stage, helper);
    }
  }

  private finishService(slot: number, token: number): void {
    const T = this.tickets;
    if (T.token[slot] !== token) return; // interrupted by a preemption
    const stage = this.stages[T.stage[slot]];
    this.release(slot, this.pools[T.servedBy[slot]]);
    const next = stage.routing.next(T.tier[slot], T.category[slot]);
    if (next === DONE) this.resolve(slot);
    else this.enter(slot, this.stages[next]);
  }

  private escalate(slot: number, token: number): void {
    const T = this.tickets;
    if (T.token[slot] !== token) return;
    const stage = this.stages[T.stage[slot]];
    this.release(slot, this.pools[T.servedBy[slot]]);
    if (T.measured[slot] === 1) {
      stage.escalated++;
      this.clocks[T.tier[slot]].escalated++;
      if (this.peakClocks !== null) this.windowClocks(slot)!.escalated++;
    }
    this.enter(slot, this.stages[stage.escalateTo]);
  }

  /** A ticket waited past its stage's limit for its tier: it queues with a higher tier from now. */
  private raise(slot: number, queueToken: number): void {
    const T = this.tickets;
    if (T.queueToken[slot] !== queueToken) return; // already picked up
    const stage = this.stages[T.stage[slot]];
    const to = stage.raiseTo[T.priority[slot]];
    if (to < 0 || to >= T.priority[slot]) return;
    T.priority[slot] = to;
    if (T.measured[slot] === 1) {
      this.clocks[T.tier[slot]].raised++;
      if (this.peakClocks !== null) this.windowClocks(slot)!.raised++;
    }
    const token = ++T.queueToken[slot]; // the old queue entry becomes stale
    stage.pool.queue.push(to, T.order[slot], slot, token);
    const after = stage.raiseAfter[to];
    if (after !== Infinity) this.calendar.schedule(this.calendar.now + after, RAISE, slot, token);
  }

  /**
   * A P1 finds every server busy: interrupt the lowest-tier ticket in service (the most recently
   * started among equals), which goes back to the head of its tier's line and later resumes,
   * restarts with the same duration, or draws a new one, as the pool says.
   */
  private preempt(slot: number, stage: Stage): boolean {
    const T = this.tickets;
    const pool = stage.pool;
    let victim = -1;
    for (let i = 0; i < pool.inServiceCount; i++) {
      const s = pool.inService[i];
      if (T.priority[s] === 0) continue;
      if (
        victim < 0 ||
        T.priority[s] > T.priority[victim] ||
        (T.priority[s] === T.priority[victim] && T.serviceStart[s] > T.serviceStart[victim])
      ) {
        victim = s;
      }
    }
    if (victim < 0) return false;
    const now = this.calendar.now;
    T.token[victim]++; // its end event is now stale
    if (pool.preemption === PREEMPTION.resume) T.remaining[victim] = T.serviceEnd[victim] - now;
    else if (pool.preemption === PREEMPTION.restart)
      T.remaining[victim] = T.serviceEnd[victim] - T.serviceStart[victim];
    else {
      // resample: a fresh draw, as if the work had not been seen before
      const victimStage = this.stages[T.stage[victim]];
      T.remaining[victim] = NaN;
      T.travel[victim] = victimStage.sampleTravel();
      T.work[victim] = victimStage.sampleWork(T.tier[victim]);
    }
    pool.accumulate(now);
    pool.busy--;
    pool.removeInService(victim, T.inServicePos);
    pool.preemptions++;
    const victimStage = this.stages[T.stage[victim]];
    if (T.measured[victim] === 1) victimStage.preempted++;
    this.startService(slot, stage, pool);
    this.enqueue(victim, victimStage); // keeps its place in line (T.order) and what it still owes
    return true;
  }

  private changeShift(pool: Pool): void {
    const now = this.calendar.now;
    pool.accumulate(now);
    pool.setStaffAt(now);
    const next = pool.nextChange(now);
    if (next <= this.horizon) this.calendar.schedule(next, SHIFT_CHANGE, pool.index, 0);
    this.assignWaiting(pool);
  }

  private resolve(slot: number): void {
    const T = this.tickets;
    const now = this.calendar.now;
    if (T.measured[slot] === 1) {
      const opened = T.openedAt[slot];
      const clocks = this.clocks[T.tier[slot]];
      clocks.resolved++;
      clocks.resolve.stop(opened, now);
      if (this.peakClocks !== null) {
        const window = this.windowClocks(slot)!;
        window.resolved++;
        window.resolve.stop(opened, now);
      }
    }
    this.accumulateSystem(now);
    T.release(slot);
  }

  /** End of a series bin: each pool's means over the bin, then the next tick. */
  private tickSeries(): void {
    const now = this.calendar.now;
    const k = this.seriesIndex++;
    const length = now - k * this.seriesBin;
    this.pools.forEach((pool, i) => {
      pool.accumulate(now);
      const s = this.poolSeries![i];
      const last = this.seriesLast;
      if (length > 0) {
        s.busy[k] = (pool.totalBusyArea - last[3 * i]) / length;
        s.onDuty[k] = (pool.totalStaffArea - last[3 * i + 1]) / length;
        s.queue[k] = (pool.totalQueueArea - last[3 * i + 2]) / length;
      }
      last[3 * i] = pool.totalBusyArea;
      last[3 * i + 1] = pool.totalStaffArea;
      last[3 * i + 2] = pool.totalQueueArea;
    });
    if (k + 1 < this.poolSeries![0].busy.length)
      this.calendar.schedule(Math.min((k + 2) * this.seriesBin, this.horizon), SERIES_TICK, 0, 0);
  }

  private accumulateSystem(now: number): void {
    if (this.measuring) this.systemArea += this.tickets.open * (now - this.systemLastT);
    this.systemLastT = now;
  }

  private startMeasuring(): void {
    const now = this.calendar.now;
    this.accumulateSystem(now);
    this.measuring = true;
    this.systemArea = 0;
    for (const pool of this.pools) pool.resetIntegrals(now);
  }

  /** Closes the integrals at the end and censors the clocks of tickets still open. */
  private finish(end: number): void {
    this.accumulateSystem(end);
    for (const pool of this.pools) pool.accumulate(end);
    const T = this.tickets;
    for (let slot = 0; slot < T.capacity; slot++) {
      if (T.alive[slot] === 0 || T.measured[slot] === 0) continue;
      for (const clocks of [this.clocks[T.tier[slot]], this.windowClocks(slot)])
        if (clocks !== null) this.censor(slot, clocks, end);
    }
  }

  private censor(slot: number, clocks: TierClocks, end: number): void {
    const T = this.tickets;
    const opened = T.openedAt[slot];
    // a ticket's age is elapsed time; its clocks count in the tier's clock time
    const age = end - opened;
    clocks.openAtHorizon++;
    clocks.openAgeSum += age;
    if (age > clocks.openAgeMax) clocks.openAgeMax = age;
    clocks.resolve.censor(opened, end);
    if (T.respondedAt[slot] !== T.respondedAt[slot]) clocks.respond.censor(opened, end);
    // the on-site clock runs only for tickets at (or queued for) an on-site stage
    if (this.stages[T.stage[slot]].onsite && T.onsiteAt[slot] !== T.onsiteAt[slot])
      clocks.onsite.censor(opened, end);
  }

  /** Mean number of open tickets over the measurement window. */
  meanInSystem(): number {
    const window = this.endedAt - Math.min(this.warmup, this.endedAt);
    return window > 0 ? this.systemArea / window : NaN;
  }
}

const DAY = 24 * 60;

/** The period over which growth is judged: a week when the window holds two, a day when it holds two, else half the window. */
export function growthPeriod(window: number): number {
  if (window >= 14 * DAY) return 7 * DAY;
  if (window >= 2 * DAY) return DAY;
  return window / 2;
}
