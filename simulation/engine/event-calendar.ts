/**
 * The event calendar, on typed arrays, ordered by time and then by the sequence number given at
 * scheduling, so simultaneous events run in the order they were scheduled and a run is
 * reproducible. An event is (time, kind, a, b): two integer operands instead of an object, so
 * scheduling and popping allocate nothing once the arrays have grown to the run's peak size.
 *
 * It takes one of two forms. While it holds few events (a service model's usual dozen: one
 * pending end per busy server, one arrival per source) it is an array sorted latest first: a pop
 * takes the last entry, a new event moves the earlier ones up by one, and a tie needs no sequence
 * number because a new event always comes after the pending ones with its time. Above TO_HEAP
 * events it becomes a binary min-heap whose entries carry time and sequence number side by side,
 * so a comparison never follows the id; it turns back into a sorted array at TO_SORTED. Either
 * way the cost of a small calendar is its unpredictable comparisons, which the sorted array has
 * the fewest of. (time, sequence) is a strict total order, so the pop order, and with it every
 * result, does not depend on the form or the heap's shape. The operands stay put in per-id
 * columns and are read once, when the event is popped.
 *
 * Cancelled events are not removed: the model tags events with tokens and ignores stale ones when
 * they surface (lazy cancellation), which keeps every operation O(log n) in the heap form.
 */
/** A sorted calendar becomes a heap when it reaches this many events, and back at or below TO_SORTED. */
const TO_HEAP = 24;
const TO_SORTED = 12;

export class EventCalendar {
  /** time of the most recently popped event */
  now = 0;
  /** operands of the most recently popped event */
  a = 0;
  b = 0;
  // the pending events in order (sorted, or heap order): time and id, and in the heap form the
  // sequence number too
  private heapTime: Float64Array;
  private heapSeq: Float64Array;
  private heapId: Int32Array;
  // per id: the event's sequence number (read when a sorted calendar becomes a heap), kind and operands
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private free: Int32Array;
  private freeCount = 0;
  private count = 0;
  private nextSeq = 0;
  /** small calendars are kept as a sorted array (latest first), larger ones as a heap */
  private sorted = true;
  private capacity: number;

  constructor(initialCapacity = 64) {
    this.capacity = Math.max(4, initialCapacity);
    this.heapTime = new Float64Array(this.capacity);
    this.heapSeq = new Float64Array(this.capacity);
    this.heapId = new Int32Array(this.capacity);
    this.seqs = new Float64Array(this.capacity);
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
    if (this.count === 0) return Infinity;
    return this.heapTime[this.sorted ? this.count - 1 : 0];
  }

  /** Schedules an event of `kind` at `time` with operands a, b. */
  schedule(time: number, kind: number, a: number, b: number): void {
    if (!(time >= this.now)) throw pastError(time, this.now);
    if (this.freeCount === 0) this.grow();
    const id = this.free[--this.freeCount];
    this.kinds[id] = kind;
    this.as[id] = a;
    this.bs[id] = b;
    const seq = this.nextSeq++;
    this.seqs[id] = seq;
    if (this.sorted && this.count < TO_HEAP) {
      // latest first, earliest last: move the pending events that come before this one (an earlier
      // time, or the same time and so a smaller sequence number) one place towards the end; the
      // sequence numbers stay with the ids, as the order of the array already holds them
      const ht = this.heapTime;
      const hi = this.heapId;
      let pos = this.count++;
      while (pos > 0 && ht[pos - 1] <= time) {
        ht[pos] = ht[pos - 1];
        hi[pos] = hi[pos - 1];
        pos--;
      }
      ht[pos] = time;
      hi[pos] = id;
    } else this.pushHeap(time, seq, id);
  }

  /**
   * Removes the earliest event if it is due at or before `until`: sets `now`, `a`, `b` and returns
   * its kind. Returns -1 (and changes nothing) when the calendar is empty or the next event is later.
   */
  pop(until = Infinity): number {
    if (!this.sorted) return this.popHeap(until);
    const n = this.count - 1;
    if (n < 0) return -1;
    const time = this.heapTime[n];
    if (time > until) return -1;
    this.count = n;
    return this.take(this.heapId[n], time);
  }

