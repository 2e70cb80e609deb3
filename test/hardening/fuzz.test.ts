/**
 * Property-based fuzzing (fast-check) of every text reader, the scenario loader and the telemetry
 * route, with arbitrary bytes and with arbitrary mutations of valid records (characters replaced,
 * fragments such as `1e20`, `NaN`, `2026-02-30`, a BOM or a quote inserted, spans deleted, lines
 * repeated). The properties: nothing crashes (only the project's own input errors, which name the
 * file, may end a run), the HTTP route never answers 500, and every input record is accounted
 * for: stored, duplicate, or rejected with a position and a reason. Run counts are kept small so
 * each property takes a few seconds.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { LeadtimeError } from '../../core/index.ts';
import {
  CmapssReader,
  CsvReader,
  ingest,
  NdjsonReader,
  DuckDbTelemetryStore,
  type TelemetryReader,
} from '../../ingest/index.ts';
import { buildApp } from '../../api/server/index.ts';
import { checkScenario, loadScenario } from '../../simulation/index.ts';
import { auth, serverConfig, tempHome } from '../api/server-helpers.ts';

const RUNS = 15;
const FRAGMENTS = [
  '1e20',
  '1e19',
  '-1',
  'NaN',
  'Infinity',
  '2026-02-30',
  '\uFEFF',
  '"',
  ',',
  ' ',
  '\t',
  '{',
  ']',
  '\\',
  '\u0000',
  '9'.repeat(30),
  '-0',
  '.5',
  'null',
  '*a',
  '&a',
  ': ',
  '\n',
];

/** Arbitrary edits of a text: replace, insert a fragment or random text, delete a span, repeat a line. */
const mutated = (valid: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constant('replace' as const), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })),
        fc.tuple(fc.constant('insert' as const), fc.nat(), fc.constantFrom(...FRAGMENTS)),
        fc.tuple(fc.constant('insert' as const), fc.nat(), fc.string({ maxLength: 8 })),
        fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 12 })),
        fc.tuple(fc.constant('repeat' as const), fc.nat(), fc.constant(0)),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((edits) => {
      let s = valid;
      for (const [op, at, arg] of edits) {
        const i = s.length === 0 ? 0 : at % (s.length + 1);
        if (op === 'replace') s = s.slice(0, i) + (arg as string) + s.slice(i + 1);
        else if (op === 'insert') s = s.slice(0, i) + (arg as string) + s.slice(i);
        else if (op === 'delete') s = s.slice(0, i) + s.slice(i + (arg as number));
        else {
          const lines = s.split('\n');
          const k = at % lines.length;
          lines.splice(k, 0, lines[k]);
          s = lines.join('\n');
        }
      }
      return s;
    });

const bytes = fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b));

