/**
 * The live loop past one machine, all on real services and real processes (each spawned as a user
 * runs it, `node --import tsx api/cli.ts ...`): one PostgreSQL store (a database of its own), one
 * `leadtime serve` on it, two `leadtime ingest mqtt --share` workers on Mosquitto (a topic and
 * group of their own), two `leadtime tickets dispatch` processes, and a loopback webhook receiver.
 * leadtime's own publisher publishes a synthetic fleet (scalars and vibration snapshots) while the
 * server opens tickets; one worker and one dispatcher are killed with SIGKILL mid-stream and
 * restarted. Afterwards every published record is stored exactly once (by exactly one run), the
 * server sees the fleet whole (no series with a hole), and every ticket event in the outbox reached
 * the receiver with each idempotency key applied once, in per-ticket order.
 *
 * Skipped with the reason printed when PostgreSQL or Mosquitto is absent, except under CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { validate } from '../../core/index.ts';
import { FleetConfig, openTelemetryStore, planFleet, publishFleet, writeFleet } from '../../ingest/index.ts';
import { openTicketStore } from '../../tickets/index.ts';
import { startTestBroker } from '../../bench/ingest-broker.lib.ts';
import { dropPgDatabases, freshPgUrl, pgAvailable } from '../store-backends.ts';
import { fleetEvaluations } from '../tickets/helpers.ts';
import { Receiver } from '../tickets/receiver.ts';
import { tempDir } from '../ingest/helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const SECRET = 'live-chaos-secret';
const TOKEN = 'live-chaos-token-0123456789';
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  // every process this file started is gone, whatever happened above
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f().catch(() => undefined);
  await dropPgDatabases();
});

const broker = await startTestBroker();
cleanups.push(() => broker.close());
const mosquitto = broker.kind === 'mosquitto';
if (!mosquitto && process.env.CI)
  throw new Error(
    'CI is set but Mosquitto is not on 127.0.0.1:1883 (the shared-subscription chaos test needs it)',
  );
if (!mosquitto)
  console.warn('skipping the live-loop chaos test: Mosquitto is not on 127.0.0.1:1883 (Aedes has no $share)');

interface Proc {
  name: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves when the stderr/stdout text satisfies `test` (false if the process ends first) */
  until(test: (out: string, err: string) => boolean): Promise<boolean>;
  done: Promise<{ code: number | null; signal: string | null }>;
}

function leadtime(name: string, args: string[]): Proc {
  const child = spawn(process.execPath, [resolve(root, 'bin/leadtime.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  // a process that hangs is stopped by the test, never left behind
  const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
  let out = '',
    err = '';
  const waiters: { test: (o: string, e: string) => boolean; resolve: (v: boolean) => void }[] = [];
  const check = (): void => {
    for (const w of waiters.splice(0)) {
      if (w.test(out, err)) w.resolve(true);
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    check();
  });
  const done = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      for (const w of waiters.splice(0)) w.resolve(false);
      r({ code, signal });
    }),
  );
  return {
    name,
    child,
    stdout: () => out,
    stderr: () => err,
    until: (test) =>
      test(out, err) ? Promise.resolve(true) : new Promise((r) => waiters.push({ test, resolve: r })),
    done,
  };
}

const t0 = performance.now();
const phase = (what: string): void =>
  console.log(`live-loop chaos: ${((performance.now() - t0) / 1000).toFixed(1)} s ${what}`);

const count = (text: string, re: RegExp): number => (text.match(re) ?? []).length;

