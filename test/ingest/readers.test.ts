import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CmapssReader,
  CsvReader,
  F32Reader,
  FleetConfig,
  ImsReader,
  NdjsonReader,
  DuckDbTelemetryStore,
  ingest,
  parseBounds,
  writeFleet,
  type IngestSummary,
  type TelemetryReader,
} from '../../ingest/index.ts';
import { validate } from '../../core/index.ts';
import { cmapssFile, tempDir } from './helpers.ts';

const dir = tempDir('readers');
let store: DuckDbTelemetryStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

async function run(reader: TelemetryReader, opts: Parameters<typeof ingest>[2] = {}): Promise<IngestSummary> {
  store ??= await DuckDbTelemetryStore.open(join(tempDir('store'), 't.duckdb'));
  const s = await ingest(reader, store, opts);
  // every item accounted for
  expect(s.items).toBe(s.stored + s.duplicates + s.rejected);
  return s;
}

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('C-MAPSS reader', () => {
  it('reads train_FD001: 20,631 rows of 100 engines, 24 channels each, time unit cycle', async () => {
    const s = await run(new CmapssReader(cmapssFile));
    expect(s).toMatchObject({
      records: 20631,
      items: 20631 * 24,
      stored: 20631 * 24,
      rejected: 0,
      timeUnit: 'cycle',
    });
    const assets = await store!.assets();
    expect(assets).toHaveLength(100);
    expect(assets[0]).toMatchObject({ asset: 'train_FD001-001', timeUnit: 'cycle', first: 1, last: 192 });
    // first row of the file: 1 1 -0.0007 -0.0004 100.0 518.67 641.82 ...
    expect(await store!.series('train_FD001-001', 's2', { from: 1, to: 2 })).toEqual([
      { t: 1, value: 641.82 },
      { t: 2, value: 642.15 },
    ]);
  });

  it('rejects bad rows and bad cells, naming line and field, and keeps the rest', async () => {
    const good =
      '1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ';
    const p = file(
      'bad.txt',
      [
        good,
        good.replace(/^1 1 /, '1 2 ').replace('641.82', 'x641'),
        '1 3 0.1 0.2',
        good.replace(/^1 1 /, 'a 4 '),
        good.replace(/^1 1 /, '1 5 ').replace('518.67', 'NaN'),
      ].join('\n') + '\n',
    );
    const s = await run(new CmapssReader(p, { assetPrefix: 'e' }));
    // line 2: one bad cell (23 stored); line 3: too few columns; line 4: bad unit; line 5: NaN cell (23 stored)
    expect(s).toMatchObject({ records: 5, stored: 24 + 23 + 23, rejected: 4 });
    const rej = await store!.rejected();
    expect(rej.map((r) => [r.position, r.field])).toEqual([
      ['line 2', 's2'],
      ['line 3', undefined],
      ['line 4', 'unit'],
      ['line 5', 's1'],
    ]);
    expect(rej[0].reason).toMatch(/s2 is not a number: "x641"/);
    expect(rej[1].reason).toMatch(/expected 26 space-separated columns.*found 4/);
    expect(rej[1].raw).toBe('1 3 0.1 0.2');
  });
  it('reads cells in place with the same values as splitting on white space and Number()', async () => {
    const good =
      '1 1 -0.0007 -0.0004 100.0 518.67 641.82 1589.70 1400.60 14.62 21.61 554.36 2388.06 9046.19 1.30 47.47 521.66 2388.02 8138.62 8.4195 0.03 392 2388 100.00 39.06 23.4190  ';
    const lines = [
      good,
      // tabs and runs of blanks, a leading blank, CRLF
      ' 1\t2  ' + good.slice(4).replace(/ /g, '\t') + '\r',
      // exponents, more than 15 digits, a + sign: the general number path
      good
        .replace(/^1 1 /, '+1 3 ')
        .replace('641.82', '6.4182e2')
        .replace('1589.70', '1589.7000000000000001'),
      // a no-break space between cells: \s matches it, so the whole line takes the split path
      good.replace(/^1 1 /, '1\u00a04 '),
      '   ',
      '',
      good.replace(/^1 1 /, '2 1 '),
    ];
    const p = file('shapes.txt', lines.join('\n') + '\n');
    const rows: { position: string; asset: string; t: number; values: number[] }[] = [];
    for await (const rec of new CmapssReader(p, { assetPrefix: 'e' }).records()) {
      if (rec.kind !== 'row') throw new Error(`${rec.position}: ${rec.kind}`);
      expect(rec.problems).toBeUndefined();
      rows.push({ position: rec.position, asset: rec.asset, t: rec.t, values: [...rec.values] });
    }
    // the reference: every non-blank line split on \s+ and read with Number()
    const expected = lines.flatMap((text, i) => {
      const cells = text.trim().split(/\s+/);
      if (text.trim() === '') return [];
      return [
        {
          position: `line ${i + 1}`,
          asset: `e${cells[0].replace('+', '').padStart(3, '0')}`,
          t: Number(cells[1]),
          values: cells.slice(2).map(Number),
        },
      ];
    });
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r.t)).toEqual([1, 2, 3, 4, 1]);
  });
});