const CMAPSS = readFileSync(join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt'), 'utf8')
  .split('\n')
  .slice(0, 6)
  .join('\n');
const NDJSON = [
  '{"asset":"p1","channel":"temp","t":1767225600000,"value":41.2}',
  '{"asset":"p1","t":"2026-01-01T00:10:00Z","values":{"temp":41.5,"load":22.5}}',
  '{"asset":"p2","channel":"temp","t":1767225660000,"value":-3}',
].join('\n');
const CSV_LONG =
  'asset,t,channel,value\np1,2026-01-01T00:00:00Z,temp,41.2\np1,2026-01-01T00:01:00Z,temp,41.3\n';
const CSV_WIDE = 'asset,t,temp,load\np1,1767225600000,41.2,22\np2,1767225660000,40.1,23\n';

describe('readers: arbitrary bytes and mutated records', () => {
  let dir: string;
  let store: DuckDbTelemetryStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lt-fuzz-'));
    store = await DuckDbTelemetryStore.open(join(dir, 'store.duckdb'));
  });
  afterAll(() => store.close());

  let n = 0;
  /** Ingests the input; checks the accounting; returns false when the file as a whole was refused. */
  async function check(make: (file: string) => TelemetryReader, input: string | Buffer): Promise<void> {
    const file = join(dir, `in-${n++}`);
    writeFileSync(file, input);
    const before = (await store.counts()).samples;
    let s;
    try {
      s = await ingest(make(file), store);
    } catch (err) {
      // only a refusal of the whole file (a CSV without a usable header), naming it
      expect(err).toBeInstanceOf(LeadtimeError);
      expect((err as Error).message).toContain(file);
      return;
    }
    expect(s.status).toBe('finished');
    // every record gives at least one item (a sample, a duplicate or a rejection); items add up
    expect(s.stored + s.duplicates + s.rejected).toBe(s.items);
    expect(s.items).toBeGreaterThanOrEqual(s.records);
    expect((await store.counts()).samples - before).toBe(s.stored);
    const lines = Buffer.isBuffer(input)
      ? input.toString('utf8').split('\n').length
      : input.split('\n').length;
    for (const r of await store.rejected({ runId: s.runId, limit: 1000 })) {
      expect(r.reason.length).toBeGreaterThan(0);
      const m = /^line (\d+)$/.exec(r.position);
      expect(m, r.position).not.toBeNull();
      expect(Number(m![1])).toBeLessThanOrEqual(lines);
    }
  }

  const readers: [string, (f: string) => TelemetryReader, string][] = [
    ['cmapss', (f) => new CmapssReader(f), CMAPSS],
    ['ndjson', (f) => new NdjsonReader(f), NDJSON],
    ['csv long', (f) => new CsvReader(f), CSV_LONG],
    ['csv wide', (f) => new CsvReader(f, { layout: 'wide', timestampFormat: 'epoch-ms' }), CSV_WIDE],
  ];
  for (const [name, make, valid] of readers) {
    it(`${name}: arbitrary bytes`, async () => {
      await fc.assert(
        fc.asyncProperty(bytes, (b) => check(make, b)),
        { numRuns: RUNS },
      );
    });
    it(`${name}: mutations of valid records`, async () => {
      await fc.assert(
        fc.asyncProperty(mutated(valid), (t) => check(make, t)),
        { numRuns: RUNS },
      );
    });
  }
});

describe('scenario loader', () => {
  const valid = readFileSync(join(import.meta.dirname, '../../data/scenarios/service-desk.yaml'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'lt-fuzz-scenario-'));
  let n = 0;
  const check = (text: string | Buffer): void => {
    const file = join(dir, `s-${n++}.yaml`);
    writeFileSync(file, text);
    try {
      const { scenario, baseDir } = loadScenario(file);
      checkScenario(scenario, baseDir);
    } catch (err) {
      // a bad scenario is the project's own error (exit 2 or 1 with a message), never a crash
      expect(err, String((err as Error).stack)).toBeInstanceOf(LeadtimeError);
    }
  };
  it('arbitrary bytes', () => {
    fc.assert(fc.property(bytes, check), { numRuns: RUNS });
  });
  it('mutations of a valid scenario', () => {
    fc.assert(fc.property(mutated(valid), check), { numRuns: RUNS * 2 });
  });
});

describe('POST /v1/telemetry', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildApp({ home: tempHome('lt-fuzz-http-'), config: serverConfig() }));
  });
  afterAll(() => app.close());

  async function check(payload: string, contentType: string): Promise<void> {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': contentType },
      payload,
    });
    expect(r.statusCode, r.body).toBeLessThan(500);
    const body = JSON.parse(r.body);
    if (r.statusCode !== 200) {
      expect(body.message.length).toBeGreaterThan(0);
      return;
    }
    // every record accounted for, in order, with a reason for each rejection
    expect(body.results.length).toBe(body.records);
    let stored = 0;
    for (const x of body.results) {
      expect(['stored', 'duplicate', 'rejected', 'partial']).toContain(x.status);
      stored += x.stored;
      if (x.status === 'rejected' || x.status === 'partial')
        for (const p of x.problems) expect(p.reason.length).toBeGreaterThan(0);
    }
    expect(stored).toBe(body.stored);
  }

  it('arbitrary JSON values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), (v) => check(JSON.stringify(v), 'application/json')),
      { numRuns: RUNS },
    );
  });
  it('mutations of valid records, as a JSON array and as NDJSON', async () => {
    const array = JSON.stringify(NDJSON.split('\n').map((l) => JSON.parse(l)));
    await fc.assert(
      fc.asyncProperty(mutated(array), (t) => check(t, 'application/json')),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(mutated(NDJSON), (t) => check(t, 'application/x-ndjson')),
      { numRuns: RUNS },
    );
  });
  it('arbitrary bytes as NDJSON', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, (b) => check(b.toString('latin1'), 'application/x-ndjson')),
      { numRuns: RUNS },
    );
  });
});