async function poll<T>(
  what: string,
  get: () => Promise<T>,
  ok: (v: T) => boolean,
  seconds = 120,
): Promise<T> {
  const end = Date.now() + seconds * 1000;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await get().catch(() => undefined);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not reached in ${seconds} s (last: ${JSON.stringify(last)})`);
}

describe.skipIf(!pgAvailable || !mosquitto)('the live loop on a shared PostgreSQL store (chaos)', () => {
  it('2 share workers, 2 dispatchers, 1 server; a worker and a dispatcher killed -9 mid-stream: every record stored once, every event applied once', async () => {
    const url = await freshPgUrl();
    const id = `ltchaos${process.pid}${Date.now().toString(36)}`;
    const rx = await new Receiver(SECRET).start();
    cleanups.push(() => rx.stop());
    cleanups.push(async () => {
      // the workers' persistent sessions on the shared broker
      for (const clientId of [`${id}-w0`, `${id}-w1`]) {
        const c = await mqtt.connectAsync(broker.url, {
          clientId,
          clean: true,
          protocolVersion: 5,
          reconnectPeriod: 0,
          connectTimeout: 3000,
        });
        await c.endAsync();
      }
    });

    // the fleet: 5 bearings run to failure, a snapshot every 12 h (scalars + a 50 ms vibration snapshot)
    const config = validate(
      FleetConfig,
      { assets: 5, interval: '12h', seed: 4, snapshotSeconds: 0.05 },
      'chaos fleet',
    );
    const plan = planFleet(config);
    const snapshots = plan.assets.reduce((n, a) => n + a.times.length, 0);
    const fleetDir = tempDir('chaos-fleet');
    writeFleet(config, fleetDir); // for its truth.csv: the server's RUL library
    const serverConfigFile = join(tempDir('chaos-server'), 'server.yaml');
    writeFileSync(serverConfigFile, `tokens: [${TOKEN}]\n`);

    // 1. the server, on the shared store (a machine of its own: its own home)
    const server = leadtime('server', [
      ...['--home', tempDir('chaos-home-s'), '--store', url, 'serve', '--port', '0'],
      ...['--config', serverConfigFile, '--failures', join(fleetDir, 'truth.csv')],
    ]);
    expect(await server.until((o) => /listening on http:\/\/\S+/.test(o))).toBe(true);
    const api = /listening on (http:\/\/\S+)/.exec(server.stdout())![1];
    const get = async (path: string) => {
      const r = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(10_000) });
      if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      if (!r.ok) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
      return r.json();
    };

    phase('server listening');
    // 2. two ingest workers in one shared-subscription group, each a persistent session of its own
    const worker = (i: number) =>
      leadtime(`worker ${i}`, [
        ...['--home', tempDir(`chaos-home-w${i}`), '--store', url, 'ingest', 'mqtt', '--url', broker.url],
        ...['--topic', `${id}/site/+/telemetry`, '--share', id, '--client-id', `${id}-w${i}`],
        ...['--max-batch-age', '50', '--log-commits', '--json', '--idle-exit', '200'],
      ]);
    const subscribed = (p: Proc) => p.until((_o, e) => e.includes('subscribed to'));
    let w0 = worker(0);
    const w1 = worker(1);
    expect(await Promise.all([subscribed(w0), subscribed(w1)])).toEqual([true, true]);

    phase('workers subscribed');
    // 3. tickets opened through the server's API before the stream: 20 tickets, 40 events
    const opened = (await post('/v1/tickets/evaluations', fleetEvaluations(20))) as {
      results: { action: string }[];
    };
    expect(opened.results.filter((r) => r.action === 'open')).toHaveLength(20);

    phase('20 tickets opened');
    // 4. the stream and the deliveries at once; worker 0 killed after its 2nd commit, dispatcher 1
    // after its 3rd attempt, each restarted at once (same client id: the same broker session)
    rx.delayMs = 150;
    const dispatcher = (i: number) =>
      leadtime(`dispatcher ${i}`, [
        ...['--home', tempDir(`chaos-home-d${i}`), '--store', url, 'tickets', 'dispatch', '--url', rx.url],
        ...['--secret', SECRET, '--until-empty', '--base-delay', '20ms', '--concurrency', '2'],
        // short leases: an --until-empty dispatcher sleeps until the other's leases end before it
        // exits, and the killed one's claimed events wait theirs out (requests take 150 ms)
        ...['--lease', '4s', '--timeout', '2s', '--log-attempts', '--json'],
      ]);
    let d1 = dispatcher(1);
    const d2 = dispatcher(2);
    const publishing = publishFleet(config, {
      url: broker.url,
      rate: 60,
      what: 'all',
      topicPrefix: `${id}/site`,
    });
    const workerKill = (async () => {
      expect(await w0.until((_o, e) => count(e, /"committed"/g) >= 2)).toBe(true);
      w0.child.kill('SIGKILL');
      expect((await w0.done).signal).toBe('SIGKILL');
      w0 = worker(0);
      expect(await subscribed(w0)).toBe(true);
    })();
    const dispatcherKill = (async () => {
      expect(await d1.until((_o, e) => count(e, /^\{"attempt"/gm) >= 3)).toBe(true);
      d1.child.kill('SIGKILL');
      expect((await d1.done).signal).toBe('SIGKILL');
      d1 = dispatcher(1);
    })();
    const pub = await publishing;
    phase('published; kills done');
    await Promise.all([workerKill, dispatcherKill]);
    expect(pub.failures).toBe(0);
    expect(pub.messages).toBe(2 * snapshots);
    // the kill came mid-stream: the restarted worker still had messages to take
    const status = (await poll(
      'every record stored',
      () => get('/v1/status') as Promise<{ samples: number; features: number }>,
      (s) => s.samples === 3 * snapshots && s.features === snapshots,
    )) as { samples: number; features: number; store: string };
    expect(status.store).not.toMatch(/duckdb/);

    phase('all stored');
    // the server sees the fleet whole: no series with a hole; the only series that "stopped" are the
    // bearings that failed more than 3 intervals (36 h) before the last one, as planned
    const H12 = 12 * 3_600_000;
    for (const a of plan.assets)
      expect(a.times.slice(1).map((t, i) => Math.round(t) - Math.round(a.times[i]))).toEqual(
        a.times.slice(1).map(() => H12),
      );
    const newest = Math.max(...plan.assets.map((a) => Math.round(a.times[a.times.length - 1])));
    const stoppedAssets = plan.assets
      .filter((a) => newest - Math.round(a.times[a.times.length - 1]) > 3 * H12)
      .map((a) => a.asset);
    const quality = (await get('/v1/quality/gaps')) as {
      totals: { series: number; withGaps: number; stopped: number; missingEstimate: number };
      series: { asset: string; stopped: boolean }[];
    };
    expect(quality.totals).toEqual({
      series: 3 * plan.assets.length,
      withGaps: 0,
      stopped: 3 * stoppedAssets.length,
      missingEstimate: 0,
    });
    expect([...new Set(quality.series.map((x) => x.asset))].sort()).toEqual(stoppedAssets.sort());

    // 5. the server evaluates the fleet it now sees whole (RUL from truth.csv): more tickets
    const fleet = (await post('/v1/tickets/evaluate-fleet', {})) as {
      evaluated: number;
      results: { action: string }[];
    };
    expect(fleet.evaluated).toBe(snapshots);
    expect(fleet.results.filter((r) => r.action === 'open').length).toBeGreaterThan(0);
    phase('fleet evaluated');
    const [r1, r2] = await Promise.all([d1.done, d2.done]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    phase('dispatchers 1, 2 done');
    const d3 = dispatcher(3); // delivers what the fleet evaluation opened
    expect((await d3.done).code).toBe(0);

    phase('dispatcher 3 done');
    // 6. the workers and the server stop cleanly
    for (const p of [w0, w1, server]) p.child.kill('SIGINT');
    const ends = await Promise.all([w0.done, w1.done, server.done]);
    expect(ends.map((e) => e.code)).toEqual([0, 0, 0]);

    phase('stopped');
    // every published record stored exactly once: the union of what each run stored is the fleet,
    // no key stored by two runs, and the killed run's commits are among them
    const store = await openTelemetryStore(tempDir('chaos-check'), url);
    try {
      const runs = await store.runs();
      // all three are `interrupted` (a live run ends on a signal); the killed one never finished
      expect(runs.map((r) => r.status)).toEqual(['interrupted', 'interrupted', 'interrupted']);
      expect(runs.filter((r) => r.finishedAt === null)).toHaveLength(1);
      const keys = (await Promise.all(runs.map((r) => store.storedKeys(r.runId)))).map((ks) =>
        ks.map((k) => `${k.asset}|${k.channel}|${k.t}`),
      );
      const expected = plan.assets.flatMap((a) =>
        a.times.flatMap((t) =>
          ['temperature', 'load', 'speed', 'vib'].map((ch) => `${a.asset}|${ch}|${Math.round(t)}`),
        ),
      );
      expect(keys.flat().length).toBe(expected.length);
      expect(new Set(keys.flat())).toEqual(new Set(expected));
      expect(keys.every((k) => k.length > 0)).toBe(true);
      expect(await store.counts()).toMatchObject({
        samples: 3 * snapshots,
        features: snapshots,
        rejected: 0,
      });
      // the two that ran to the end were members of the group: each saw part of the numbers
      for (const r of runs.filter((x) => x.finishedAt !== null)) {
        const report = JSON.parse(r.report!) as {
          share: string;
          publishers: { publisher: string; missing: null }[];
        };
        expect(report.share).toBe(id);
        expect(report.publishers).toMatchObject([{ publisher: pub.publisher, missing: null }]);
      }
      const summaries = [w0, w1].map(
        (w) => JSON.parse(w.stdout()) as { stored: number; publishers: unknown[] },
      );
      expect(summaries.every((s) => s.stored > 0)).toBe(true);
    } finally {
      await store.close();
    }

    // every ticket event reached the receiver; each idempotency key applied once, in order
    const tickets = await openTicketStore(tempDir('chaos-check-t'), url);
    const outbox = await tickets.outbox();
    await tickets.close();
    expect(outbox.length).toBeGreaterThan(40);
    expect(outbox.every((e) => e.state === 'delivered')).toBe(true);
    const all = new Set(outbox.map((e) => e.idempotencyKey));
    expect(all.size).toBe(outbox.length);
    expect(rx.applied).toEqual(all);
    expect(rx.keys()).toEqual(all);
    expect(rx.orderErrors).toEqual([]);
    expect(rx.received.every((r) => r.signatureOk)).toBe(true);
    // at least once: only what the killed dispatcher had in flight (its concurrency, 2) came twice
    expect(rx.received.length - all.size).toBe(rx.duplicates);
    expect(rx.duplicates).toBeLessThanOrEqual(2);
    phase(
      `${pub.messages} messages (${3 * snapshots} samples, ${snapshots} snapshots) stored once each; ${outbox.length} ticket events (${fleet.results.filter((r) => r.action === 'open').length} tickets from the fleet evaluation) applied once each, ${rx.duplicates} delivered twice`,
    );
  }, 300_000);
});
