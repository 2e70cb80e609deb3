/**
 * Regression tests of issue 16's server findings, each as the probe that found it: header
 * respellings and token guessing against the rate limits, jobs that would occupy the server,
 * records with thousands of channels, unbounded query numbers, deep JSON, prototype keys,
 * symlinks out of the data directory, missing security headers, bodies that never finish.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type App } from '../../api/server/index.ts';
import { startServer } from '../../api/commands/serve.ts';
import { auth, serverConfig, SMALL_SCENARIO, tempHome, TOKEN, waitFor } from '../api/server-helpers.ts';

const json = (r: { body: string }) => JSON.parse(r.body);

describe('rate limits', () => {
  it('respelling the Authorization header buys no new budget once the token hit 429', async () => {
    const { app } = await buildApp({
      home: tempHome(),
      config: serverConfig({ rateLimit: { max: 5, window: '1m' } }),
    });
    try {
      const post = (authorization: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/telemetry',
          headers: { authorization, 'content-type': 'application/json' },
          payload: [{ asset: 'a', channel: 'c', t: 1, value: 1 }],
        });
      for (let i = 0; i < 5; i++) expect((await post(`Bearer ${TOKEN}`)).statusCode).toBe(200);
      expect((await post(`Bearer ${TOKEN}`)).statusCode).toBe(429);
      const spellings = ['bearer', 'BEARER', 'BeArEr', 'Bearer ', 'Bearer\t', 'Bearer  ', ' Bearer'].flatMap(
        (b) => [`${b} ${TOKEN}`, `${b} ${TOKEN}  `],
      );
      for (const s of spellings) expect((await post(s)).statusCode, JSON.stringify(s)).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('failed authentications from one address are limited: 401 up to the limit, then 429 even for a good token', async () => {
    const { app } = await buildApp({
      home: tempHome(),
      config: serverConfig({ limits: { authFailures: 4 } } as never),
    });
    try {
      const post = (token: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/telemetry',
          headers: { authorization: `Bearer ${token}` },
          payload: [{ asset: 'a', channel: 'c', t: 1, value: 1 }],
        });
      for (let i = 0; i < 4; i++) expect((await post(`guess-${i}-0123456789abcdef`)).statusCode).toBe(401);
      const blocked = await post(`guess-5-0123456789abcdef`);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(TOKEN)).statusCode).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('jobs cannot occupy the server', () => {
  let built: App;
  let app: FastifyInstance;
  beforeAll(async () => {
    built = await buildApp({
      home: tempHome(),
      config: serverConfig({ limits: { pendingJobs: 2, jobWork: 100_000 } } as never),
    });
    app = built.app;
  });
  afterAll(() => app.close());

  const submit = (payload: object) =>
    app.inject({ method: 'POST', url: '/v1/simulations', headers: auth, payload });
  const long = { scenario: { ...SMALL_SCENARIO, horizon: '3000d' }, replications: 20 };

  it('20 staffing points x 1,000 replications x 100,000 days is refused at submission, naming the work', async () => {
    const r = await submit({
      scenario: { ...SMALL_SCENARIO, horizon: '100000d' },
      replications: 1000,
      staffing: { pool: 'engineers', sizes: Array.from({ length: 20 }, (_, i) => i + 1) },
    });
    expect(r.statusCode).toBe(400);
    // 1000 x 100000 x 20 = 2e9 replication-days, against the configured 100,000
    expect(json(r).message).toMatch(/= 2000000000 replication-days, over the limit of 100000/);
    expect(json(await app.inject({ url: '/v1/simulations' }))).toEqual([]);
  });

  it('the queue is bounded, and DELETE cancels a running job (its threads stopped) and a queued one', async () => {
    const a = json(await submit(long));
    const b = json(await submit(long));
    const c = await submit(long);
    expect(c.statusCode).toBe(429);
    expect(json(c).message).toMatch(/limit is 2/);
    await waitFor(
      async () => json(await app.inject({ url: `/v1/simulations/${a.id}` })),
      (j) => j.status === 'running',
    );
    const del = (id: string) => app.inject({ method: 'DELETE', url: `/v1/simulations/${id}`, headers: auth });
    expect((await app.inject({ method: 'DELETE', url: `/v1/simulations/${a.id}` })).statusCode).toBe(401);
    expect((await del(b.id)).statusCode).toBe(202);
    expect((await del(a.id)).statusCode).toBe(202);
    await built.ctx.jobs.idle();
    for (const id of [a.id, b.id]) {
      const j = json(await app.inject({ url: `/v1/simulations/${id}` }));
      expect(j.status).toBe('cancelled');
      expect(j.result).toBeUndefined();
    }
    expect((await del(a.id)).statusCode).toBe(409);
    expect((await del('no-such-job')).statusCode).toBe(404);
    // the queue has room again
    const d = await submit({ scenario: SMALL_SCENARIO });
    expect(d.statusCode).toBe(202);
    await built.ctx.jobs.idle();
    expect(json(await app.inject({ url: `/v1/simulations/${json(d).id}` })).status).toBe('done');
  });

  it('closing the server cancels a running job instead of waiting for it', async () => {
    const other = await buildApp({ home: tempHome(), config: serverConfig() });
    const r = await other.app.inject({
      method: 'POST',
      url: '/v1/simulations',
      headers: auth,
      payload: { scenario: { ...SMALL_SCENARIO, horizon: '2000d' }, replications: 50 },
    });
    const id = json(r).id;
    await waitFor(
      async () => other.ctx.jobs.get(id)!.status,
      (s) => s === 'running',
    );
    await other.app.close();
    expect(other.ctx.jobs.get(id)!.status).toBe('cancelled');
  });
});

describe('telemetry limits and errors', () => {
  let built: App;
  let app: FastifyInstance;
  beforeAll(async () => {
    built = await buildApp({
      home: tempHome(),
      config: serverConfig({ limits: { channelsPerRecord: 100, channelsPerAsset: 150 } } as never),
    });
    app = built.app;
  });
  afterAll(() => app.close());
  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/v1/telemetry', headers: auth, payload: payload as object });

  it('one record with t = 1e20 is rejected (field t, dead-lettered); the good records of the batch are stored', async () => {
    const r = await post([
      { asset: 'p', channel: 'c', t: 1000, value: 1 },
      { asset: 'p', channel: 'c', t: 1e20, value: 2 },
      { asset: 'p', channel: 'c', t: '2026-02-30T00:00:00Z', value: 3 },
      { asset: 'p', channel: 'c', t: 2000, value: 4 },
    ]);
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(body.results.map((x: { status: string }) => x.status)).toEqual([
      'stored',
      'rejected',
      'rejected',
      'stored',
    ]);
    expect(body.results[1].problems[0].field).toBe('t');
    expect(body.results[2].problems[0].reason).toMatch(/day 30 does not exist/);
    expect((await built.ctx.store.rejected({ runId: body.runId })).length).toBe(2);
  });

  it('channels: a record over the per-record limit and records passing the per-asset limit are rejected, the rest stored', async () => {
    const wide = (asset: string, from: number, n: number) => ({
      asset,
      t: 5000,
      values: Object.fromEntries(Array.from({ length: n }, (_, i) => [`ch${from + i}`, i])),
    });
    const r = json(
      await post([wide('w', 0, 10_000), wide('w', 0, 100), wide('w', 100, 60), wide('w', 100, 50)]),
    );
    expect(r.results.map((x: { status: string }) => x.status)).toEqual([
      'rejected',
      'stored',
      'rejected',
      'stored',
    ]);
    expect(r.results[0].problems[0].reason).toMatch(/10000 channels, over the limit of 100 per record/);
    expect(r.results[2].problems[0].reason).toMatch(/has 100 channels; 60 more would pass the limit of 150/);
    // the limit holds across requests: the asset now has 150 channels
    const next = json(await post([wide('w', 500, 1)]));
    expect(next.results[0].status).toBe('rejected');
    const assets = json(await app.inject({ url: '/v1/assets' }));
    expect(assets.assets.find((a: { asset: string }) => a.asset === 'w')).toBeDefined();
  });

  it('numbers in query strings are bounded by the schemas: 400 naming the field, never a 500', async () => {
    for (const url of [
      '/v1/telemetry/rejected?offset=1e20',
      '/v1/tickets/events?since=1e300',
      '/v1/assets/p/series?channel=c&from=1e308&to=1e309',
      '/v1/tickets?limit=1e20',
    ]) {
      const r = await app.inject({ url });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(json(r).message).toMatch(/querystring\.\w+: must be <=/);
      expect(r.body).not.toMatch(/SELECT|Conversion|duckdb/i);
    }
  });

  it('100,000-deep JSON is a 400 naming the depth limit; prototype keys are refused', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: deep,
    });
    expect(r.statusCode).toBe(400);
    expect(json(r).message).toMatch(/nested deeper than 32 levels/);
    const nd = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: `${deep}\n{"asset":"p","channel":"c","t":9000,"value":1}\n`,
    });
    expect(nd.statusCode).toBe(200);
    expect(json(nd).results.map((x: { status: string }) => x.status)).toEqual(['rejected', 'stored']);
    const proto = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"__proto__":{"x":1},"asset":"p","channel":"c","t":1,"value":1}',
    });
    expect(proto.statusCode).toBe(400);
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString'])
      expect((await app.inject({ url: `/vendor/${name}` })).statusCode).toBe(404);
  });

  it('an internal error answers 500 with a request id and no SQL, stack or path; the log has the details', async () => {
    const lines: string[] = [];
    const { app: a, ctx } = await buildApp({ home: tempHome(), config: serverConfig(), logger: true });
    // the store closed under the server: every query fails inside DuckDB
    ctx.store.close();
    a.log.error = ((obj: unknown) =>
      void lines.push(JSON.stringify(obj, Object.getOwnPropertyNames(obj as object)))) as never;
    const r = await a.inject({ url: '/v1/status' });
    expect(r.statusCode).toBe(500);
    const body = json(r);
    expect(body.requestId).toMatch(/^[0-9a-f-]{13}$/);
    expect(body.message).toBe(
      `internal error (request ${body.requestId}); the server log has the details under this id`,
    );
    expect(r.body).not.toMatch(/\/tmp|duckdb|SELECT|\n\s+at /i);
    await a.close().catch(() => {});
  });
});

describe('files, headers, timeouts', () => {
  it('a symlink inside the data directory that leads outside it is refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lt-data-'));
    const outside = mkdtempSync(join(tmpdir(), 'lt-outside-'));
    writeFileSync(join(outside, 'secret.txt'), '1 1 0 0 100 1 2 3\n');
    mkdirSync(join(root, 'cmapss'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'cmapss', 'link.txt'));
    symlinkSync(outside, join(root, 'dirlink'));
    const { app } = await buildApp({ home: tempHome(), config: serverConfig({ dataDir: root }) });
    try {
      for (const train of ['cmapss/link.txt', 'dirlink/secret.txt', '../' + 'x.txt']) {
        const r = await app.inject({
          method: 'POST',
          url: '/v1/models/evaluations',
          headers: auth,
          payload: { train, folds: 2 },
        });
        expect(r.statusCode, train).toBe(400);
        expect(json(r).message).toMatch(/is outside the data directory/);
      }
      // a scenario's file fields are checked the same way
      const r = await app.inject({
        method: 'POST',
        url: '/v1/simulations',
        headers: auth,
        payload: { scenario: { ...SMALL_SCENARIO, arrivals: [{ replay: { file: '../../../etc/passwd' } }] } },
      });
      expect(r.statusCode).toBe(400);
      expect(json(r).message).toMatch(/outside data\/scenarios/);
    } finally {
      await app.close();
    }
  });

  it('the dashboard and the API carry CSP, frame and nosniff headers', async () => {
    const { app } = await buildApp({ home: tempHome(), config: serverConfig() });
    try {
      for (const url of ['/', '/app.js', '/v1/status', '/no-such-page']) {
        const r = await app.inject({ url });
        expect(r.headers['content-security-policy'], url).toMatch(/script-src 'self';/);
        expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
        expect(r.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
        expect(r.headers['x-frame-options']).toBe('DENY');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
      }
      // the page has no inline script for the CSP to block
      const html = (await app.inject({ url: '/' })).body;
      expect(html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
      expect((await app.inject({ url: '/vendor/vega-interpreter.js' })).body).toMatch(
        /window\.vegaInterpreter =/,
      );
    } finally {
      await app.close();
    }
  });

  it('an authenticated request whose body never finishes is answered 408 and closed', async () => {
    const home = tempHome();
    const config = join(home, 'server.yaml');
    writeFileSync(config, `tokens: [${TOKEN}]\nlimits:\n  requestTimeoutSeconds: 1\n`);
    const server = await startServer({ home, port: 0, host: '127.0.0.1', config, log: () => {} });
    try {
      // headers complete, body promised but never sent: the server answers 408 and closes the socket
      const { port } = new URL(server.url);
      const answer = await new Promise<string>((resolve) => {
        const sock = connect(Number(port), '127.0.0.1');
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('close', () => resolve(got));
        sock.write(
          `POST /v1/telemetry HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"asset":`,
        );
        setTimeout(() => sock.destroy(), 20_000);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await server.close();
    }
  }, 60_000);
});