  // The heap's own paths are methods of their own, so that the sorted paths above stay small enough
  // for the optimiser to inline them into the model's loop.

  private pushHeap(time: number, seq: number, id: number): void {
    if (this.sorted) this.toHeap();
    // sift up: move later parents down until the new event's place is found
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hi = this.heapId;
    let pos = this.count++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pt = ht[parent];
      if (pt < time || (pt === time && hs[parent] < seq)) break;
      ht[pos] = pt;
      hs[pos] = hs[parent];
      hi[pos] = hi[parent];
      pos = parent;
    }
    ht[pos] = time;
    hs[pos] = seq;
    hi[pos] = id;
  }

  private popHeap(until: number): number {
    const n = this.count - 1;
    if (n < 0) return -1;
    const ht = this.heapTime;
    const hi = this.heapId;
    const time0 = ht[0];
    if (time0 > until) return -1;
    const kind = this.take(hi[0], time0);
    this.count = n;
    if (n > 0) {
      // sift the last entry down from the root, along the earlier child
      const hs = this.heapSeq;
      const time = ht[n];
      const seq = hs[n];
      const last = hi[n];
      let pos = 0;
      for (;;) {
        let c = 2 * pos + 1;
        if (c >= n) break;
        let ct = ht[c];
        let cs = hs[c];
        if (c + 1 < n) {
          const rt = ht[c + 1];
          if (rt < ct || (rt === ct && hs[c + 1] < cs)) {
            c++;
            ct = rt;
            cs = hs[c];
          }
        }
        if (time < ct || (time === ct && seq < cs)) break;
        ht[pos] = ct;
        hs[pos] = cs;
        hi[pos] = hi[c];
        pos = c;
      }
      ht[pos] = time;
      hs[pos] = seq;
      hi[pos] = last;
      if (n <= TO_SORTED) this.toSorted();
    }
    return kind;
  }

  /** Reads the operands of event `id` due at `time`, frees its id and returns its kind. */
  private take(id: number, time: number): number {
    this.now = time;
    this.a = this.as[id];
    this.b = this.bs[id];
    this.free[this.freeCount++] = id;
    return this.kinds[id];
  }

  /** Sorted (latest first) to heap: reversed, the array is sorted earliest first, a valid min-heap. */
  private toHeap(): void {
    const ht = this.heapTime;
    const hi = this.heapId;
    for (let i = 0, j = this.count - 1; i < j; i++, j--) {
      const t = ht[i];
      ht[i] = ht[j];
      ht[j] = t;
      const d = hi[i];
      hi[i] = hi[j];
      hi[j] = d;
    }
    for (let i = 0; i < this.count; i++) this.heapSeq[i] = this.seqs[hi[i]];
    this.sorted = false;
  }

  /** Heap to sorted (latest first), by insertion: the heap is small by now. */
  private toSorted(): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hi = this.heapId;
    for (let i = 1; i < this.count; i++) {
      const t = ht[i];
      const s = hs[i];
      const d = hi[i];
      let j = i;
      while (j > 0 && (ht[j - 1] < t || (ht[j - 1] === t && hs[j - 1] < s))) {
        ht[j] = ht[j - 1];
        hs[j] = hs[j - 1];
        hi[j] = hi[j - 1];
        j--;
      }
      ht[j] = t;
      hs[j] = s;
      hi[j] = d;
    }
    this.sorted = true;
  }

  /** Empties the calendar and resets the clock (reuse across replications). */
  clear(): void {
    this.count = 0;
    this.now = 0;
    this.nextSeq = 0;
    this.sorted = true;
    for (let i = 0; i < this.capacity; i++) this.free[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
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
    this.heapSeq = f64(this.heapSeq);
    this.heapId = i32(this.heapId);
    this.seqs = f64(this.seqs);
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

function pastError(time: number, now: number): RangeError {
  return new RangeError(`cannot schedule an event at ${time}, before now (${now})`);
}
