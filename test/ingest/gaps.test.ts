/** Gap detection against hand-computed cases: publisher sequence numbers, and series intervals. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  combinePublisherGaps,
  DuckDbTelemetryStore,
  findSeriesGaps,
  ingest,
  NdjsonReader,
  readStamp,
  SequenceTracker,
  seriesGaps,
  stampPayload,
} from '../../ingest/index.ts';
import { tempDir } from './helpers.ts';

describe('publisher sequence gaps', () => {
  it('counts the numbers missing between the first and last seen, and redeliveries', () => {
    const t = new SequenceTracker();
    for (const seq of [0, 1, 2, 5, 6, 8, 9, 2, 9, 20000]) t.see('p', seq);
    for (const seq of [3, 4]) t.see('q', seq);
    const [p, q] = t.report();
    // 0..20000 is 20001 numbers; 8 distinct seen
    expect(p).toEqual({
      publisher: 'p',
      received: 8,
      duplicates: 2,
      first: 0,
      last: 20000,
      missing: 20001 - 8,
      missingRanges: [
        [3, 4],
        [7, 7],
        [10, 19999],
      ],
    });
    expect(q).toMatchObject({ received: 2, first: 3, last: 4, missing: 0, missingRanges: [] });
    expect(t.report(true)[0].missing).toBeNull();
  });

  it('the union of a shared group: each worker saw part, together all but one', () => {
    const a = new SequenceTracker();
    const b = new SequenceTracker();
    for (let s = 0; s < 100; s++) if (s !== 57) (s % 2 ? a : b).see('p', s);
    const u = combinePublisherGaps([a.report(true), b.report(true)]);
    expect(u).toMatchObject([{ publisher: 'p', received: 99, first: 0, last: 99, missing: 1 }]);
  });

  it('the stamp goes in front of a JSON object and is read back; other payloads pass unchanged', () => {
    const s = stampPayload(JSON.stringify({ asset: 'a', t: 1 }), 'host-"1"', 42) as string;
    expect(JSON.parse(s)).toEqual({ publisher: 'host-"1"', seq: 42, asset: 'a', t: 1 });
    expect(readStamp(Buffer.from(s))).toEqual({ publisher: 'host-"1"', seq: 42 });
    expect(stampPayload('not json', 'p', 1)).toBe('not json');
    expect(readStamp(Buffer.from('{"asset":"a"}'))).toBeUndefined();
  });
});

describe('series gaps', () => {
  it('an interval over k x the median is a gap; the missing samples are estimated from the median', () => {
    // intervals 10,10,10,40,10,10: median 10, one gap of 4 intervals, 3 samples missing
    const r = findSeriesGaps([90, 0, 10, 20, 30, 30, 70, 80], { asOf: 100 });
    expect(r).toEqual({
      samples: 8,
      medianInterval: 10,
      gaps: [{ from: 30, to: 70, intervals: 4 }],
      missingEstimate: 3,
      first: 0,
      last: 90,
      stopped: false,
    });
    expect(findSeriesGaps([0, 10, 20, 30, 70], { k: 5 }).gaps).toEqual([]);
    // stopped: 131 - 90 = 41 > 3 x 10
    expect(findSeriesGaps([0, 10, 20, 30, 70, 80, 90], { asOf: 131 }).stopped).toBe(true);
    expect(findSeriesGaps([5]).medianInterval).toBeNull();
  });

  it('seriesGaps reads every series through the store: a skip in one, a stop in another', async () => {
    const dir = tempDir('gaps');
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      if (i < 40 || i >= 50)
        lines.push(JSON.stringify({ asset: 'a', t: i * 60_000, channel: 'temp', value: i }));
      if (i < 80) lines.push(JSON.stringify({ asset: 'b', t: i * 60_000, channel: 'temp', value: i }));
      lines.push(JSON.stringify({ asset: 'c', t: i * 60_000, channel: 'temp', value: i }));
    }
    writeFileSync(join(dir, 't.ndjson'), lines.join('\n'));
    const store = await DuckDbTelemetryStore.open(join(dir, 't.duckdb'));
    try {
      await ingest(new NdjsonReader(join(dir, 't.ndjson')), store);
      const problems = await seriesGaps(store, { onlyProblems: true });
      expect(problems.map((p) => [p.asset, p.channel, p.gapCount, p.missingEstimate, p.stopped])).toEqual([
        ['a', 'temp', 1, 10, false],
        ['b', 'temp', 0, 0, true],
      ]);
      expect(problems[0].gaps).toEqual([{ from: 39 * 60_000, to: 50 * 60_000, intervals: 11 }]);
      expect(problems[1]).toMatchObject({ last: 79 * 60_000, asOf: 99 * 60_000, medianInterval: 60_000 });
      expect(await seriesGaps(store)).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
});
