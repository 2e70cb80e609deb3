/**
 * The live loop on each store: `npx tsx bench/live-loop.ts [mqtt] [http]` or `npm run bench -- live-loop`.
 *
 * 1. mqtt: live ingest records/s through `leadtime ingest mqtt --share` processes into the DuckDB
 *    file and into PostgreSQL, with 1 and 2 workers: 200,000 sample records in 4,000 messages of
 *    50 NDJSON lines (so the publisher is not what is measured), timed from the first publish to
 *    the last record committed, best of 3 rounds; the workers are started and subscribed first. DuckDB allows one
 *    process per file, so its 2 workers write 2 files (two stores, not one); PostgreSQL's 2
 *    workers write one database. The broker is a private `mosquitto` with `max_queued_messages 0`
 *    (no limit): the publisher outruns the subscribers, and at Mosquitto's default of 1,000 queued
 *    messages per session the rest would be dropped (as the issue's outage lost them).
 * 2. http: `POST /v1/telemetry` with 1,000-record bodies (autocannon, 4 connections, 10 s) against
 *    a `leadtime serve` process on each store; every request new keys. Reference: the same
 *    1,000-record batches through the ingest pipeline in this process, without HTTP (`ingest()`
 *    into a fresh store of the same kind), so the ratio is what HTTP, JSON and the route cost.
 *
 * Ratios printed: PostgreSQL vs DuckDB, 2 workers vs 1, HTTP vs the direct pipeline. Next to the
 * records/s (wall time, which other jobs on a shared machine move a lot), the CPU seconds per
 * 1,000 records of the processes doing the work (workers or server, and with PostgreSQL its
 * backends for the bench's database, from /proc), which they do not. PostgreSQL at
 * LEADTIME_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres; fresh databases, dropped
 * after). A part whose service does not answer is skipped with the reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import {
  ingest,
  openTelemetryStore,
  RatePublisher,
  type ReaderRecord,
  type TelemetryReader,
} from '../ingest/index.ts';
import { cpuWithBackends, pgUnavailable, withScratchDatabase } from './pg-bench.lib.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'api', 'cli.ts');
const T0 = 1_767_225_600_000;
const children: ChildProcess[] = [];
const temps: string[] = [];

const temp = (tag: string): string => {
  const d = mkdtempSync(join(tmpdir(), `leadtime-bench-${tag}-`));
  temps.push(d);
  return d;
};

/** A leadtime process; resolves once `ready` appears on stdout or stderr. */
function start(
  args: string[],
  ready: string,
): Promise<{ child: ChildProcess; err: () => string; out: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '',
    err = '';
  return new Promise((res, rej) => {
    const check = (): void => {
      if (out.includes(ready) || err.includes(ready)) res({ child, err: () => err, out: () => out });
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), check()));
    child.once('exit', (code) => rej(new Error(`leadtime ${args.join(' ')} exited (${code}): ${err}`)));
  });
}

async function stop(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  await exited;
}

type Store = 'duckdb' | 'postgres';
const rate = (r: { records: number; seconds: number }): number => r.records / r.seconds;
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

// ---- 1. MQTT ingest ------------------------------------------------------------------------------

const MESSAGES = 4000;
const PER_MESSAGE = 50;

const ROUNDS = 3;

/**
 * Publishes the 4,000 messages (QoS 1, 200 unacknowledged at most) under `<prefix>/a<k>/telemetry`;
 * round r has times of its own, so every round's records are new keys.
 */
async function publishAll(brokerUrl: string, prefix: string, round = 0): Promise<void> {
  const pub = await RatePublisher.connect({ url: brokerUrl, window: 200 });
  let k = round * MESSAGES * PER_MESSAGE;
  for (let m = 0; m < MESSAGES; m++) {
    const lines: string[] = [];
    for (let j = 0; j < PER_MESSAGE; j++, k++)
      lines.push(
        JSON.stringify({ asset: `a${k % 8}`, channel: 'x', t: T0 + Math.floor(k / 8) * 1000, value: k }),
      );
    await pub.publish(`${prefix}/a${m % 8}/telemetry`, lines.join('\n'));
  }
  await pub.close();
}

