/**
 * MQTT past one process, and losses made visible, against real brokers:
 * - two `ingest mqtt --share` processes split a published fleet: every record stored exactly once
 *   in the union of their stores (Mosquitto at 127.0.0.1:1883; Aedes has no shared subscriptions);
 * - the subscriber away for an outage on a private Mosquitto (`mosquitto -c <tmp.conf>`) whose
 *   max_queued_messages is below what is published meanwhile: the gap reported per publisher is
 *   exactly what was published and never received; with a large enough limit nothing is lost.
 * Skipped with the reason printed only outside CI when a broker is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../core/index.ts';
import {
  combinePublisherGaps,
  DuckDbTelemetryStore,
  FleetConfig,
  ingest,
  MqttReader,
  planFleet,
  publishFleet,
  RatePublisher,
  storePath,
  type PublisherGaps,
} from '../../ingest/index.ts';
import { startTestBroker } from '../../bench/ingest-broker.lib.ts';
import { spawnCli, tempDir } from './helpers.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const unique = (name: string): string => `${name}-${process.pid}-${Date.now().toString(36)}`;

function skip(reason: string): boolean {
  if (process.env.CI) throw new Error(`CI is set but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return true;
}

describe('MQTT shared subscriptions', () => {
  it('two `ingest mqtt --share` workers split a published fleet: every record stored exactly once in the union', async () => {
    const broker = await startTestBroker();
    try {
      if (broker.kind !== 'mosquitto' && skip('Mosquitto is not on 127.0.0.1:1883 (Aedes has no $share)'))
        return;
      const id = unique('share');
      const homes = [tempDir('share-a'), tempDir('share-b')];
      const workers = homes.map((home, i) => {
        const child = spawnCli([
          '--home',
          home,
          'ingest',
          'mqtt',
          '--url',
          broker.url,
          '--topic',
          `${id}/+/+/telemetry`,
          '--share',
          id,
          '--client-id',
          `${id}-w${i}`,
          // stopped below once both together stored everything; the idle exit is only a safety net
          '--idle-exit',
          '120',
          '--max-batch-age',
          '50',
          '--log-commits',
          '--json',
        ]);
        children.push(child);
        let out = '',
          err = '',
          records = 0;
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const subscribed = new Promise<void>((resolve, reject) => {
          child.stderr!.on('data', (d: Buffer) => {
            err += d.toString();
            if (err.includes('subscribed to')) resolve();
            // cumulative counts, one line per commit; the last complete line is the total so far
            const all = [...err.matchAll(/"committed":\{"runId":\d+,"records":(\d+)/g)];
            if (all.length) records = Number(all[all.length - 1][1]);
          });
          child.once('exit', () => reject(new Error(`worker ${i} exited before subscribing: ${err}`)));
        });
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        return { child, subscribed, exited, out: () => out, err: () => err, records: () => records };
      });
      await Promise.all(workers.map((w) => w.subscribed));
      const config = validate(FleetConfig, { assets: 3, interval: '1d', seed: 4 }, 'test');
      const plan = planFleet(config);
      const pub = await publishFleet(config, {
        url: broker.url,
        rate: 0,
        what: 'scalars',
        topicPrefix: `${id}/site`,
      });
      const snapshots = plan.assets.reduce((n, a) => n + a.times.length, 0);
      expect(pub.messages).toBe(snapshots);
      for (let i = 0; i < 1200 && workers[0].records() + workers[1].records() < snapshots; i++)
        await new Promise((r) => setTimeout(r, 100));
      for (const w of workers) w.child.kill('SIGINT');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);

      const summaries = workers.map((w) => JSON.parse(w.out()));
      const keys: string[][] = [];
      for (const home of homes) {
        const store = await DuckDbTelemetryStore.open(storePath(home));
        try {
          const [run] = await store.runs();
          keys.push((await store.storedKeys(run.runId)).map((k) => `${k.asset}|${k.channel}|${k.t}`));
        } finally {
          await store.close();
        }
      }
      // each took a share, none stored a record the other stored, together they hold every one
      expect(keys[0].length).toBeGreaterThan(0);
      expect(keys[1].length).toBeGreaterThan(0);
      const a = new Set(keys[0]);
      expect(keys[1].filter((k) => a.has(k))).toEqual([]);
      const expected = plan.assets.flatMap((asset) =>
        asset.times.flatMap((t) =>
          ['temperature', 'load', 'speed'].map((ch) => `${asset.asset}|${ch}|${Math.round(t)}`),
        ),
      );
      expect(new Set([...keys[0], ...keys[1]])).toEqual(new Set(expected));
      expect(summaries[0].stored + summaries[1].stored).toBe(3 * snapshots);
      // per worker a gap cannot be told (the other has the rest); the union has none
      expect(summaries.map((s) => s.publishers[0].missing)).toEqual([null, null]);
      const union = combinePublisherGaps(summaries.map((s) => s.publishers as PublisherGaps[]));
      expect(union).toMatchObject([
        { publisher: pub.publisher, received: snapshots, first: 0, last: snapshots - 1, missing: 0 },
      ]);
      // drop the persistent sessions
      for (const clientId of [`${id}-w0`, `${id}-w1`]) {
        const c = await mqtt
          .connectAsync(broker.url, { clientId, clean: true, protocolVersion: 4 })
          .catch(() => undefined);
        await c?.endAsync();
      }
    } finally {
      await broker.close();
    }
  }, 180_000);
});

/** A private Mosquitto with the given queue limit on a free loopback port; stops when closed. */
async function privateMosquitto(maxQueued: number): Promise<{ url: string; close: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const dir = tempDir('mosquitto');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      `max_queued_messages ${maxQueued}`,
      // in-flight messages are held apart from the queue; 1 keeps the arithmetic to the queue
      'max_inflight_messages 1',
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const url = `mqtt://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const c = await mqtt
      .connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 })
      .catch(() => undefined);
    if (c) {
      await c.endAsync();
      return { url, close: () => child.kill('SIGTERM') };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('private mosquitto did not start');
}

const mosquittoBinary = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find(
  existsSync,
);

/**
 * Publishes `before` messages with the subscriber up, `outage` with it away, `after` with it back;
 * returns what the publisher sent, what the subscriber stored, and the gaps it reported.
 */
async function outage(url: string, before: number, during: number, after: number) {
  const id = unique('outage');
  const topic = `${id}/a/telemetry`;
  const store = await DuckDbTelemetryStore.open(join(tempDir('outage'), 't.duckdb'));
  const pub = await RatePublisher.connect({ url, window: 50 });
  const message = (i: number) =>
    JSON.stringify({ asset: 'a', t: 1_767_225_600_000 + i * 1000, channel: 'x', value: i });
  const session = (): { reader: MqttReader; ready: Promise<void> } => {
    let ready!: () => void;
    const p = new Promise<void>((r) => (ready = r));
    const reader = new MqttReader({
      url,
      topics: [topic],
      clientId: id,
      idleMs: 1500,
      onSubscribed: () => ready(),
    });
    return { reader, ready: p };
  };
  try {
    const first = session();
    const run1 = ingest(first.reader, store, { maxBatchAgeMs: 20 });
    await first.ready;
    let i = 0;
    for (; i < before; i++) await pub.publish(topic, message(i));
    await run1; // idle: the subscriber is away from here on
    for (; i < before + during; i++) await pub.publish(topic, message(i));
    const second = session();
    const run2 = ingest(second.reader, store, { maxBatchAgeMs: 20 });
    await second.ready;
    for (; i < before + during + after; i++) await pub.publish(topic, message(i));
    const s2 = await run2;
    const sent = await pub.close();
    return {
      sent,
      stored: (await store.counts()).samples,
      gaps: second.reader.publisherGaps(),
      secondRecords: s2.records,
    };
  } finally {
    await store.close();
  }
}

describe('MQTT losses are seen', () => {
  it('an outage longer than the broker queue holds: the gap is reported per publisher with the exact count; a large enough queue loses nothing', async () => {
    if (!mosquittoBinary && skip('no mosquitto binary to start a private broker (apt-get install mosquitto)'))
      return;
    const small = await privateMosquitto(100);
    try {
      const r = await outage(small.url, 50, 400, 50);
      expect(r.sent.messages).toBe(500);
      expect(r.sent.failures).toBe(0);
      const [g] = r.gaps;
      expect(g.publisher).toBe(r.sent.publisher);
      // independent count: published and acknowledged by the broker, minus what reached the store
      expect(g.missing).toBe(500 - r.stored);
      console.log(
        `max_queued_messages 100, 400 published during the outage: ${400 - g.missing!} kept, ${g.missing} lost, reported as missing seq ${JSON.stringify(g.missingRanges)}`,
      );
      expect(g.missing).toBeGreaterThan(0);
      // everything missing was published while the subscriber was away, and the queue kept about its limit
      for (const [from, to] of g.missingRanges) {
        expect(from).toBeGreaterThanOrEqual(50);
        expect(to).toBeLessThan(450);
      }
      expect(400 - g.missing!).toBeGreaterThanOrEqual(100);
      expect(400 - g.missing!).toBeLessThanOrEqual(102);
    } finally {
      small.close();
    }
    const large = await privateMosquitto(1000);
    try {
      const r = await outage(large.url, 50, 400, 50);
      expect(r.stored).toBe(500);
      expect(r.gaps[0]).toMatchObject({ publisher: r.sent.publisher, missing: 0, missingRanges: [] });
    } finally {
      large.close();
    }
  }, 120_000);
});
