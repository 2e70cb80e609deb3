/**
 * Shrinkage: the share of paid (scheduled) time in which staff are not available for work —
 * breaks, training, meetings, absence. The workforce-management convention (e.g. Koole, "Call
 * Center Optimization", 2013, ch. 4) staffs `agents` on duty by scheduling agents / (1 - shrinkage)
 * and rounding up; the simulator applies the same share the other way, deterministically:
 * on duty = floor(scheduled x (1 - shrinkage)). The two are consistent: scheduling
 * scheduledStaff(n, s) always leaves at least n on duty.
 */

/** Tolerance for products such as 10 / (1 - 0.3) x (1 - 0.3) that land a hair off an integer. */
const EPS = 1e-9;

/** Staff to schedule (paid) so that `onDuty` are available: ceil(onDuty / (1 - shrinkage)). */
export function scheduledStaff(onDuty: number, shrinkage: number): number {
  checkShrinkage(shrinkage);
  return Math.ceil(onDuty / (1 - shrinkage) - EPS);
}

/** Staff available out of `scheduled`: floor(scheduled x (1 - shrinkage)). */
export function onDutyStaff(scheduled: number, shrinkage: number): number {
  if (shrinkage === 0) return scheduled;
  checkShrinkage(shrinkage);
  return Math.floor(scheduled * (1 - shrinkage) + EPS);
}

function checkShrinkage(s: number): void {
  if (!(s >= 0 && s < 1)) throw new RangeError(`shrinkage: expected a share in [0, 1), got ${s}`);
}
