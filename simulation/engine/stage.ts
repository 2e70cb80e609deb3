/**
 * A stage of the flow: a step that needs one member of a pool for a while (triage by an agent,
 * a remote fix by an expert, travel plus on-site work by an engineer). It knows how long the
 * work takes, whether it puts someone on site, when it escalates, its pickup target, how waiting
 * tickets are raised, and where tickets go next.
 */
import type { Distribution, RandomStream } from '../../core/index.ts';
import type { Pool } from './pool.ts';
import type { Routing } from './routing.ts';
import { TIERS } from '../../core/vocabulary/priorities.ts';

export class Stage {
  /** escalation: work running longer than this moves the ticket to `escalateTo` (Infinity: never) */
  escalateAfter = Infinity;
  escalateTo = -1;
  /** pickup target: the longest a ticket should wait here before someone starts it (NaN: none) */
  pickupTarget = NaN;
  /** per current tier: waiting longer than raiseAfter[tier] raises the ticket to raiseTo[tier] */
  readonly raiseAfter = new Float64Array(TIERS).fill(Infinity);
  readonly raiseTo = new Int8Array(TIERS).fill(-1);
  routing!: Routing;
  /** the skill the stage needs (null: any member of its pool); an overflow pool must have it too */
  skill: string | null = null;
  /** replayed tickets with a logged resolution time take it as their work here */
  workFromLog = false;
  // statistics over the measurement window
  entered = 0;
  started = 0;
  waitSum = 0;
  pickupMet = 0;
  escalated = 0;
  preempted = 0;
  abandoned = 0;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly pool: Pool,
    /** work duration per tier (the same object for every tier unless durationByPriority says otherwise) */
    readonly work: readonly Distribution[],
    readonly workRng: RandomStream,
    readonly travel: Distribution | null,
    readonly travelRng: RandomStream,
    readonly onsite: boolean,
  ) {}

  /** Draws the work time for a ticket of `tier`. */
  sampleWork(tier: number): number {
    return this.work[tier].sample(this.workRng);
  }

  /** Draws the travel time (0 for a stage without travel). */
  sampleTravel(): number {
    return this.travel === null ? 0 : this.travel.sample(this.travelRng);
  }

  resetStatistics(): void {
    this.entered = 0;
    this.started = 0;
    this.waitSum = 0;
    this.pickupMet = 0;
    this.escalated = 0;
    this.preempted = 0;
    this.abandoned = 0;
  }
}