describe('CSV reader', () => {
  it('long layout with a column mapping and a timestamp pattern', async () => {
    const p = file(
      'long.csv',
      'machine,when,tag,reading\nm1,2026-01-02 03:04:05,temp,40.5\nm1,2026-01-02 03:04:06,temp,41\nm2,2026-01-02 03:04:05,"load",7\n',
    );
    const s = await run(
      new CsvReader(p, {
        layout: 'long',
        mapping: { asset: 'machine', t: 'when', channel: 'tag', value: 'reading' },
        timestampFormat: 'YYYY-MM-DD HH:mm:ss',
      }),
    );
    expect(s).toMatchObject({ records: 3, stored: 3, rejected: 0 });
    expect(await store!.series('m1', 'temp')).toEqual([
      { t: Date.UTC(2026, 0, 2, 3, 4, 5), value: 40.5 },
      { t: Date.UTC(2026, 0, 2, 3, 4, 6), value: 41 },
    ]);
  });

  it('wide layout with a fixed asset and epoch seconds; a bad cell rejects that cell only', async () => {
    const p = file(
      'wide.csv',
      'time,temperature,speed\n1767225600,40,1800\n1767225660,,1799\n1767225720,41,fast\n1767225780,Infinity,1801\n',
    );
    const s = await run(
      new CsvReader(p, {
        layout: 'wide',
        asset: 'pump-7',
        timestampFormat: 'epoch-s',
        mapping: { t: 'time' },
      }),
    );
    expect(s).toMatchObject({ records: 4, items: 8, stored: 5, rejected: 3 });
    const rej = await store!.rejected();
    expect(rej.map((r) => `${r.position} ${r.field}`)).toEqual([
      'line 3 temperature',
      'line 4 speed',
      'line 5 temperature',
    ]);
    expect(rej[0].reason).toBe('missing value for temperature');
    expect(rej[2].reason).toMatch(/not finite/);
    expect(await store!.series('pump-7', 'speed')).toHaveLength(3);
  });

  it('rejects wrong column counts, bad timestamps, unclosed quotes and out-of-bounds values', async () => {
    const p = file(
      'mixed.csv',
      'asset,t,channel,value\na,2026-01-01T00:00:00Z,temp,1\na,2026-13-01T00:00:00Z,temp,2\na,2026-01-01T00:00:01Z,temp\na,2026-01-01T00:00:02Z,temp,999\na,2026-01-01T00:00:03Z,"temp,4\n',
    );
    const s = await run(new CsvReader(p), { bounds: parseBounds('temp=-50:150') });
    expect(s.stored).toBe(1);
    expect(s.rejected).toBe(4);
    expect(s.records).toBe(5);
    const reasons = (await store!.rejected()).map((r) => r.reason).join('\n');
    expect(reasons).toMatch(/is not a real date and time/);
    expect(reasons).toMatch(/expected 4 columns/);
    expect(reasons).toMatch(/value 999 of channel "temp" is outside its bounds \[-50, 150\]/);
    expect(reasons).toMatch(/not valid CSV/);
  });

  it('lines without quotes read as csv-parse reads them; from the first that needs it, csv-parse reads the rest', async () => {
    // each body after a header; the reference is the same file with a quoted header, which sends the
    // whole file through csv-parse
    const bodies = {
      plain: 'a,1,1.5,2\n\na,2,x,3\na,3,4\n a ,4, 5 ,1e3\na,5,,-0\n',
      crlf: 'a,1,1.5,2\r\na,2,2.5,3\r\n\r\na,3,x,1\r\n',
      'quote mid-file': 'a,1,1,2\na,2,"3",4\nb,3,"5\n6",7\nb,4,8,9\n',
      'CRLF after LF': 'a,1,1,2\na,2,3,4\r\na,3,5,6\n',
      'lone CR': 'a,1,1,2\na,2,3\r4,5\na,3,5,6\n',
      'no final newline': 'a,1,1,2\na,2,3,4',
      'CR at the end': 'a,1,1,2\na,2,3,4\r',
      'unclosed quote': 'a,1,1,2\na,2,"3,4\na,3,5,6\n',
      'quote inside a field': 'a,1,1,2\na,2,x"y,4\na,3,5,6\n',
    };
    const read = async (p: string): Promise<unknown[]> => {
      const out: unknown[] = [];
      const reader = new CsvReader(p, { layout: 'wide', timestampFormat: 'epoch-ms' });
      for await (const rec of reader.records()) {
        // csv-parse's raw text of a record after a skipped empty line starts with that line's
        // newline; the line-by-line path keeps the record's own line only
        const raw = rec.raw.replace(/^[\r\n]+/, '');
        if (rec.kind === 'row')
          out.push({ ...rec, raw, channels: [...rec.channels], values: [...rec.values] });
        else out.push({ ...rec, raw });
      }
      return out;
    };
    for (const [name, body] of Object.entries(bodies)) {
      const ours = await read(file(`fast-${name}.csv`, `asset,t,u,v\n${body}`));
      const reference = await read(file(`ref-${name}.csv`, `"asset",t,u,v\n${body}`));
      expect(ours, name).toEqual(reference);
      expect(ours.length, name).toBeGreaterThan(1);
    }
  });

  it('names a missing mapped column up front', async () => {
    const p = file('nomap.csv', 'id,time,v\n1,2,3\n');
    await expect(run(new CsvReader(p))).rejects.toThrow(/no column "asset".*--map asset=COLUMN/);
  });
});

