/**
 * The waiting line of one pool: ordered by priority tier (P1 first) and then by the order in which
 * tickets joined the line (first come, first served within a tier). Each tier is a ring buffer
 * kept sorted by that order: a ticket joining the line has the newest order and goes to the tail
 * in O(1); a ticket raised from a lower tier or sent back by a preemption keeps its old order and
 * is inserted at its place, shifting the shorter side. The head is the first entry of the most
 * urgent tier that has one.
 *
 * Entries carry the ticket slot and a token; an entry whose token no longer matches the ticket's
 * (the ticket was raised to a higher tier and re-queued, or gave up) is skipped by the model when it
 * surfaces. A ticket's live entry has a (tier, order) no other live entry has, so the line pops
 * live tickets in one well-defined order.
 */
import { TIERS } from '../../core/vocabulary/priorities.ts';

export class PoolQueue {
  /** entries per tier the buffers hold (a power of two); tier t's ring is [t * cap, (t + 1) * cap) */
  private cap: number;
  private orders: Float64Array;
  private slots: Int32Array;
  private tokens: Int32Array;
  private heads = new Int32Array(TIERS);
  private counts = new Int32Array(TIERS);
  /** the slot and token of the most recent `pop()` */
  slot = -1;
  token = 0;

  constructor(initialCapacity = 16) {
    let cap = 2;
    while (cap < initialCapacity) cap *= 2;
    this.cap = cap;
    this.orders = new Float64Array(TIERS * cap);
    this.slots = new Int32Array(TIERS * cap);
    this.tokens = new Int32Array(TIERS * cap);
  }

  /** Entries in the line, including stale ones not yet surfaced. */
  get entries(): number {
    let n = 0;
    for (let t = 0; t < TIERS; t++) n += this.counts[t];
    return n;
  }

  push(tier: number, order: number, slot: number, token: number): void {
    const n = this.counts[tier];
    if (n === this.cap) this.grow();
    const cap = this.cap;
    const mask = cap - 1;
    const base = tier * cap;
    const head = this.heads[tier];
    const orders = this.orders;
    this.counts[tier] = n + 1;
    if (n === 0 || orders[base + ((head + n - 1) & mask)] < order) {
      // the newest in its tier: the tail
      const at = base + ((head + n) & mask);
      orders[at] = order;
      this.slots[at] = slot;
      this.tokens[at] = token;
      return;
    }
    this.insert(tier, order, slot, token, n);
  }

  /** Removes the head; its slot and token land in `slot` and `token`. False when empty. */
  pop(): boolean {
    const counts = this.counts;
    for (let tier = 0; tier < TIERS; tier++) {
      const n = counts[tier];
      if (n === 0) continue;
      const head = this.heads[tier];
      const at = tier * this.cap + head;
      this.slot = this.slots[at];
      this.token = this.tokens[at];
      this.heads[tier] = (head + 1) & (this.cap - 1);
      counts[tier] = n - 1;
      return true;
    }
    return false;
  }

  clear(): void {
    this.counts.fill(0);
    this.heads.fill(0);
  }

  /**
   * An entry older than the tail of its tier (`n` entries before it; `counts` already counts it):
   * found by binary search, inserted by moving the entries on the shorter side by one.
   */
  private insert(tier: number, order: number, slot: number, token: number, n: number): void {
    const mask = this.cap - 1;
    const base = tier * this.cap;
    const orders = this.orders;
    const slots = this.slots;
    const tokens = this.tokens;
    let head = this.heads[tier];
    // k: how many entries come before it
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (orders[base + ((head + mid) & mask)] < order) lo = mid + 1;
      else hi = mid;
    }
    const k = lo;
    if (k >= n - k) {
      // move entries k..n-1 one towards the tail
      for (let j = n; j > k; j--) {
        const to = base + ((head + j) & mask);
        const from = base + ((head + j - 1) & mask);
        orders[to] = orders[from];
        slots[to] = slots[from];
        tokens[to] = tokens[from];
      }
    } else {
      // move entries 0..k-1 one towards the head
      head = (head - 1) & mask;
      this.heads[tier] = head;
      for (let j = 0; j < k; j++) {
        const to = base + ((head + j) & mask);
        const from = base + ((head + j + 1) & mask);
        orders[to] = orders[from];
        slots[to] = slots[from];
        tokens[to] = tokens[from];
      }
    }
    const at = base + ((head + k) & mask);
    orders[at] = order;
    slots[at] = slot;
    tokens[at] = token;
  }

  /** Doubles every tier's ring, each unwrapped to start at its beginning. */
  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    const orders = new Float64Array(TIERS * cap);
    const slots = new Int32Array(TIERS * cap);
    const tokens = new Int32Array(TIERS * cap);
    for (let t = 0; t < TIERS; t++) {
      const head = this.heads[t];
      for (let j = 0; j < this.counts[t]; j++) {
        const from = t * old + ((head + j) & (old - 1));
        orders[t * cap + j] = this.orders[from];
        slots[t * cap + j] = this.slots[from];
        tokens[t * cap + j] = this.tokens[from];
      }
      this.heads[t] = 0;
    }
    this.cap = cap;
    this.orders = orders;
    this.slots = slots;
    this.tokens = tokens;
  }
}
