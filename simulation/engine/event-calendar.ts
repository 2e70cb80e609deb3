/**
 * The event calendar: a 4-ary min-heap on typed arrays, ordered by time and then by the sequence
 * number given at scheduling, so simultaneous events run in the order they were scheduled and a
 * run is reproducible. An event is (time, kind, a, b): two integer operands instead of an object,
 * so scheduling and popping allocate nothing once the arrays have grown to the run's peak size.
 *
 * A 4-ary heap is shallower than a binary one and its four children sit next to each other in
 * memory; for the few-dozen-to-thousands of pending events of a service model it does fewer cache
 * misses per pop. Cancelled events are not removed: the model tags events with tokens and ignores
 * stale ones when they surface (lazy cancellation), which keeps every operation O(log n).
 */
export class EventCalendar {
  /** time of the most recently popped event */
  now = 0;
  /** operands of the most recently popped event */
  a = 0;
  b = 0;
  private heapTime: Float64Array;
  private heapId: Int32Array;
  private seq: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private free: Int32Array;
  private freeCount = 0;
  private count = 0;
  private nextSeq = 0;
  private capacity: number;

  constructor(initialCapacity = 64) {
    this.capacity = Math.max(4, initialCapacity);
    this.heapTime = new Float64Array(this.capacity);
    this.heapId = new Int32Array(this.capacity);
    this.seq = new Float64Array(this.capacity);
    this.kinds = new Int32Array(this.capacity);
    this.as = new Int32Array(this.capacity);
    this.bs = new Int32Array(this.capacity);
    this.free = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.free[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Time of the next event, Infinity when the calendar is empty. */
  peekTime(): number {
    return this.count > 0 ? this.heapTime[0] : Infinity;
  }

  /** Schedules an event of `kind` at `time` with operands a, b. */
  schedule(time: number, kind: number, a: number, b: number): void {
    if (!(time >= this.now))
      throw new RangeError(`cannot schedule an event at ${time}, before now (${this.now})`);
    if (this.freeCount === 0) this.grow();
    const id = this.free[--this.freeCount];
    this.seq[id] = this.nextSeq++;
    this.kinds[id] = kind;
    this.as[id] = a;
    this.bs[id] = b;
    this.siftUp(this.count++, time, id);
  }

  /** Removes the earliest event, sets `now`, `a`, `b`, and returns its kind (-1 when empty). */
  pop(): number {
    if (this.count === 0) return -1;
    const id = this.heapId[0];
    this.now = this.heapTime[0];
    this.a = this.as[id];
    this.b = this.bs[id];
    const kind = this.kinds[id];
    this.free[this.freeCount++] = id;
    const last = --this.count;
    if (last > 0) this.siftDown(0, this.heapTime[last], this.heapId[last]);
    return kind;
  }

  /** Empties the calendar and resets the clock (reuse across replications). */
  clear(): void {
    this.count = 0;
    this.now = 0;
    this.nextSeq = 0;
    for (let i = 0; i < this.capacity; i++) this.free[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }

  private before(t1: number, id1: number, t2: number, id2: number): boolean {
    return t1 < t2 || (t1 === t2 && this.seq[id1] < this.seq[id2]);
  }

  private siftUp(pos: number, time: number, id: number): void {
    const ht = this.heapTime;
    const hi = this.heapId;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = ht[parent];
      const pid = hi[parent];
      if (!this.before(time, id, pt, pid)) break;
      ht[pos] = pt;
      hi[pos] = pid;
      pos = parent;
    }
    ht[pos] = time;
    hi[pos] = id;
  }

  private siftDown(pos: number, time: number, id: number): void {
    const ht = this.heapTime;
    const hi = this.heapId;
    const n = this.count;
    for (;;) {
      const first = 4 * pos + 1;
      if (first >= n) break;
      let best = first;
      let bt = ht[first];
      let bid = hi[first];
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const ct = ht[c];
        const cid = hi[c];
        if (this.before(ct, cid, bt, bid)) {
          best = c;
          bt = ct;
          bid = cid;
        }
      }
      if (!this.before(bt, bid, time, id)) break;
      ht[pos] = bt;
      hi[pos] = bid;
      pos = best;
    }
    ht[pos] = time;
    hi[pos] = id;
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const f64 = (src: Float64Array) => {
      const d = new Float64Array(cap);
      d.set(src);
      return d;
    };
    const i32 = (src: Int32Array) => {
      const d = new Int32Array(cap);
      d.set(src);
      return d;
    };
    this.heapTime = f64(this.heapTime);
    this.heapId = i32(this.heapId);
    this.seq = f64(this.seq);
    this.kinds = i32(this.kinds);
    this.as = i32(this.as);
    this.bs = i32(this.bs);
    this.free = new Int32Array(cap);
    // every id below `old` is in use (the free list was empty); hand out the new ones
    for (let i = 0; i < cap - old; i++) this.free[i] = cap - 1 - i;
    this.freeCount = cap - old;
    this.capacity = cap;
  }
}