describe('NDJSON reader', () => {
  it('samples, values objects, waveforms as arrays and as base64 float32; malformed lines rejected', async () => {
    const wave = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i / 3));
    const b64 = Buffer.from(wave.buffer).toString('base64');
    const lines = [
      JSON.stringify({ asset: 'a', channel: 'temp', t: 1000, value: 20 }),
      JSON.stringify({ asset: 'a', t: '2026-01-01T00:00:00Z', values: { load: 3, speed: 1500 } }),
      JSON.stringify({ asset: 'a', channel: 'vib', t: 5000, sampleRateHz: 1000, samples: Array.from(wave) }),
      JSON.stringify({ asset: 'a', channel: 'vib', t: 6000, sampleRateHz: 1000, samples: b64 }),
      '{"asset":"a","channel":"temp","t":2000,"value":NaN}',
      JSON.stringify({ asset: 'a', channel: 'temp', value: 1 }),
      JSON.stringify({
        asset: 'a',
        channel: 'vib',
        t: 7000,
        sampleRateHz: 1000,
        samples: Array.from(wave.subarray(0, 100)),
      }),
      JSON.stringify({ asset: 'a', channel: 'vib', t: 8000, sampleRateHz: 1000, samples: 'not base64!' }),
      '',
      JSON.stringify({ asset: 'a', channel: 'temp', t: 3000, value: '21' }),
    ];
    const s = await run(new NdjsonReader(file('t.ndjson', lines.join('\n') + '\n')), { waveformLength: 128 });
    expect(s).toMatchObject({ records: 9, items: 10, stored: 5, rejected: 5 });
    const rej = await store!.rejected();
    expect(rej.map((r) => `${r.position}|${r.field ?? ''}`)).toEqual([
      'line 5|',
      'line 6|t',
      'line 7|samples',
      'line 8|samples',
      'line 10|value',
    ]);
    expect(rej[0].reason).toMatch(/malformed JSON/);
    expect(rej[2].reason).toMatch(/100 samples, expected 128/);
    const m = await store!.featureMatrix({ assets: ['a'] });
    expect(m.rows.map((r) => r.t)).toEqual([5000, 6000]);
    // the array and the base64 encodings of one snapshot give the same features
    expect(m.rows[0].values).toEqual(m.rows[1].values);
  });

  it('rejects an oversize line without reading it whole', async () => {
    const big = JSON.stringify({ asset: 'a', channel: 'x', t: 1, value: 1, pad: 'y'.repeat(5000) });
    const s = await run(
      new NdjsonReader(file('big.ndjson', `${big}\n{"asset":"a","channel":"x","t":2,"value":2}\n`), {
        maxRecordBytes: 1000,
      }),
    );
    expect(s).toMatchObject({ stored: 1, rejected: 1 });
    expect((await store!.rejected())[0].reason).toMatch(/over the 1000-byte limit/);
  });
});

