import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvReader, NdjsonReader, ingest, openTelemetryStore } from '../../ingest/index.ts';
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
