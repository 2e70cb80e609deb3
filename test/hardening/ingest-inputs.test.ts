/**
 * Regression tests of issue 16's data findings: one out-of-range time is one rejected record
 * (named by line and field), never an aborted ingest; impossible dates are refused; a byte-order
 * mark is not data; empty input, missing paths and hostile YAML are exit 2 naming the file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, loadConfigFile } from '../../core/index.ts';
import {
  CmapssReader,
  CsvReader,
  FleetConfig,
  ingest,
  MAX_EPOCH_MS,
  NdjsonReader,
  DuckDbTelemetryStore,
  timestampParser,
} from '../../ingest/index.ts';
import { ServerConfig } from '../../api/server/index.ts';
import { TicketPolicySchema } from '../../tickets/policy/ticket-policy.ts';
import { Scenario } from '../../simulation/index.ts';
import { cli } from '../simulation/cli-helper.ts';

const CMAPSS = readFileSync(join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt'), 'utf8')
  .split('\n')
  .slice(0, 5);

let dir: string;
let store: DuckDbTelemetryStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-hardening-'));
  store = await DuckDbTelemetryStore.open(join(dir, 'store.duckdb'));
});
afterEach(() => store.close());

const file = (name: string, text: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('an out-of-range time rejects its record, not the run', () => {
  it('C-MAPSS cycle 1e19 on line 3: that row rejected once (field cycle), the other 4 rows stored, run finished', async () => {
    const lines = [...CMAPSS];
    lines[2] = lines[2].replace(/^1 3 /, '1 1e19 ');
    const src = file('fd.txt', lines.join('\n') + '\n');
    const s = await ingest(new CmapssReader(src), store);
    expect(s.status).toBe('finished');
    expect(s.stored).toBe(4 * 24);
    const rej = await store.rejected({ runId: s.runId });
    expect(rej.map((r) => [r.position, r.field])).toEqual([['line 3', 'cycle']]);
    expect(rej[0].reason).toMatch(/cycle index the store can hold/);
    // a rerun reads past the line too: every row now a duplicate or the same rejection
    const again = await ingest(new CmapssReader(src), store);
    expect([again.status, again.stored, again.duplicates, again.rejected]).toEqual(['finished', 0, 96, 1]);
  });

  it('wide CSV with t=1e20 (epoch-ms): that row rejected on t, the others stored', async () => {
    const src = file('w.csv', 'asset,t,a,b\np,1000,1,2\np,1e20,3,4\np,2000,5,6\n');
    const s = await ingest(new CsvReader(src, { layout: 'wide', timestampFormat: 'epoch-ms' }), store);
    expect([s.status, s.stored, s.rejected]).toEqual(['finished', 4, 1]);
    const [r] = await store.rejected({ runId: s.runId });
    expect([r.position, r.field]).toEqual(['line 3', 't']);
  });

  it('NDJSON: t = 1e20, t = -(8.64e15 + 1) rejected; the range limits themselves stored', async () => {
    const rows = [1e20, MAX_EPOCH_MS, -MAX_EPOCH_MS, -(MAX_EPOCH_MS + 1), 5].map((t) =>
      JSON.stringify({ asset: 'p', channel: 'c', t, value: 1 }),
    );
    const s = await ingest(new NdjsonReader(file('x.ndjson', rows.join('\n'))), store);
    expect([s.status, s.stored, s.rejected]).toEqual(['finished', 3, 2]);
    expect((await store.rejected({ runId: s.runId })).map((r) => r.position)).toEqual(['line 1', 'line 4']);
    // the extreme times that were stored read back exactly
    const back = await store.series('p', 'c', { from: -MAX_EPOCH_MS, to: MAX_EPOCH_MS });
    expect(back.map((p) => p.t)).toEqual([-MAX_EPOCH_MS, 5, MAX_EPOCH_MS]);
  });
});

describe('calendar-valid dates', () => {
  it('2026-02-30 is refused by ISO and by patterns; 2024-02-29 (leap year) is read as itself', () => {
    const iso = timestampParser('iso');
    expect(() => iso('2026-02-30T00:00:00Z')).toThrow(/day 30 does not exist in 2026-02/);
    expect(() => iso('2026-04-31')).toThrow(/day 31/);
    expect(() => iso('2026-01-01T24:00:00Z')).toThrow(/hour 24/);
    expect(() => timestampParser('YYYY-MM-DD')('2026-02-30')).toThrow(/not a real date/);
    expect(iso('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(iso('2100-02-28')).toBe(Date.UTC(2100, 1, 28));
    expect(() => iso('2100-02-29')).toThrow(/does not exist/); // 2100 is not a leap year
  });

  it('a CSV row dated 2026-02-30 is rejected, not stored as March 2', async () => {
    const src = file(
      'd.csv',
      'asset,t,channel,value\np,2026-02-28T00:00:00Z,c,1\np,2026-02-30T00:00:00Z,c,2\n',
    );
    const s = await ingest(new CsvReader(src), store);
    expect([s.stored, s.rejected]).toEqual([1, 1]);
    expect(await store.series('p', 'c')).toEqual([{ t: Date.UTC(2026, 1, 28), value: 1 }]);
  });
});

describe('a byte-order mark is not data', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  it('NDJSON, CSV and C-MAPSS with a BOM: line 1 stored like the rest', async () => {
    const nd = file(
      'b.ndjson',
      Buffer.concat([BOM, Buffer.from('{"asset":"p","channel":"c","t":1,"value":1}\n')]),
    );
    const csv = file('b.csv', Buffer.concat([BOM, Buffer.from('asset,t,channel,value\np,2,c,1\n')]));
    const cm = file('b.txt', Buffer.concat([BOM, Buffer.from(CMAPSS[0] + '\n')]));
    expect((await ingest(new NdjsonReader(nd), store)).stored).toBe(1);
    expect((await ingest(new CsvReader(csv, { timestampFormat: 'epoch-ms' }), store)).stored).toBe(1);
    expect((await ingest(new CmapssReader(cm), store)).stored).toBe(24);
  });
});

describe('the CLI: empty input, missing paths', () => {
  it('empty C-MAPSS / NDJSON and header-only CSV exit 2 naming the file; --allow-empty exits 0', async () => {
    const home = join(dir, 'home');
    for (const [fmt, name, text] of [
      ['cmapss', 'e.txt', ''],
      ['ndjson', 'e.ndjson', '\n\n'],
      ['csv', 'h.csv', 'asset,t,channel,value\n'],
    ]) {
      const p = file(name, text);
      const r = await cli('--home', home, 'ingest', fmt, p);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(`${p}: no records`);
      expect((await cli('--home', home, 'ingest', fmt, p, '--allow-empty')).code).toBe(0);
    }
  });

  it('a missing file or a directory: exit 2 naming the path (ingest and evaluate)', async () => {
    const home = join(dir, 'home');
    const missing = join(dir, 'nope.txt');
    mkdirSync(join(dir, 'adir'));
    for (const args of [
      ['ingest', 'cmapss', missing],
      ['ingest', 'ndjson', join(dir, 'adir')],
      ['ingest', 'csv', missing],
      ['ingest', 'ims', missing],
      ['evaluate', 'cmapss', '--train', missing, '--cv', '2'],
      ['evaluate', 'cmapss', '--train', join(dir, 'adir'), '--cv', '2'],
    ]) {
      const r = await cli('--home', home, ...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.err).toMatch(/(nope\.txt: no such|adir: is a directory)/);
      expect(r.err).not.toMatch(/ENOENT|EISDIR|\n\s+at /);
    }
  });
});

describe('YAML bombs and unresolved aliases', () => {
  const BOMB = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  ].join('\n');
  const schemas = {
    scenario: Scenario,
    fleet: FleetConfig,
    server: ServerConfig,
    policy: TicketPolicySchema,
  };
  for (const [kind, schema] of Object.entries(schemas))
    it(`${kind} config: a bomb, an unresolved alias and 10,000-deep nesting are InputErrors naming the file`, () => {
      for (const [name, text, why] of [
        ['bomb.yaml', BOMB, /Excessive alias count/],
        ['alias.yaml', 'name: *nowhere\n', /Unresolved alias/],
        ['deep.yaml', '['.repeat(10_000) + ']'.repeat(10_000), /nested more than/],
      ] as const) {
        const p = file(`${kind}-${name}`, text);
        let err: unknown;
        try {
          loadConfigFile(p, schema);
        } catch (e) {
          err = e;
        }
        expect(err, `${kind} ${name}`).toBeInstanceOf(InputError);
        expect((err as Error).message).toContain(p);
        expect((err as Error).message).toMatch(why);
      }
    });

  it('the CLI exits 2 on a bomb scenario, naming the file, with no stack trace', async () => {
    const p = file('bomb-scenario.yaml', BOMB);
    const r = await cli('simulate', p);
    expect(r.code).toBe(2);
    expect(r.err).toContain(p);
    expect(r.err).not.toMatch(/node_modules|\n\s+at /);
  });
});
