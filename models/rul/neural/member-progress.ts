/**
 * One progress line for an ensemble whose members train at once: members done, each running
 * member's epoch, loss and validation RMSE, elapsed time, and an upper bound on the time left
 * (every running member goes on to its last epoch; members still queued take as long as the slowest
 * epoch pace seen so far times the epoch budget, spread over the members running side by side).
 */
import type { EpochInfo } from './train.ts';

export class MemberProgress {
  private readonly latest = new Map<number, EpochInfo>();
  private readonly finished = new Set<number>();
  private readonly t0 = performance.now();

  constructor(
    private readonly arch: string,
    private readonly count: number,
  ) {}

  /** A member stopped (early stopping, its epoch budget or the stop signal). */
  finish(member: number): void {
    this.finished.add(member);
  }

  update(member: number, info: EpochInfo): string {
    this.latest.set(member, info);
    const running = [...this.latest].filter(([m]) => !this.finished.has(m));
    const started = this.latest.size;
    const done = this.finished.size;
    const pace = Math.max(...[...this.latest.values()].map((e) => e.seconds / e.epoch));
    const side = Math.max(1, running.length);
    const queued = this.count - started;
    const left =
      Math.max(0, ...running.map(([, e]) => e.etaSeconds)) + Math.ceil(queued / side) * pace * info.epochs;
    const parts = running
      .sort((a, b) => a[0] - b[0])
      .map(
        ([m, e]) =>
          `#${m + 1} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(1)} val ${e.valRmse.toFixed(2)} (best ${e.bestValRmse.toFixed(2)})`,
      );
    const seconds = (performance.now() - this.t0) / 1000;
    return `${this.arch} members ${done}/${this.count} done; ${parts.join('; ')} ${seconds.toFixed(0)} s, <= ${left.toFixed(0)} s left`;
  }
}