/** Best of ROUNDS rounds on the same workers (started and subscribed before the first). */
async function mqttIngest(
  brokerUrl: string,
  store: Store,
  n: number,
): Promise<{ records: number; seconds: number; split: number[]; rounds: number[]; cpu: number }> {
  const run = async (url: string) => {
    const id = `leadtime-bench-live-${process.pid}-${store}-${n}`;
    const counts = new Array<number>(n).fill(0);
    const perRound = MESSAGES * PER_MESSAGE;
    let target = perRound;
    let reached = 0;
    const workers = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        start(
          [
            ...['--home', temp('live-w'), ...(url ? ['--store', url] : [])],
            ...['ingest', 'mqtt', '--url', brokerUrl, '--topic', `${id}/+/telemetry`, '--share', id],
            ...['--client-id', `${id}-${i}`, '--log-commits', '--idle-exit', '300'],
          ],
          'subscribed to',
        ).then((w) => {
          w.child.stderr!.on('data', () => {
            const all = [...w.err().matchAll(/"committed":\{"runId":\d+,"records":(\d+)/g)];
            if (all.length) counts[i] = Number(all[all.length - 1][1]);
            if (counts.reduce((a, b) => a + b, 0) >= target && !reached) reached = performance.now();
          });
          return w;
        }),
      ),
    );
    try {
      const seconds: number[] = [];
      const cpu: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        target = (round + 1) * perRound;
        reached = 0;
        const pids = workers.map((w) => w.child.pid!);
        const c0 = await cpuWithBackends(pids, url);
        const t0 = performance.now();
        await publishAll(brokerUrl, id, round);
        for (let i = 0; i < 6000 && !reached; i++) await new Promise((r) => setTimeout(r, 20));
        if (!reached)
          throw new Error(`${store}, ${n} workers: ${counts.join('+')} of ${target} records stored in 120 s`);
        seconds.push((reached - t0) / 1000);
        cpu.push((await cpuWithBackends(pids, url)) - c0);
      }
      return {
        records: perRound,
        seconds: Math.min(...seconds),
        split: counts,
        rounds: seconds,
        cpu: Math.min(...cpu),
      };
    } finally {
      await Promise.all(workers.map((w) => stop(w.child)));
      for (let i = 0; i < n; i++) {
        const c = await mqtt
          .connectAsync(brokerUrl, { clientId: `${id}-${i}`, clean: true, reconnectPeriod: 0 })
          .catch(() => undefined);
        await c?.endAsync();
      }
    }
  };
  return store === 'duckdb' ? run('') : withScratchDatabase(run);
}

