/**
 * What the service model asks of a source of new tickets: when the next one opens, and its tier,
 * category and entry stage. Implemented by renewal/Poisson arrivals (`arrival-source.ts`),
 * non-homogeneous Poisson demand (`profile-source.ts`) and log replay (`replay-source.ts`).
 * A source has at most one pending arrival; `drawTier`/`drawCategory` describe the ticket whose
 * time `nextTime` returned last.
 */
export interface TicketSource {
  readonly index: number;
  readonly entryStage: number;
  /** stop after this many tickets (Infinity: open-ended) */
  readonly limit: number;
  emitted: number;
  /** the absolute time of the next ticket after `now` (Infinity: none) */
  nextTime(now: number): number;
  drawTier(): number;
  drawCategory(): number;
  /** the work the log recorded for this ticket (resolved - opened, minutes; NaN: none) */
  loggedWork?(): number;
}
