/**
 * MQTT against a real broker: Mosquitto on 127.0.0.1:1883 when it answers, else an in-process
 * Aedes broker speaking the real protocol (bench/ingest-broker.lib.ts). Never a mock.
 */
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FleetConfig,
  MqttReader,
  RatePublisher,
  DuckDbTelemetryStore,
  ingest,
  planFleet,
  publishFleet,
  storePath,
} from '../../ingest/index.ts';
import { validate } from '../../core/index.ts';
import { startTestBroker, type TestBroker } from '../../bench/ingest-broker.lib.ts';
import { runCli, spawnCli, tempDir } from './helpers.ts';

let broker: TestBroker;
const sessions: string[] = [];
beforeAll(async () => {
  broker = await startTestBroker();
  console.log(`MQTT tests use ${broker.kind} at ${broker.url}`);
});
afterAll(async () => {
  // drop the persistent sessions the tests made
  for (const clientId of sessions) {
    const c = await mqtt
      .connectAsync(broker.url, { clientId, clean: true, protocolVersion: 4 })
      .catch(() => undefined);
    await c?.endAsync();
  }
  await broker.close();
});

const unique = (name: string): string => `${name}-${process.pid}-${Date.now().toString(36)}`;
const message = (asset: string, i: number): string =>
  JSON.stringify({ asset, t: 1_767_225_600_000 + i * 1000, values: { temperature: 40 + (i % 10), load: i } });

async function publish(prefix: string, from: number, to: number, extra: string[] = []): Promise<void> {
  const pub = await RatePublisher.connect({ url: broker.url, window: 500 });
  for (let i = from; i < to; i++) await pub.publish(`${prefix}/a${i % 4}/telemetry`, message(`a${i % 4}`, i));
  for (const payload of extra) await pub.publish(`${prefix}/bad/telemetry`, payload);
  await pub.close();
}

describe('MQTT ingest', () => {
  it('messages sent while the ingester is down are read when it returns; bad payloads rejected; count in = stored + rejected', async () => {
    const id = unique('down-up');
    sessions.push(id);
    const prefix = `leadtime-test/${id}`;
    const store = await DuckDbTelemetryStore.open(join(tempDir('mqtt'), 't.duckdb'));
    try {
      const reader = (): MqttReader =>
        new MqttReader({
          url: broker.url,
          topics: [`${prefix}/+/telemetry`],
          clientId: id,
          idleMs: 1500,
          maxMessageBytes: 2000,
        });
      // first session: subscribe, read 400 good messages and 3 bad ones
      const first = ingest(reader(), store, { maxBatchAgeMs: 50 });
      await new Promise((r) => setTimeout(r, 300));
      await publish(prefix, 0, 400, [
        '{"asset":"a0","t":1,',
        JSON.stringify({ asset: 'a0', values: { x: 1 } }),
        JSON.stringify({ asset: 'a0', t: 5, channel: 'x', value: 1, pad: 'z'.repeat(3000) }),
      ]);
      const s1 = await first;
      // down: 600 more are published with nobody connected
      await publish(prefix, 400, 1000);
      // back up with the same session
      const s2 = await ingest(reader(), store, { maxBatchAgeMs: 50 });
      expect(s1.records + s2.records).toBe(1003);
      expect(s1.rejected).toBe(3);
      expect(s2.records).toBeGreaterThanOrEqual(600);
      expect(s1.stored + s2.stored).toBe(2000);
      expect((await store.counts()).samples).toBe(2000);
      const reasons = (await store.rejected()).map((r) => r.reason).join('\n');
      expect(reasons).toMatch(/malformed JSON/);
      expect(reasons).toMatch(/missing t/);
      expect(reasons).toMatch(/over the 2000-byte limit/);
      expect((await store.rejected())[0].position).toMatch(
        new RegExp(`^topic ${prefix}/bad/telemetry message \\d+`),
      );
    } finally {
      store.close();
    }
  });

  it('kill -9 of the ingester mid-stream loses nothing: unacknowledged messages come back to the restarted session', async () => {
    const id = unique('kill');
    sessions.push(id);
    const prefix = `leadtime-test/${id}`;
    const home = tempDir('mqtt-kill');
    const args = [
      '--home',
      home,
      'ingest',
      'mqtt',
      '--url',
      broker.url,
      '--topic',
      `${prefix}/+/telemetry`,
      '--client-id',
      id,
      '--max-batch-age',
      '20',
      '--batch-size',
      '200',
    ];
    const child = spawnCli([...args, '--log-commits']);
    let commits = 0;
    let out = '';
    let onSubscribed: () => void;
    const subscribed = new Promise<void>((resolve) => (onSubscribed = resolve));
    const killed = new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('subscribed to')) onSubscribed();
        commits = (out.match(/"committed"/g) ?? []).length;
        if (commits >= 3 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () =>
        child.killed ? resolve() : reject(new Error(`ingester exited on its own: ${out}`)),
      );
    });
    // from here on the broker keeps messages for this session
    await subscribed;
    const N = 3000;
    const publishing = publish(prefix, 0, N);
    await killed;
    await publishing;
    const again = await runCli([...args, '--idle-exit', '2', '--json']);
    expect(again.code).toBe(0);
    const store = await DuckDbTelemetryStore.open(storePath(home));
    try {
      const runs = await store.runs();
      expect(runs[0].status).toBe('interrupted');
      expect(runs[0].stored).toBeGreaterThan(0);
      expect((await store.counts()).samples).toBe(2 * N);
      expect((await store.counts()).rejected).toBe(0);
    } finally {
      store.close();
    }
  });

  it('generate fleet --publish replays the synthetic fleet live; waveforms carry geometry, so envelope features are computed', async () => {
    const id = unique('fleet');
    sessions.push(id);
    const config = validate(
      FleetConfig,
      { assets: 2, interval: '3d', sampleRateHz: 8192, snapshotSeconds: 0.25 },
      'test',
    );
    const snapshots = planFleet(config).assets.reduce((n, a) => n + a.times.length, 0);
    const store = await DuckDbTelemetryStore.open(join(tempDir('mqtt-fleet'), 't.duckdb'));
    try {
      let subscribed!: () => void;
      const ready = new Promise<void>((r) => (subscribed = r));
      const run = ingest(
        new MqttReader({
          url: broker.url,
          topics: [`${id}/+/+/telemetry`],
          clientId: id,
          idleMs: 1500,
          onSubscribed: () => subscribed(),
        }),
        store,
        { maxBatchAgeMs: 50 },
      );
      await ready;
      const pub = await publishFleet(config, { url: broker.url, rate: 500, topicPrefix: `${id}/site` });
      expect(pub.messages).toBe(2 * snapshots);
      const s = await run;
      expect(s).toMatchObject({ records: 2 * snapshots, stored: 4 * snapshots, rejected: 0 });
      const m = await store.featureMatrix();
      expect(m.rows).toHaveLength(snapshots);
      for (const name of ['env_bpfo', 'env_bpfi', 'env_bsf', 'env_ftf']) {
        expect(m.rows.every((r) => (r.values[m.columns.indexOf(name)] ?? -1) >= 0)).toBe(true);
      }
    } finally {
      store.close();
    }
  });
});