/** A private mosquitto on a free loopback port with no queue limit; undefined if it cannot start. */
async function privateMosquitto(): Promise<{ url: string; close: () => void } | undefined> {
  const port = await new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => res(p));
    });
  });
  const conf = join(temp('mosquitto'), 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 0',
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  children.push(child);
  child.on('error', () => {}); // no mosquitto binary: reported below
  const url = `mqtt://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && child.exitCode === null; i++) {
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
  return undefined;
}

async function mqttPart(pgWhy: string | undefined): Promise<void> {
  const broker = await privateMosquitto();
  if (!broker) return console.log('MQTT part skipped: cannot start mosquitto (apt-get install mosquitto)');
  try {
    console.log(
      `live ingest through ingest mqtt --share: ${MESSAGES * PER_MESSAGE} records in ${MESSAGES} messages of ${PER_MESSAGE}, best of ${ROUNDS} rounds`,
    );
    // the ceiling: the same publishing with nobody subscribed
    const alone: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now();
      await publishAll(broker.url, `leadtime-bench-nobody-${process.pid}`, round);
      alone.push((performance.now() - t0) / 1000);
    }
    const ceiling = (MESSAGES * PER_MESSAGE) / Math.min(...alone);
    console.log(`  the publisher alone, nobody subscribed: ${Math.round(ceiling)} records/s`);
    const r: Partial<Record<`${Store}-${number}`, number>> = {};
    const cpuPerK: Partial<Record<`${Store}-${number}`, number>> = {};
    for (const store of ['duckdb', 'postgres'] as const) {
      if (store === 'postgres' && pgWhy) {
        console.log(`  PostgreSQL skipped: ${pgWhy}`);
        continue;
      }
      for (const n of [1, 2]) {
        const m = await mqttIngest(broker.url, store, n);
        r[`${store}-${n}`] = rate(m);
        // CPU per 1,000 records: the workers, plus PostgreSQL's backends for this database
        const perK = (m.cpu / m.records) * 1000;
        cpuPerK[`${store}-${n}`] = perK;
        const label = store === 'duckdb' ? (n === 1 ? 'DuckDB file' : 'DuckDB, 2 files') : 'PostgreSQL';
        console.log(
          `  ${label.padEnd(16)} ${n} worker${n > 1 ? 's' : ' '}  ${String(Math.round(rate(m))).padStart(6)} records/s (best of ${m.rounds.map((t) => t.toFixed(2)).join(', ')} s; ${m.split.join(' + ')} records), CPU ${(perK * 1000).toFixed(1)} ms per 1,000 records${store === 'postgres' ? ' with the backends' : ''}` +
            (n === 2 ? `: ${x(rate(m), r[`${store}-1`]!)} 1 worker` : ''),
        );
      }
    }
    if (r['postgres-1'] && r['duckdb-1'])
      console.log(
        `  PostgreSQL vs DuckDB: records/s 1 worker ${x(r['postgres-1'], r['duckdb-1'])}, 2 workers ${x(r['postgres-2']!, r['duckdb-2']!)}; CPU per record 1 worker ${x(cpuPerK['postgres-1']!, cpuPerK['duckdb-1']!)}, 2 workers ${x(cpuPerK['postgres-2']!, cpuPerK['duckdb-2']!)}`,
      );
  } finally {
    broker.close();
  }
}

// ---- 2. POST /v1/telemetry with 1,000-record bodies ----------------------------------------------

const PER_BODY = 1000;
const CONNECTIONS = 4;
const SECONDS = Number(process.env.LEADTIME_BENCH_SECONDS ?? 10);
const TOKEN = 'bench-token-0123456789abcdef';

interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}
interface CannonRequest {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: CannonRequest) => CannonRequest;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests?: CannonRequest[];
}) => Promise<CannonResult>;
// autocannon is CommonJS without bundled types
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/** Body b: 1,000 sample records with keys no other body has (10 assets x 100 times). */
function body(b: number): string {
  const parts: string[] = [];
  for (let i = 0; i < PER_BODY; i++)
    parts.push(
      `{"asset":"h${i % 10}","channel":"x","t":${T0 + (b * 100 + Math.floor(i / 10)) * 1000},"value":${i}}`,
    );
  return `[${parts.join(',')}]`;
}

/** The same batches through ingest() in this process: one run per 1,000 records, as per request. */
async function direct(
  url: string,
  batches: number,
): Promise<{ records: number; seconds: number; cpuPerK: number }> {
  const store = await openTelemetryStore(temp('direct'), url);
  try {
    const c0 = await cpuWithBackends([process.pid], url);
    const t0 = performance.now();
    for (let b = 0; b < batches; b++) {
      const records = JSON.parse(body(b)) as { asset: string; channel: string; t: number; value: number }[];
      const reader: TelemetryReader = {
        format: 'json',
        source: 'bench',
        timeUnit: 'ms',
        async *records(): AsyncGenerator<ReaderRecord> {
          for (let i = 0; i < records.length; i++)
            yield { kind: 'samples', position: `record ${i + 1}`, raw: '', samples: [records[i]] };
        },
      };
      await ingest(reader, store);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = (await cpuWithBackends([process.pid], url)) - c0;
    return { records: batches * PER_BODY, seconds, cpuPerK: (cpu / (batches * PER_BODY)) * 1000 };
  } finally {
    await store.close();
  }
}

async function httpIngest(url: string) {
  const config = join(temp('serve'), 'server.yaml');
  writeFileSync(config, `tokens: [${TOKEN}]\nrateLimit: { max: 1000000000, window: 1m }\n`);
  const server = await start(
    [
      '--home',
      temp('serve-home'),
      ...(url ? ['--store', url] : []),
      'serve',
      '--port',
      '0',
      '--config',
      config,
    ],
    'listening on',
  );
  try {
    const address = /listening on (http:\/\/\S+)/.exec(server.out())![1];
    let next = 0;
    const c0 = await cpuWithBackends([server.child.pid!], url);
    const r = await autocannon({
      url: address,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 60,
      requests: [
        {
          method: 'POST',
          path: '/v1/telemetry',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: body(next++) }),
        },
      ],
    });
    const status = (await (await fetch(`${address}/v1/status`)).json()) as { samples: number };
    const cpu = (await cpuWithBackends([server.child.pid!], url)) - c0;
    const ok = r['2xx'];
    return {
      records: ok * PER_BODY,
      seconds: r.duration,
      requests: ok,
      failed: r.non2xx + r.errors + r.timeouts,
      p50: r.latency.p50,
      p99: r.latency.p99,
      stored: status.samples,
      cpuPerK: (cpu / status.samples) * 1000,
    };
  } finally {
    await stop(server.child);
  }
}

async function httpPart(pgWhy: string | undefined): Promise<void> {
  console.log(
    `POST /v1/telemetry, ${PER_BODY}-record bodies, ${CONNECTIONS} connections, ${SECONDS} s, a leadtime serve process`,
  );
  const http: Partial<Record<Store, number>> = {};
  const httpCpu: Partial<Record<Store, number>> = {};
  for (const store of ['duckdb', 'postgres'] as const) {
    if (store === 'postgres' && pgWhy) {
      console.log(`  PostgreSQL skipped: ${pgWhy}`);
      continue;
    }
    const h = store === 'duckdb' ? await httpIngest('') : await withScratchDatabase(httpIngest);
    http[store] = rate(h);
    httpCpu[store] = h.cpuPerK;
    // the direct pipeline on as many batches as HTTP took (at least 20)
    const batches = Math.max(20, Math.min(200, h.requests));
    const d =
      store === 'duckdb' ? await direct('', batches) : await withScratchDatabase((u) => direct(u, batches));
    console.log(
      `  ${(store === 'duckdb' ? 'DuckDB file' : 'PostgreSQL').padEnd(12)} ${String(Math.round(rate(h))).padStart(6)} records/s (${(h.requests / h.seconds).toFixed(1)} requests/s, p50 ${h.p50} ms, p99 ${h.p99} ms, ${h.failed} failed; ${h.stored} stored, ${h.records} acknowledged; CPU ${(h.cpuPerK * 1000).toFixed(1)} ms per 1,000 records)` +
        `; ingest() without HTTP ${Math.round(rate(d))} records/s, CPU ${(d.cpuPerK * 1000).toFixed(1)} ms per 1,000: HTTP ${x(rate(h), rate(d))} the records/s, ${x(h.cpuPerK, d.cpuPerK)} the CPU`,
    );
  }
  if (http.postgres && http.duckdb)
    console.log(
      `  PostgreSQL vs DuckDB: records/s ${x(http.postgres, http.duckdb)}, CPU per record ${x(httpCpu.postgres!, httpCpu.duckdb!)}`,
    );
}

const parts = process.argv.slice(2);
const want = (p: string): boolean => parts.length === 0 || parts.includes(p);
try {
  const pgWhy = await pgUnavailable();
  if (want('mqtt')) await mqttPart(pgWhy);
  if (want('http')) await httpPart(pgWhy);
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of temps) rmSync(d, { recursive: true, force: true });
}
