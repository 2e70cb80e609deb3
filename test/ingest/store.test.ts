import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COPY_CHUNK_ROWS,
  CsvReader,
  NdjsonReader,
  emptyBatch,
  ingest,
  openTelemetryStore,
} from '../../ingest/index.ts';
import { BACKENDS, dropPgDatabases } from '../store-backends.ts';
import { tempDir } from './helpers.ts';

afterAll(dropPgDatabases);

describe.each(BACKENDS)('telemetry store ($name)', (backend) => {
  const openIn = async (dir: string) => openTelemetryStore(dir, (await backend.place('store')).url);

  it.skipIf(!backend.available)(
    're-ingesting the same input stores nothing twice; a changed value under the same key is rejected as a conflict',
    async () => {
      const dir = tempDir('store');
      const store = await openIn(dir);
      try {
        const a = join(dir, 'a.csv');
        writeFileSync(a, 'asset,t,channel,value\np,1000,temp,1\np,2000,temp,2\np,3000,temp,3\n');
        const first = await ingest(new CsvReader(a, { timestampFormat: 'epoch-ms' }), store);
        expect(first).toMatchObject({ stored: 3, duplicates: 0, rejected: 0 });
        const again = await ingest(new CsvReader(a, { timestampFormat: 'epoch-ms' }), store);
        expect(again).toMatchObject({ stored: 0, duplicates: 3, rejected: 0 });
        const b = join(dir, 'b.csv');
        writeFileSync(b, 'asset,t,channel,value\np,2000,temp,2\np,3000,temp,3.5\np,4000,temp,4\n');
        const third = await ingest(new CsvReader(b, { timestampFormat: 'epoch-ms' }), store, {
          batchSize: 1,
        });
        expect(third).toMatchObject({ stored: 1, duplicates: 1, rejected: 1 });
        const [conflict] = await store.rejected({ runId: third.runId });
        expect(conflict).toMatchObject({ position: 'line 3', raw: 'p,3000,temp,3.5', field: 'temp' });
        expect(conflict.reason).toMatch(
          /conflicting duplicate: p\/temp at t=3000 is already stored with value 3, this record says 3.5/,
        );
        expect(await store.series('p', 'temp')).toEqual([
          { t: 1000, value: 1 },
          { t: 2000, value: 2 },
          { t: 3000, value: 3 },
          { t: 4000, value: 4 },
        ]);
        expect(await store.series('p', 'temp', { from: 2000, to: 3000 })).toHaveLength(2);
        const runs = await store.runs();
        expect(runs.map((r) => [r.status, r.records, r.stored, r.duplicates, r.rejected])).toEqual([
          ['finished', 3, 3, 0, 0],
          ['finished', 3, 0, 3, 0],
          ['finished', 3, 1, 1, 1],
        ]);
        expect(runs[0].codeVersion).toMatch(/^\d+\.\d+\.\d+/);
        expect(runs[0].finishedAt).toBeTruthy();
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!backend.available)(
    'a batch over several COPY chunks with names holding tab, backslash, newline and CR: stored and read back unchanged; repeats and conflicts found across chunks, in batch order',
    async () => {
      const store = await openIn(tempDir('store-copy'));
      try {
        // COPY text escapes \t \n \r \\ and reads \N as NULL: names like these must never pass through it unescaped
        const names = ['a\tb', 'back\\slash', 'new\nline', 'cr\rx', '\\N', 'quote"\'', 'ü,; '];
        const n = 2 * COPY_CHUNK_ROWS + 7;
        const key = (i: number) => ({
          asset: names[i % names.length],
          channel: names[(3 * i + 1) % names.length],
          // i % 7 fixes the series, so t is distinct within each series
          t: 1_767_225_600_000 + Math.floor(i / names.length) * 1000,
        });
        const value = (i: number) => i * 0.37 - 5000.1;
        const batchOf = (changed: Set<number>) => {
          const b = emptyBatch(n);
          for (let i = 0; i < n; i++) {
            const k = key(i);
            const ref = b.refs.push({ position: `line ${i + 1}`, raw: `raw ${i}` }) - 1;
            b.samples.push(
              b.samples.seriesId(k.asset, k.channel),
              k.t,
              value(i) + (changed.has(i) ? 1 : 0),
              ref,
            );
          }
          b.records = n;
          return b;
        };
        const first = await store.beginRun('copy', 'test', 'ms', {});
        expect(await store.commit(first, 'copy', 'ms', batchOf(new Set()))).toEqual({
          stored: n,
          duplicates: 0,
          rejected: 0,
        });
        await store.finishRun(first, 'finished');
        // the same keys again, three values changed: one in each chunk (the last one in the short last chunk)
        const changed = [n - 1, 5, COPY_CHUNK_ROWS + 3];
        const again = await store.beginRun('copy', 'test', 'ms', {});
        expect(await store.commit(again, 'copy', 'ms', batchOf(new Set(changed)))).toEqual({
          stored: 0,
          duplicates: n - 3,
          rejected: 3,
        });
        await store.finishRun(again, 'finished');
        const rejected = await store.rejected({ runId: again });
        expect(rejected.map((r) => [r.position, r.raw, r.field])).toEqual(
          [...changed].sort((a, b) => a - b).map((i) => [`line ${i + 1}`, `raw ${i}`, key(i).channel]),
        );
        for (const [j, i] of [...changed].sort((a, b) => a - b).entries())
          expect(rejected[j].reason).toBe(
            `conflicting duplicate: ${key(i).asset}/${key(i).channel} at t=${key(i).t} is already stored with value ${value(i)}, this record says ${value(i) + 1}; correct the source or delete the stored value first`,
          );
        const spans = await store.assets();
        expect(spans.map((a) => a.asset)).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        for (const a of spans) expect(a.samples).toBe(Math.ceil((n - names.indexOf(a.asset)) / names.length));
        const expected = Array.from({ length: n }, (_, i) => i)
          .filter((i) => i % names.length === 2)
          .map((i) => ({ t: key(i).t, value: value(i) }));
        expect(await store.series('new\nline', names[0])).toEqual(expected);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(!backend.available)(
    'waveforms: the same snapshot again is a duplicate, a different one at the same time a conflict; feature matrix and spans',
    async () => {
      const dir = tempDir('store-w');
      const store = await openIn(dir);
      try {
        const w = (asset: string, t: number, f: number): string =>
          JSON.stringify({
            asset,
            channel: 'vib',
            t,
            sampleRateHz: 1000,
            samples: Array.from({ length: 64 }, (_, i) => Math.sin(i * f)),
          });
        const p = join(dir, 'w.ndjson');
        writeFileSync(p, [w('a', 10, 0.1), w('a', 20, 0.2), w('b', 10, 0.3)].join('\n'));
        expect(await ingest(new NdjsonReader(p), store)).toMatchObject({ stored: 3 });
        const q = join(dir, 'q.ndjson');
        writeFileSync(q, [w('a', 10, 0.1), w('a', 20, 0.25), w('a', 20, 0.25)].join('\n'));
        const s = await ingest(new NdjsonReader(q), store);
        // line 1 repeats a stored snapshot; line 2 conflicts with a stored one; line 3 repeats line 2 within the input
        expect(s).toMatchObject({ stored: 0, duplicates: 2, rejected: 1 });
        const m = await store.featureMatrix({ assets: ['a'] });
        expect(m.rows.map((r) => [r.asset, r.t])).toEqual([
          ['a', 10],
          ['a', 20],
        ]);
        const rms = m.columns.indexOf('rms');
        // rms of sin(0.1 i), i < 64, mean removed, computed by hand here
        const x = Array.from({ length: 64 }, (_, i) => Math.fround(Math.sin(i * 0.1))); // stored as float32
        const mean = x.reduce((a, b) => a + b) / 64;
        expect(m.rows[0].values[rms]).toBeCloseTo(
          Math.sqrt(x.reduce((a, v) => a + (v - mean) ** 2, 0) / 64),
          12,
        );
        expect(m.rows[0].values[m.columns.indexOf('env_bpfo')]).toBeNull();
        expect(await store.assets()).toEqual([
          { asset: 'a', timeUnit: 'ms', channels: ['vib'], first: 10, last: 20, samples: 0, featureRows: 2 },
          { asset: 'b', timeUnit: 'ms', channels: ['vib'], first: 10, last: 10, samples: 0, featureRows: 1 },
        ]);
      } finally {
        await store.close();
      }
    },
  );
});

// PostgreSQL only: two processes share one store there (DuckDB is one process per file)
describe('telemetry store (postgres), two writers', () => {
  const backend = BACKENDS.find((b) => b.name === 'postgres')!;

  it.skipIf(!backend.available)(
    'two stores committing the same keys at once (one with two values changed): each key stored once, the later commit sees the earlier one and counts duplicates and conflicts',
    async () => {
      const { url } = await backend.place('store');
      const dir = tempDir('store-two');
      const [a, b] = [await openTelemetryStore(dir, url), await openTelemetryStore(dir, url)];
      try {
        const n = COPY_CHUNK_ROWS + 10;
        const changed = new Set([3, COPY_CHUNK_ROWS + 1]);
        const batchOf = (bump: boolean) => {
          const x = emptyBatch(n);
          for (let i = 0; i < n; i++) {
            const ref = x.refs.push({ position: `line ${i + 1}`, raw: `raw ${i}` }) - 1;
            const id = x.samples.seriesId(`u${i % 5}`, 'c');
            x.samples.push(id, i, i / 4 + (bump && changed.has(i) ? 100 : 0), ref);
          }
          x.records = n;
          return x;
        };
        const [ra, rb] = [
          await a.beginRun('a', 'test', 'cycle', {}),
          await b.beginRun('b', 'test', 'cycle', {}),
        ];
        const [oa, ob] = await Promise.all([
          a.commit(ra, 'a', 'cycle', batchOf(false)),
          b.commit(rb, 'b', 'cycle', batchOf(true)),
        ]);
        const first = oa.stored > 0 ? 'a' : 'b';
        expect([oa, ob].map((o) => o.stored).sort((p, q) => p - q)).toEqual([0, n]);
        expect(first === 'a' ? ob : oa).toEqual({ stored: 0, duplicates: n - 2, rejected: 2 });
        const later = await (first === 'a' ? b : a).rejected({ runId: first === 'a' ? rb : ra });
        expect(later.map((r) => r.position)).toEqual(['line 4', `line ${COPY_CHUNK_ROWS + 2}`]);
        for (const i of changed) {
          const [stored] = (await a.series(`u${i % 5}`, 'c')).filter((p) => p.t === i);
          expect(stored.value).toBe(i / 4 + (first === 'b' ? 100 : 0));
        }
        expect((await a.counts()).samples).toBe(n);
        await a.finishRun(ra, 'finished');
        await b.finishRun(rb, 'finished');
      } finally {
        await a.close();
        await b.close();
      }
    },
  );
});