describe('waveform readers', () => {
  it('raw f32: snapshots with times from --start/--interval; a trailing partial snapshot is rejected', async () => {
    const n = 256;
    const data = new Float32Array(3 * n + 10);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.2) + (i % 5) * 0.01;
    const p = join(dir, 'pump.f32');
    writeFileSync(p, Buffer.from(data.buffer, 0, (3 * n + 10) * 4 - 6)); // 3 snapshots + 34 bytes
    const s = await run(
      new F32Reader(p, {
        length: n,
        rateHz: 2560,
        asset: 'pump',
        start: '2026-01-01T00:00:00Z',
        interval: '1h',
      }),
      { waveformLength: n },
    );
    expect(s).toMatchObject({ records: 4, stored: 3, rejected: 1 });
    const m = await store!.featureMatrix();
    expect(m.rows.map((r) => r.t)).toEqual([0, 1, 2].map((k) => Date.UTC(2026, 0, 1) + k * 3_600_000));
    expect((await store!.rejected())[0].reason).toMatch(/ends with 34 bytes, not a whole snapshot/);
  });

  it('the synthetic fleet through the same readers, with defect frequencies from its bearing geometry', async () => {
    const out = join(dir, 'fleet');
    const config = validate(
      FleetConfig,
      { assets: 2, interval: '2d', sampleRateHz: 4096, snapshotSeconds: 0.5 },
      'test',
    );
    const fleet = writeFleet(config, out);
    const w = await run(new F32Reader(join(out, 'waveforms/index.csv')));
    expect(w).toMatchObject({ records: fleet.snapshots, stored: fleet.snapshots, rejected: 0 });
    const sc = await run(
      new CsvReader(join(out, 'scalars.csv'), { layout: 'wide', timestampFormat: 'epoch-ms' }),
    );
    expect(sc).toMatchObject({ records: fleet.snapshots, stored: 3 * fleet.snapshots, rejected: 0 });
    const m = await store!.featureMatrix();
    const bpfo = m.columns.indexOf('env_bpfo');
    expect(m.rows.every((r) => typeof r.values[bpfo] === 'number' && r.values[bpfo]! >= 0)).toBe(true);
    const spans = await store!.assets();
    expect(spans.map((a) => a.channels)).toEqual([
      ['load', 'speed', 'temperature', 'vib'],
      ['load', 'speed', 'temperature', 'vib'],
    ]);
  });

  it('IMS directory: one waveform per channel per file; bad files rejected with file and line', async () => {
    const ims = join(dir, 'ims-1');
    mkdirSync(ims);
    const rows = (n: number, bad?: number): string =>
      Array.from({ length: n }, (_, i) =>
        i === bad
          ? '0.1\tx\t0.3'
          : `${(Math.sin(i) * 0.1).toFixed(3)}\t${(Math.cos(i) * 0.1).toFixed(3)}\t-0.05`,
      ).join('\n') + '\n';
    writeFileSync(join(ims, '2004.02.12.10.32.39'), rows(128));
    writeFileSync(join(ims, '2004.02.12.10.42.39'), rows(128));
    writeFileSync(join(ims, '2004.02.12.10.52.39'), rows(128, 17));
    writeFileSync(join(ims, '2004.02.12.11.02.39'), rows(100));
    writeFileSync(join(ims, 'notes.txt'), 'hello\n');
    const s = await run(new ImsReader(ims, { length: 128, rateHz: 20000 }));
    expect(s).toMatchObject({ records: 9, stored: 6, rejected: 3 });
    const rej = await store!.rejected();
    expect(rej.map((r) => r.position)).toEqual([
      '2004.02.12.10.52.39 line 18',
      '2004.02.12.11.02.39',
      'notes.txt',
    ]);
    expect(rej[0].raw).toBe('0.1\tx\t0.3');
    expect(rej[0].reason).toMatch(/column 2 is not a finite number: "x"/);
    expect(rej[1].reason).toMatch(/100 rows, expected 128/);
    const m = await store!.featureMatrix({ assets: ['ims-1'] });
    expect(new Set(m.rows.map((r) => r.channel))).toEqual(new Set(['ch1', 'ch2', 'ch3']));
    expect(m.rows[0].t).toBe(Date.UTC(2004, 1, 12, 10, 32, 39));
  });
});
