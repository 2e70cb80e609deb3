/** The pool's line against a sorted reference: tier first, then place in line, whatever order entries arrive in. */
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { PoolQueue } from '../../simulation/index.ts';

describe('PoolQueue', () => {
  it('pops by (tier, order) with new joiners, raised and preempted tickets interleaved, through growth', () => {
    const q = new PoolQueue(2);
    const rng = new RandomStream(4, 'pool-queue');
    const line: { tier: number; order: number; slot: number }[] = [];
    let nextOrder = 0;
    let slot = 0;
    let outOfOrder = 0;
    let maxLength = 0;
    for (let step = 0; step < 40_000; step++) {
      const grow = Math.floor(step / 2000) % 2 === 0 ? 0.6 : 0.4;
      if (line.length === 0 || rng.uniform() < grow) {
        const tier = rng.int(4);
        // mostly a new joiner (the newest order); sometimes an old order: a raised or preempted ticket
        let order: number;
        if (nextOrder > 0 && rng.uniform() < 0.2) {
          order = rng.int(nextOrder) - 0.5 + slot * 1e-6; // unique, between two orders handed out
          outOfOrder++;
        } else order = nextOrder++;
        q.push(tier, order, slot, 3 * slot);
        line.push({ tier, order, slot });
        slot++;
      } else {
        line.sort((a, b) => a.tier - b.tier || a.order - b.order);
        const head = line.shift()!;
        expect(q.pop()).toBe(true);
        expect([q.slot, q.token]).toEqual([head.slot, 3 * head.slot]);
      }
      expect(q.entries).toBe(line.length);
      maxLength = Math.max(maxLength, line.length);
    }
    expect(outOfOrder).toBeGreaterThan(3000);
    expect(maxLength).toBeGreaterThan(100); // grew well past its initial capacity
    while (line.length > 0) {
      line.sort((a, b) => a.tier - b.tier || a.order - b.order);
      expect(q.pop()).toBe(true);
      expect(q.slot).toBe(line.shift()!.slot);
    }
    expect(q.pop()).toBe(false);
  });
});
