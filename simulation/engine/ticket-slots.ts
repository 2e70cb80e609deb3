/**
 * Tickets, stored as columns (struct of arrays) in slots that are recycled when a ticket
 * resolves: memory follows the number of tickets open at once, not the number simulated, and the
 * hot path reads and writes typed arrays instead of allocating an object per ticket.
 *
 * Tokens make stale events harmless: `token` changes whenever a ticket's service is started or
 * interrupted, `queueToken` whenever it joins or leaves a queue; an event or queue entry carrying
 * an old token is ignored. Tokens are never reset, so a recycled slot cannot match an old event.
 */
export class TicketTable {
  capacity = 0;
  /** tickets open now */
  open = 0;
  /** the tier the ticket opened with: its SLA targets and the row it is reported in */
  tier = new Int8Array(0);
  /** the tier it queues with now (raised while waiting) */
  priority = new Int8Array(0);
  category = new Int16Array(0);
  stage = new Int32Array(0);
  /** 1 when the ticket entered after the warm-up and counts in the statistics */
  measured = new Uint8Array(0);
  alive = new Uint8Array(0);
  openedAt = new Float64Array(0);
  respondedAt = new Float64Array(0);
  onsiteAt = new Float64Array(0);
  /** when it joined the current stage's queue */
  queuedAt = new Float64Array(0);
  /** its place in the current pool's line (first come, first served within a tier) */
  order = new Float64Array(0);
  serviceStart = new Float64Array(0);
  serviceEnd = new Float64Array(0);
  /** which event ends the current service: SERVICE_END or ESCALATE */
  serviceKind = new Int8Array(0);
  /** work and travel drawn for the current stage when the ticket entered it */
  work = new Float64Array(0);
  travel = new Float64Array(0);
  /** service time still owed after a preemption (NaN: none) */
  remaining = new Float64Array(0);
  token = new Int32Array(0);
  queueToken = new Int32Array(0);
  /** when the ticket gives up waiting for a first response (tier patience; Infinity: never) */
  patienceAt = new Float64Array(0);
  /** when it gives up waiting in the current stage's line (pool patience; Infinity: never) */
  leaveAt = new Float64Array(0);
  /** the pool whose member serves it now (its stage's pool, or that pool's overflow) */
  servedBy = new Int16Array(0);
  /** work recorded by a replayed log (minutes; NaN: none) */
  loggedWork = new Float64Array(0);
  /** 1 when it opened inside a peak window */
  inPeak = new Uint8Array(0);
  /** position in its pool's in-service list (pools with preemption only) */
  inServicePos = new Int32Array(0);
  private free = new Int32Array(0);
  private freeCount = 0;

  constructor(initialCapacity = 256) {
    this.resize(initialCapacity);
  }

  /** Takes a free slot and initialises a ticket opened at `openedAt`. */
  allocate(openedAt: number, tier: number, category: number, measured: boolean): number {
    if (this.freeCount === 0) this.resize(this.capacity * 2);
    const slot = this.free[--this.freeCount];
    this.open++;
    this.alive[slot] = 1;
    this.tier[slot] = tier;
    this.priority[slot] = tier;
    this.category[slot] = category;
    this.measured[slot] = measured ? 1 : 0;
    this.openedAt[slot] = openedAt;
    this.respondedAt[slot] = NaN;
    this.onsiteAt[slot] = NaN;
    this.remaining[slot] = NaN;
    this.stage[slot] = -1;
    this.patienceAt[slot] = Infinity;
    this.leaveAt[slot] = Infinity;
    this.inPeak[slot] = 0;
    this.loggedWork[slot] = NaN;
    return slot;
  }

  release(slot: number): void {
    this.alive[slot] = 0;
    this.open--;
    this.free[this.freeCount++] = slot;
  }

  private resize(capacity: number): void {
    const old = this.capacity;
    const grow = <T extends Int8Array | Int16Array | Int32Array | Uint8Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.tier = grow(this.tier, (n) => new Int8Array(n));
    this.priority = grow(this.priority, (n) => new Int8Array(n));
    this.category = grow(this.category, (n) => new Int16Array(n));
    this.stage = grow(this.stage, (n) => new Int32Array(n));
    this.measured = grow(this.measured, (n) => new Uint8Array(n));
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.openedAt = grow(this.openedAt, (n) => new Float64Array(n));
    this.respondedAt = grow(this.respondedAt, (n) => new Float64Array(n));
    this.onsiteAt = grow(this.onsiteAt, (n) => new Float64Array(n));
    this.queuedAt = grow(this.queuedAt, (n) => new Float64Array(n));
    this.order = grow(this.order, (n) => new Float64Array(n));
    this.serviceStart = grow(this.serviceStart, (n) => new Float64Array(n));
    this.serviceEnd = grow(this.serviceEnd, (n) => new Float64Array(n));
    this.serviceKind = grow(this.serviceKind, (n) => new Int8Array(n));
    this.remaining = grow(this.remaining, (n) => new Float64Array(n));
    this.work = grow(this.work, (n) => new Float64Array(n));
    this.travel = grow(this.travel, (n) => new Float64Array(n));
    this.token = grow(this.token, (n) => new Int32Array(n));
    this.queueToken = grow(this.queueToken, (n) => new Int32Array(n));
    this.patienceAt = grow(this.patienceAt, (n) => new Float64Array(n));
    this.leaveAt = grow(this.leaveAt, (n) => new Float64Array(n));
    this.inPeak = grow(this.inPeak, (n) => new Uint8Array(n));
    this.loggedWork = grow(this.loggedWork, (n) => new Float64Array(n));
    this.servedBy = grow(this.servedBy, (n) => new Int16Array(n));
    this.inServicePos = grow(this.inServicePos, (n) => new Int32Array(n));
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeCount));
    // new slots are handed out lowest first
    let k = this.freeCount;
    for (let s = capacity - 1; s >= old; s--) free[k++] = s;
    this.free = free;
    this.freeCount = k;
    this.capacity = capacity;
  }
}
