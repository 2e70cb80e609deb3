/**
 * The waiting line of one pool: a binary min-heap on typed arrays ordered by priority tier
 * (P1 first) and then by the order in which tickets joined the line (first come, first served
 * within a tier). Both go into one exact double key, `tier * 2^40 + order`, so a comparison is a
 * single `<`. Entries carry the ticket slot and a token; an entry whose token no longer matches
 * the ticket's (the ticket was raised to a higher tier and re-queued) is skipped when it surfaces.
 */
const TIER_STRIDE = 2 ** 40; // orders stay below 2^40 (a trillion queue joins per replication)

export class PoolQueue {
  private keys: Float64Array;
  private slots: Int32Array;
  private tokens: Int32Array;
  private count = 0;
  /** the slot and token of the most recent `pop()` */
  slot = -1;
  token = 0;

  constructor(initialCapacity = 16) {
    const cap = Math.max(2, initialCapacity);
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.tokens = new Int32Array(cap);
  }

  /** Heap entries, including stale ones not yet surfaced. */
  get entries(): number {
    return this.count;
  }

  static key(tier: number, order: number): number {
    return tier * TIER_STRIDE + order;
  }

  push(tier: number, order: number, slot: number, token: number): void {
    if (this.count === this.keys.length) this.grow();
    const key = tier * TIER_STRIDE + order;
    const k = this.keys;
    const s = this.slots;
    const t = this.tokens;
    let pos = this.count++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (k[parent] <= key) break;
      k[pos] = k[parent];
      s[pos] = s[parent];
      t[pos] = t[parent];
      pos = parent;
    }
    k[pos] = key;
    s[pos] = slot;
    t[pos] = token;
  }

  /** Removes the head; its slot and token land in `slot` and `token`. False when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    const k = this.keys;
    const s = this.slots;
    const t = this.tokens;
    this.slot = s[0];
    this.token = t[0];
    const n = --this.count;
    if (n > 0) {
      const key = k[n];
      const slot = s[n];
      const token = t[n];
      let pos = 0;
      for (;;) {
        let child = 2 * pos + 1;
        if (child >= n) break;
        if (child + 1 < n && k[child + 1] < k[child]) child++;
        if (k[child] >= key) break;
        k[pos] = k[child];
        s[pos] = s[child];
        t[pos] = t[child];
        pos = child;
      }
      k[pos] = key;
      s[pos] = slot;
      t[pos] = token;
    }
    return true;
  }

  clear(): void {
    this.count = 0;
  }

  private grow(): void {
    const cap = this.keys.length * 2;
    const k = new Float64Array(cap);
    k.set(this.keys);
    const s = new Int32Array(cap);
    s.set(this.slots);
    const t = new Int32Array(cap);
    t.set(this.tokens);
    this.keys = k;
    this.slots = s;
    this.tokens = t;
  }
}
