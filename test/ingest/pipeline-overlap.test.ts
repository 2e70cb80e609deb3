import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CMAPSS_CHANNELS, CmapssReader, DuckDbTelemetryStore, ingest } from '../../ingest/index.ts';
import { cmapssFile, tempDir } from './helpers.ts';

describe('ingest reads the next batch while the last one commits', () => {
  it('commits one batch at a time, in order, and stores every sample once', async () => {
    const store = await DuckDbTelemetryStore.open(join(tempDir('overlap'), 'a.duckdb'));
    const commit = store.commit.bind(store);
    let inFlight = 0,
      most = 0;
    const firstLines: number[] = [];
    store.commit = async (runId, source, timeUnit, batch) => {
      inFlight++;
      most = Math.max(most, inFlight);
      firstLines.push(Number(batch.refs[0].position.replace('line ', '')));
      try {
        return await commit(runId, source, timeUnit, batch);
      } finally {
        inFlight--;
      }
    };
    const progress: number[] = [];
    const s = await ingest(new CmapssReader(cmapssFile), store, {
      batchSize: 50_000,
      onCommit: (p) => progress.push(p.stored),
    });
    expect(s).toMatchObject({ records: 20631, stored: 20631 * 24, duplicates: 0, rejected: 0 });
    expect(most).toBe(1);
    expect(firstLines).toEqual([...firstLines].sort((a, b) => a - b));
    expect(progress.length).toBe(Math.ceil((20631 * 24) / 50_000));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect((await store.counts()).samples).toBe(20631 * 24);
    // every value where it belongs (batches after the second reuse the columns of earlier ones):
    // per channel, the sum of t * value against the file read with split and Number
    const expected = new Map<string, number>();
    for (const line of readFileSync(cmapssFile, 'utf8').split('\n')) {
      const cells = line.trim().split(/\s+/).map(Number);
      if (cells.length !== 26) continue;
      CMAPSS_CHANNELS.forEach((c, i) => expected.set(c, (expected.get(c) ?? 0) + cells[1] * cells[i + 2]));
    }
    const got = await store.query(`SELECT channel, sum(t * value) AS s FROM samples GROUP BY channel`);
    expect(got).toHaveLength(24);
    for (const row of got) expect(row.s).toBeCloseTo(expected.get(row.channel as string)!, 3);
    store.close();
  });

  it('a failed commit ends the run with that error, marked interrupted; batches before it stay stored', async () => {
    const store = await DuckDbTelemetryStore.open(join(tempDir('overlap'), 'b.duckdb'));
    const commit = store.commit.bind(store);
    let calls = 0;
    store.commit = async (...args) => {
      if (++calls === 2) throw new Error('disk full (test)');
      return commit(...args);
    };
    await expect(ingest(new CmapssReader(cmapssFile), store, { batchSize: 50_000 })).rejects.toThrow(
      'disk full (test)',
    );
    const [run] = await store.runs();
    expect(run.status).toBe('interrupted');
    expect((await store.counts()).samples).toBe(run.stored);
    expect(run.stored).toBeGreaterThanOrEqual(50_000);
    store.close();
  });
});
