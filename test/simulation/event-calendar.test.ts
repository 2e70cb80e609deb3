/** The event calendar switches between a sorted array (small) and a heap (large): the pop order must not notice. */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { EventCalendar } from '../../simulation/index.ts';

describe('EventCalendar across its sorted and heap forms', () => {
  it('pops in (time, scheduling order) while its size swings across both thresholds, with many ties', () => {
    const cal = new EventCalendar(4);
    const rng = new RandomStream(3, 'calendar-modes');
    const pending: { t: number; seq: number; kind: number }[] = [];
    let seq = 0;
    let popped = 0;
    let maxSize = 0;
    let minSizeAfterMax = Infinity;
    for (let step = 0; step < 60_000; step++) {
      // phases of growth and shrinkage: sizes wander between 0 and about 60
      const grow = Math.floor(step / 500) % 2 === 0 ? 0.62 : 0.38;
      if (pending.length === 0 || rng.uniform() < grow) {
        const t = cal.now + Math.floor(rng.uniform() * 8) / 2; // coarse grid: ties are common, and t = now too
        const kind = seq % 9;
        cal.schedule(t, kind, seq, 7 * seq);
        pending.push({ t, seq, kind });
        seq++;
      } else {
        let best = 0;
        for (let i = 1; i < pending.length; i++) {
          const p = pending[i];
          const b = pending[best];
          if (p.t < b.t || (p.t === b.t && p.seq < b.seq)) best = i;
        }
        const next = pending.splice(best, 1)[0];
        expect(cal.peekTime()).toBe(next.t);
        expect(cal.pop()).toBe(next.kind);
        expect([cal.now, cal.a, cal.b]).toEqual([next.t, next.seq, 7 * next.seq]);
        popped++;
      }
      expect(cal.size).toBe(pending.length);
      maxSize = Math.max(maxSize, pending.length);
      if (maxSize > 40) minSizeAfterMax = Math.min(minSizeAfterMax, pending.length);
    }
    expect(popped).toBeGreaterThan(20_000);
    expect(maxSize).toBeGreaterThan(40); // reached the heap form
    expect(minSizeAfterMax).toBeLessThan(5); // and came back to the sorted one
  });

  it('keeps events pending across many switches in order, ties included', () => {
    // sizes swing between about 5 and 35, so events scheduled in one form are popped in the other,
    // some after several switches; times on a coarse grid over a long range make ties among them common
    const cal = new EventCalendar(4);
    const rng = new RandomStream(5, 'calendar-switches');
    const pending: { t: number; seq: number }[] = [];
    let seq = 0;
    for (let step = 0; step < 40_000; step++) {
      const grow =
        pending.length < 5 ? 1 : pending.length > 35 ? 0 : Math.floor(step / 60) % 2 === 0 ? 0.7 : 0.3;
      if (rng.uniform() < grow) {
        const t = cal.now + Math.floor(rng.uniform() * 40) / 2;
        cal.schedule(t, 0, seq, 0);
        pending.push({ t, seq: seq++ });
      } else {
        let best = 0;
        for (let i = 1; i < pending.length; i++) {
          const p = pending[i];
          const b = pending[best];
          if (p.t < b.t || (p.t === b.t && p.seq < b.seq)) best = i;
        }
        const next = pending.splice(best, 1)[0];
        cal.pop();
        expect([cal.now, cal.a]).toEqual([next.t, next.seq]);
      }
    }
  });

  it('leaves an event later than `until` in place', () => {
    const cal = new EventCalendar();
    cal.schedule(5, 1, 10, 20);
    cal.schedule(7, 2, 11, 21);
    expect(cal.pop(6)).toBe(1);
    expect(cal.pop(6)).toBe(-1);
    expect([cal.now, cal.size, cal.peekTime()]).toEqual([5, 1, 7]);
    expect(cal.pop()).toBe(2);
    expect(cal.pop()).toBe(-1);
    expect(cal.peekTime()).toBe(Infinity);
  });
});
