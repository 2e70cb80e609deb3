import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../core/index.ts';
import { SampleColumns } from '../../ingest/index.ts';

describe('SampleColumns (a batch of samples, column-wise)', () => {
  it('finds every earlier (series, t) of the batch exactly as a map of all keys does, in and out of order', () => {
    const s = new RandomStream(7, 'cols');
    const cols = new SampleColumns(16);
    const brute = new Map<string, number>();
    for (let k = 0; k < 5000; k++) {
      const asset = `a${s.int(4)}`,
        channel = `c${s.int(3)}`;
      // mostly increasing t per series, with repeats and stragglers
      const t = s.uniform() < 0.7 ? k : s.int(k + 1);
      const id = cols.seriesId(asset, channel);
      const key = `${asset}/${channel}/${t}`;
      const found = cols.indexOf(id, t);
      expect(found).toBe(brute.get(key) ?? -1);
      if (found < 0) {
        brute.set(key, cols.length);
        cols.push(id, t, k, k);
      }
    }
    expect(cols.length).toBe(brute.size);
    for (const [key, i] of brute) {
      const [asset, channel, t] = key.split('/');
      expect([cols.asset(i), cols.channel(i), cols.t[i]]).toEqual([asset, channel, Number(t)]);
    }
  });
});
