/**
 * Gaps seen through the server: GET /v1/quality/gaps (series that skip or stop, per asset and
 * channel, hand-computed cases), and with the live loop (serve --mqtt, a real broker: Mosquitto at
 * 127.0.0.1:1883 or an in-process Aedes) the per-publisher sequence gaps in GET /v1/status, in the
 * quality answer and on the run record, against messages published with known numbers left out.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type App } from '../../api/server/index.ts';
import { DuckDbTelemetryStore, stampPayload, storePath } from '../../ingest/index.ts';
import { startTestBroker, type TestBroker } from '../../bench/ingest-broker.lib.ts';
import { auth, serverConfig, tempHome, waitFor } from './server-helpers.ts';

const json = (r: { body: string }) => JSON.parse(r.body);
const T0 = Date.UTC(2026, 0, 5);
const MIN = 60_000;

describe('GET /v1/quality/gaps', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildApp({ home: tempHome('lt-quality-'), config: serverConfig() }));
    // a: every minute for 41 minutes except minutes 10-14 (one gap of 6 intervals, 5 samples missing)
    // b: every minute up to minute 20, then nothing (stopped: 20 intervals before a's newest sample)
    // c: every 2 minutes up to minute 40, complete
    const records = [
      ...Array.from({ length: 41 }, (_, i) => i)
        .filter((i) => i < 10 || i > 14)
        .map((i) => ({ asset: 'a', channel: 'x', t: T0 + i * MIN, value: i })),
      ...Array.from({ length: 21 }, (_, i) => ({ asset: 'b', channel: 'x', t: T0 + i * MIN, value: i })),
      ...Array.from({ length: 21 }, (_, i) => ({ asset: 'c', channel: 'y', t: T0 + 2 * i * MIN, value: i })),
    ];
    const r = await app.inject({ method: 'POST', url: '/v1/telemetry', headers: auth, payload: records });
    expect(json(r)).toMatchObject({ stored: records.length, rejected: 0 });
  });
  afterAll(() => app.close());

  it('lists the series that skip or stop, with the samples missing, and totals over every series', async () => {
    const body = json(await app.inject({ url: '/v1/quality/gaps' }));
    expect(body.k).toBe(3);
    expect(body.totals).toEqual({ series: 3, withGaps: 1, stopped: 1, missingEstimate: 5 });
    expect(body.publishers).toBeUndefined(); // no live loop
    expect(body.series).toHaveLength(2);
    const [a, b] = body.series;
    expect(a).toMatchObject({
      asset: 'a',
      channel: 'x',
      timeUnit: 'ms',
      samples: 36,
      medianInterval: MIN,
      gapCount: 1,
      gaps: [{ from: T0 + 9 * MIN, to: T0 + 15 * MIN, intervals: 6 }],
      missingEstimate: 5,
      stopped: false,
      asOf: T0 + 40 * MIN,
    });
    expect(b).toMatchObject({
      asset: 'b',
      samples: 21,
      gapCount: 0,
      last: T0 + 20 * MIN,
      stopped: true,
      asOf: T0 + 40 * MIN,
    });
  });

  it('k, the asset and channel filters and all=true change what is listed', async () => {
    // a's gap is 6 intervals: not a gap at k = 7; b stopped 20 intervals ago: still stopped
    const k7 = json(await app.inject({ url: '/v1/quality/gaps?k=7' }));
    expect(k7.totals).toEqual({ series: 3, withGaps: 0, stopped: 1, missingEstimate: 0 });
    expect(k7.series.map((s: { asset: string }) => s.asset)).toEqual(['b']);
    const all = json(await app.inject({ url: '/v1/quality/gaps?all=true' }));
    expect(all.series.map((s: { asset: string }) => s.asset)).toEqual(['a', 'b', 'c']);
    expect(all.series[2]).toMatchObject({ medianInterval: 2 * MIN, gapCount: 0, stopped: false });
    const onlyC = json(await app.inject({ url: '/v1/quality/gaps?assets=c,b&channels=y&all=true' }));
    expect(onlyC.series.map((s: { asset: string }) => s.asset)).toEqual(['c']);
    expect(onlyC.totals.series).toBe(1);
  });

  it('a bad query is a 400 naming the field; the route is in the OpenAPI document', async () => {
    const bad = await app.inject({ url: '/v1/quality/gaps?k=0.5' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).message).toMatch(/querystring\/k|querystring\.k/);
    const doc = json(await app.inject({ url: '/docs/json' }));
    const op = doc.paths['/v1/quality/gaps'].get;
    expect(op.tags).toEqual(['quality']);
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'all',
      'assets',
      'channels',
      'k',
      'maxGaps',
    ]);
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual([
      'k',
      'totals',
      'series',
      'publishers',
    ]);
  });
});

describe('serve --mqtt: publisher gaps in the status, the quality answer and the run record', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(() => broker?.close());

  it('counts exactly the sequence numbers left out, per publisher', async () => {
    const id = `lt-live-${process.pid}-${Date.now().toString(36)}`;
    const home = tempHome('lt-live-');
    let built: App | undefined = await buildApp({
      home,
      config: serverConfig(),
      mqtt: { url: broker.url, topics: [`${id}/+/telemetry`], clientId: id },
    });
    const status = async () => json(await built!.app.inject({ url: '/v1/status' }));
    try {
      await waitFor(status, (s) => s.live?.subscribed === true);
      // publisher P sends seq 0..29 but 10, 11, 12 and 20 never reach the broker: 26 messages,
      // 4 missing in 2 ranges; Q sends 0..4, none missing. Message i of P is at minute i, so its
      // series has a gap from minute 9 to minute 13 (4 intervals, 3 samples missing; seq 20's hole
      // is 2 intervals, under k = 3).
      const left = new Set([10, 11, 12, 20]);
      const client = await mqtt.connectAsync(broker.url, { clientId: `${id}-pub`, clean: true });
      for (let seq = 0; seq < 30; seq++) {
        if (left.has(seq)) continue;
        const msg = JSON.stringify({ asset: 'p', channel: 'x', t: T0 + seq * MIN, value: seq });
        await client.publishAsync(`${id}/p/telemetry`, stampPayload(msg, 'P', seq) as string, { qos: 1 });
      }
      for (let seq = 0; seq < 5; seq++) {
        const msg = JSON.stringify({ asset: 'q', channel: 'x', t: T0 + seq * MIN, value: seq });
        await client.publishAsync(`${id}/q/telemetry`, stampPayload(msg, 'Q', seq) as string, { qos: 1 });
      }
      await client.endAsync();
      const s = await waitFor(status, (x) => x.live.stored === 31);
      const expected = [
        {
          publisher: 'P',
          received: 26,
          duplicates: 0,
          first: 0,
          last: 29,
          missing: 4,
          missingRanges: [
            [10, 12],
            [20, 20],
          ],
        },
        { publisher: 'Q', received: 5, duplicates: 0, first: 0, last: 4, missing: 0, missingRanges: [] },
      ];
      expect(s.live.publishers).toEqual(expected);
      const q = json(await built.app.inject({ url: '/v1/quality/gaps' }));
      expect(q.publishers).toEqual(expected);
      expect(q.series).toMatchObject([
        {
          asset: 'p',
          channel: 'x',
          gapCount: 1,
          gaps: [{ from: T0 + 9 * MIN, to: T0 + 13 * MIN }],
          missingEstimate: 3,
        },
        // q's last sample (minute 4) is 25 minutes before p's newest: stopped
        { asset: 'q', channel: 'x', stopped: true },
      ]);
      await built.app.close();
      built = undefined;
      const store = await DuckDbTelemetryStore.open(storePath(home));
      try {
        const [run] = await store.runs();
        expect(run.format).toBe('mqtt');
        expect(JSON.parse(run.report!)).toEqual({ clientId: id, share: null, publishers: expected });
      } finally {
        await store.close();
      }
    } finally {
      await built?.app.close();
      // drop the persistent session on a shared broker
      const c = await mqtt.connectAsync(broker.url, { clientId: id, clean: true }).catch(() => undefined);
      await c?.endAsync();
    }
  }, 60_000);
});
