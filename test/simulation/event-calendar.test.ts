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
