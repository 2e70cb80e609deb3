/**
 * A pool of staff (service agents, experts, field engineers): how many are on duty, how many are
 * busy, the line of tickets waiting for one of them, and the time integrals that give utilisation,
 * staffed hours (cost) and the mean queue length.
 */
import { PoolQueue } from './pool-queue.ts';
import type { Distribution, RandomStream } from '../../core/index.ts';
import { staffAt, type StaffChange } from './peak-calendar.ts';
import type { ShiftRoster } from './shift-roster.ts';
import { onDutyStaff } from './shrinkage.ts';

/** What happens to work interrupted by a P1: none (no preemption), or how it continues. */
export const PREEMPTION = { none: 0, resume: 1, restart: 2, resample: 3 } as const;
export type PreemptionMode = keyof typeof PREEMPTION;

export class Pool {
  /** staff on duty now: the scheduled staff less shrinkage (`shrinkage.ts`) */
  capacity = 0;
  /** staff scheduled (paid) now */
  scheduled = 0;
  /** share of scheduled time not on duty (breaks, training, absence) */
  shrinkage = 0;
  busy = 0;
  /** live tickets in the queue (the heap may also hold stale entries) */
  waiting = 0;
  readonly queue = new PoolQueue();
  /** next place in line handed to a ticket joining this pool */
  nextOrder = 0;
  /** tickets in service, kept only when preemption is on (to find a victim) */
  inService = new Int32Array(8);
  inServiceCount = 0;
  private lastT = 0;
  busyArea = 0;
  staffArea = 0;
  /** paid staff-minutes: on duty (or finishing a ticket) plus the scheduled staff lost to shrinkage */
  paidArea = 0;
  queueArea = 0;
  /** the same integrals from time 0, never reset (for time series) */
  totalBusyArea = 0;
  totalStaffArea = 0;
  totalQueueArea = 0;
  preemptions = 0;
  abandoned = 0;
  /** staffing changes of the peak calendar */
  changes: readonly StaffChange[] = [];
  /** patience of tickets in this pool's line (null: they wait as long as it takes) */
  patience: Distribution | null = null;
  patienceRng: RandomStream | null = null;
  /** a pool whose free members take tickets from this pool's line when none of ours is free */
  overflow: Pool | null = null;
  /** the pools this one is the overflow of */
  readonly backs: Pool[] = [];

  constructor(
    readonly index: number,
    readonly name: string,
    readonly baseSize: number,
    readonly costPerHour: number,
    readonly skills: readonly string[],
    readonly preemption: number,
    readonly roster: ShiftRoster | null,
  ) {
    this.setStaffAt(0);
  }

  /** Applies the peak calendar's staffing changes (from time 0). */
  setChanges(changes: readonly StaffChange[]): void {
    this.changes = changes;
    this.setStaffAt(0);
  }

  /** Sets the share of scheduled time not on duty (from time 0). */
  setShrinkage(shrinkage: number): void {
    this.shrinkage = shrinkage;
    this.setStaffAt(0);
  }

  /** Staff scheduled at t: the roster (or base size) adjusted by any peak window. */
  scheduledAt(t: number): number {
    const usual = this.roster ? this.roster.sizeAt(t) : this.baseSize;
    return this.changes.length === 0 ? usual : staffAt(usual, this.changes, t);
  }

  /** Staff on duty at t: the scheduled staff less shrinkage, floor(scheduled x (1 - shrinkage)). */
  sizeAt(t: number): number {
    return onDutyStaff(this.scheduledAt(t), this.shrinkage);
  }

  /** Updates the scheduled and on-duty counts to their values at t (call `accumulate` first). */
  setStaffAt(t: number): void {
    this.scheduled = this.scheduledAt(t);
    this.capacity = onDutyStaff(this.scheduled, this.shrinkage);
  }

  /** The next time after t at which the on-duty count may change (Infinity: never). */
  nextChange(t: number): number {
    let next = this.roster ? this.roster.nextChange(t) : Infinity;
    for (const c of this.changes) {
      if (c.window.from > t && c.window.from < next) next = c.window.from;
      if (c.window.to > t && c.window.to < next) next = c.window.to;
      if (c.roster && c.window.to > t) {
        const r = c.roster.nextChange(Math.max(t, c.window.from));
        if (r > t && r < c.window.to && r < next) next = r;
      }
    }
    return next;
  }

  /** Adds the time since the last change to the integrals; call before busy, capacity or waiting change. */
  accumulate(now: number): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      const busy = this.busy;
      const capacity = this.capacity;
      const busyDt = busy * dt;
      const queueDt = this.waiting * dt;
      // staff finishing a ticket after their shift ended are still being paid
      const staff = (busy > capacity ? busy : capacity) * dt;
      this.busyArea += busyDt;
      this.staffArea += staff;
      this.paidArea += staff + (this.scheduled - capacity) * dt;
      this.queueArea += queueDt;
      this.totalBusyArea += busyDt;
      this.totalStaffArea += staff;
      this.totalQueueArea += queueDt;
      this.lastT = now;
    }
  }

  /** Starts the measurement window (end of warm-up): integrals restart from zero at `now`. */
  resetIntegrals(now: number): void {
    this.accumulate(now);
    this.busyArea = 0;
    this.staffArea = 0;
    this.paidArea = 0;
    this.queueArea = 0;
    this.preemptions = 0;
    this.abandoned = 0;
  }

  addInService(slot: number, pos: Int32Array): void {
    if (this.inServiceCount === this.inService.length) {
      const grown = new Int32Array(this.inService.length * 2);
      grown.set(this.inService);
      this.inService = grown;
    }
    pos[slot] = this.inServiceCount;
    this.inService[this.inServiceCount++] = slot;
  }

  removeInService(slot: number, pos: Int32Array): void {
    const i = pos[slot];
    const last = this.inService[--this.inServiceCount];
    this.inService[i] = last;
    pos[last] = i;
  }
}
