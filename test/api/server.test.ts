/**
 * The HTTP API through fastify's inject: ingest with per-record results, auth (401 changes
 * nothing), malformed and oversize bodies, the rate limit, assets/series/health, simulation jobs,
 * the OpenAPI document and the dashboard's offline assets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { validate } from '../../core/index.ts';
import { FleetConfig } from '../../ingest/index.ts';
import { designFleetPrior, writeDesignPrior } from '../../models/index.ts';
import { buildApp, readFailures, type App } from '../../api/server/index.ts';
import {
  auth,
  ingestFleet,
  serverConfig,
  SMALL_SCENARIO,
  tempHome,
  TOKEN,
  waitFor,
} from './server-helpers.ts';

const json = (r: { body: string }) => JSON.parse(r.body);

describe('POST /v1/telemetry', () => {
  let built: App;
  let app: FastifyInstance;
  beforeAll(async () => {
    built = await buildApp({ home: tempHome(), config: serverConfig({ bodyLimit: 64 * 1024 }) });
    app = built.app;
  });
  afterAll(() => app.close());

  it('accounts for every record of a JSON array: stored, duplicate, rejected with the field, partial', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: auth,
      payload: [
        { asset: 'pump-1', channel: 'temperature', t: 1000, value: 40.5 },
        { asset: 'pump-1', channel: 'temperature', t: 1000, value: 40.5 },
        { asset: 'pump-1', channel: 'temperature', t: 'yesterday', value: 1 },
        { asset: 'pump-1', t: 2000, values: { temperature: 41, load: 'heavy' } },
        { channel: 'temperature', t: 3000, value: 1 },
      ],
    });
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(body).toMatchObject({ records: 5, stored: 2, duplicates: 1, rejected: 3 });
    expect(body.results.map((x: { status: string }) => x.status)).toEqual([
      'stored',
      'duplicate',
      'rejected',
      'partial',
      'rejected',
    ]);
    expect(body.results[2]).toMatchObject({ position: 'record 3', problems: [{ field: 't' }] });
    expect(body.results[3].problems[0]).toMatchObject({ field: 'load' });
    expect(body.results[3].problems[0].reason).toMatch(/values\.load must be a number/);
    expect(body.results[4].problems[0].reason).toMatch(/asset/);
    // the rejections are dead letters in the store, with their position
    const dead = await built.ctx.store.rejected({ runId: body.runId });
    expect(dead.map((d) => d.position).sort()).toEqual(['record 3', 'record 4', 'record 5']);
    const listed = json(await app.inject({ url: `/v1/telemetry/rejected?runId=${body.runId}` }));
    expect(listed.total).toBe(3);
    expect(listed.rejected[1]).toMatchObject({
      source: 'POST /v1/telemetry',
      position: 'record 4',
      field: 'load',
    });
    expect(JSON.parse(listed.rejected[1].raw)).toEqual({
      asset: 'pump-1',
      t: 2000,
      values: { temperature: 41, load: 'heavy' },
    });
    // posting the same again: all duplicates, nothing new stored
    const again = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: auth,
      payload: [{ asset: 'pump-1', channel: 'temperature', t: 1000, value: 40.5 }],
    });
    expect(json(again)).toMatchObject({ stored: 0, duplicates: 1, results: [{ status: 'duplicate' }] });
    // a different value under a stored key is rejected, not overwritten
    const conflict = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: auth,
      payload: [{ asset: 'pump-1', channel: 'temperature', t: 1000, value: 99 }],
    });
    expect(json(conflict).results[0]).toMatchObject({ status: 'rejected' });
    expect(json(conflict).results[0].problems[0].reason).toMatch(/conflicting duplicate/);
    expect(await built.ctx.store.series('pump-1', 'temperature')).toEqual([
      { t: 1000, value: 40.5 },
      { t: 2000, value: 41 },
    ]);
  });

  it('takes NDJSON with line numbers, skipping blank lines, rejecting a malformed line', async () => {
    const text = [
      JSON.stringify({ asset: 'pump-2', channel: 'load', t: 1, value: 2 }),
      '',
      '{"asset": "pump-2", "channel": "load", "t": 2, "value": ',
      JSON.stringify({ asset: 'pump-2', channel: 'load', t: 3, value: 4 }),
    ].join('\n');
    const r = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      payload: text,
    });
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(
      body.results.map((x: { position: string; status: string }) => `${x.position}:${x.status}`),
    ).toEqual(['line 1:stored', 'line 3:rejected', 'line 4:stored']);
    expect(body.results[1].problems[0].reason).toMatch(/malformed JSON/);
  });

  it('stores a waveform record as condition indicators', async () => {
    const samples = Array.from({ length: 2048 }, (_, i) => Math.sin((2 * Math.PI * 50 * i) / 4096));
    const r = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: auth,
      payload: { asset: 'fan-1', channel: 'vib', t: 5000, sampleRateHz: 4096, samples },
    });
    expect(json(r)).toMatchObject({ stored: 1, results: [{ status: 'stored' }] });
    const s = await app.inject({ url: '/v1/assets/fan-1/series?channel=rms' });
    const series = json(s);
    expect(series.kind).toBe('indicator');
    expect(series.points).toHaveLength(1);
    expect(series.points[0].value).toBeCloseTo(Math.SQRT1_2, 3); // RMS of a unit sine
  });

  it('answers 401 without a valid token and changes nothing', async () => {
    const before = await built.ctx.store.counts();
    const payload = [{ asset: 'intruder', channel: 'x', t: 1, value: 1 }];
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0000000000' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: 'Bearer' },
    ]) {
      const r = await app.inject({ method: 'POST', url: '/v1/telemetry', headers, payload });
      expect(r.statusCode).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/Bearer/);
      expect(json(r).message).toMatch(/Authorization|token/);
    }
    expect(await built.ctx.store.counts()).toEqual(before);
    expect((await built.ctx.store.assets()).map((a) => a.asset)).not.toContain('intruder');
  });

  it('answers malformed and unsupported bodies with JSON errors', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '[{"asset": "a", ',
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(json(bad).message).toMatch(/JSON/);
    const scalar = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '42',
    });
    expect(scalar.statusCode).toBe(400);
    expect(json(scalar).message).toMatch(/JSON array of telemetry records/);
    const empty = await app.inject({ method: 'POST', url: '/v1/telemetry', headers: auth, payload: [] });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).message).toMatch(/no telemetry records/);
    const xml = await app.inject({
      method: 'POST',
      url: '/v1/telemetry',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(json(xml).statusCode).toBe(415);
    const unit = await app.inject({
      method: 'POST',
      url: '/v1/telemetry?timeUnit=fortnight',
      headers: auth,
      payload: [{ asset: 'a', channel: 'c', t: 1, value: 1 }],
    });
    expect(unit.statusCode).toBe(400);
    expect(json(unit).message).toMatch(/querystring\.timeUnit/);
  });

  it('refuses a body over the limit with 413, storing nothing', async () => {
    const before = await built.ctx.store.counts();
    const payload = Array.from({ length: 3000 }, (_, i) => ({ asset: 'big', channel: 'c', t: i, value: i }));
    const r = await app.inject({ method: 'POST', url: '/v1/telemetry', headers: auth, payload });
    expect(r.statusCode).toBe(413);
    expect(json(r).message).toMatch(/65536-byte limit/);
    expect(await built.ctx.store.counts()).toEqual(before);
  });
});

describe('rate limit on ingest', () => {
  it('answers 429 past the budget, per token', async () => {
    const other = 'second-token-abcdefghijklmnop';
    const { app } = await buildApp({
      home: tempHome(),
      config: serverConfig({ tokens: [TOKEN, other], rateLimit: { max: 3, window: '1m' } }),
    });
    try {
      const post = (token: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/telemetry',
          headers: { authorization: `Bearer ${token}` },
          payload: [{ asset: 'a', channel: 'c', t: 1, value: 1 }],
        });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await post(TOKEN)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await post(TOKEN);
      expect(json(limited).message).toMatch(/rate limit: at most 3 requests/);
      expect((await post(other)).statusCode).toBe(200);
      // reads are not rate-limited
      for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/v1/assets' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('assets, series and health on a run-to-failure fleet', () => {
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    const home = tempHome();
    const { truth } = await ingestFleet(home);
    ({ app } = await buildApp({ home, config: serverConfig(), failures: readFailures(truth) }));
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
  });

  it('lists the assets with their latest health', async () => {
    const r = await app.inject({ url: '/v1/assets' });
    expect(r.statusCode).toBe(200);
    const body = json(r);
    expect(body.health.available).toBe(true);
    expect(body.assets).toHaveLength(6);
    for (const a of body.assets) {
      expect(a.channels).toEqual(expect.arrayContaining(['temperature', 'vib']));
      expect(a.featureRows).toBeGreaterThan(5);
      // every asset ran to failure: at its last snapshot it is in alarm with a low HI
      expect(a.health.alarm).toBe(true);
      expect(a.health.healthIndex).toBeLessThan(0.5);
    }
  });

  it('serves a series over a time range, and names what is wrong', async () => {
    const all = json(await app.inject({ url: '/v1/assets/bearing-001/series?channel=temperature' }));
    expect(all.kind).toBe('scalar');
    expect(all.points.length).toBeGreaterThan(5);
    const from = all.points[2].t;
    const to = all.points[4].t;
    const some = json(
      await app.inject({ url: `/v1/assets/bearing-001/series?channel=temperature&from=${from}&to=${to}` }),
    );
    expect(some.points).toEqual(all.points.slice(2, 5));
    const limited = json(await app.inject({ url: '/v1/assets/bearing-001/series?channel=kurtosis&limit=3' }));
    expect(limited).toMatchObject({ kind: 'indicator', truncated: true });
    expect(limited.points).toHaveLength(3);
    const unknownAsset = await app.inject({ url: '/v1/assets/nope/series?channel=rms' });
    expect(unknownAsset.statusCode).toBe(404);
    expect(json(unknownAsset).message).toMatch(/no asset "nope"/);
    const unknownChannel = await app.inject({ url: '/v1/assets/bearing-001/series?channel=humidity' });
    expect(unknownChannel.statusCode).toBe(404);
    expect(json(unknownChannel).message).toMatch(
      /no channel "humidity"; channels: load, speed, temperature, vib/,
    );
    const noChannel = await app.inject({ url: '/v1/assets/bearing-001/series' });
    expect(noChannel.statusCode).toBe(400);
    expect(json(noChannel).message).toMatch(/querystring\.channel: is required/);
    const badRange = await app.inject({ url: '/v1/assets/bearing-001/series?channel=rms&from=9&to=3' });
    expect(badRange.statusCode).toBe(400);
    const notNumber = await app.inject({ url: '/v1/assets/bearing-001/series?channel=rms&from=monday' });
    expect(notNumber.statusCode).toBe(400);
    expect(json(notNumber).message).toMatch(/querystring\.from/);
  });

  it('gives HI, anomaly and RUL with an interval, alerting before the failure', async () => {
    const r = await app.inject({ url: '/v1/assets/bearing-004/health' });
    expect(r.statusCode).toBe(200);
    const h = json(r);
    expect(h.failureT).toBeGreaterThan(h.t);
    expect(h.anomaly.firstAlertT).not.toBeNull();
    expect(h.anomaly.firstAlertT).toBeLessThan(h.failureT);
    expect(h.anomaly.score).toBeGreaterThan(h.anomaly.threshold);
    expect(h.anomaly.contributors.length).toBeGreaterThan(0);
    expect(h.history.healthIndex.length).toBe(h.history.anomalyScore.length);
    // the HI falls over life: late values below early ones
    const hi = h.history.healthIndex.map((p: { value: number }) => p.value);
    expect(hi.at(-1)).toBeLessThan(hi[0]);
    if (h.rul) {
      expect(h.rul.lower).toBeLessThanOrEqual(h.rul.estimate);
      expect(h.rul.upper).toBeGreaterThanOrEqual(h.rul.estimate);
    }
    const withRul = await Promise.all(
      ['bearing-001', 'bearing-002', 'bearing-003', 'bearing-004', 'bearing-005', 'bearing-006'].map(
        async (a) => json(await app.inject({ url: `/v1/assets/${a}/health` })),
      ),
    );
    // walk-forward: assets that failed after three others have RUL predictions
    expect(withRul.filter((x) => x.rul !== null).length).toBeGreaterThan(0);
    for (const x of withRul)
      for (const p of x.history.rul) expect(p.lower <= p.rul && p.rul <= p.upper).toBe(true);
  });

  it('without failure times: anomaly only, and says how to get RUL', async () => {
    const home = tempHome();
    await ingestFleet(home, 4);
    ({ app: bare } = await buildApp({ home, config: serverConfig() }));
    const h = json(await bare.inject({ url: '/v1/assets/bearing-002/health' }));
    expect(h.healthIndex).toBeNull();
    expect(h.rul).toBeNull();
    expect(h.rulReason).toMatch(/--failures/);
    expect(typeof h.anomaly.score).toBe('number');
    const missing = await bare.inject({ url: '/v1/assets/ghost/health' });
    expect(missing.statusCode).toBe(404);
  });
  it('without failure times but with a design prior: RUL from the prior; a damaged prior file is refused', async () => {
    const home = tempHome();
    await ingestFleet(home, 4);
    // the same bearing type's failures on other seeds (ingestFleet's config, seed 3)
    const config = validate(
      FleetConfig,
      { assets: 4, snapshotSeconds: 0.1, interval: '12h', seed: 3 },
      'test',
    );
    const file = join(home, 'design-prior.json');
    writeDesignPrior(file, designFleetPrior(config));
    const withPrior = await buildApp({ home, config: serverConfig({ designPrior: file }) });
    try {
      const h = json(await withPrior.app.inject({ url: '/v1/assets/bearing-002/health' }));
      expect(h.rulReason).toBeUndefined();
      expect(h.healthIndex).toBeNull(); // fused on the fleet's own failures: none known
      expect(h.rul.model).toBe('fpt-exponential@fleet+design-prior');
      expect(h.rul.lower).toBeLessThan(h.rul.estimate);
      expect(h.rul.estimate).toBeLessThan(h.rul.upper);
      expect(h.history.rul.length).toBeGreaterThan(3);
      // its early rows are by age (before the FPT), its latest, near failure, from its own wear
      expect(h.history.rul.some((p: { ageOnly: boolean }) => p.ageOnly)).toBe(true);
      expect(h.rul.ageOnly).toBe(false);
    } finally {
      await withPrior.app.close();
    }
    // a prior learnt on rows 6 h apart does not fit a fleet sampled every 12 h: no RUL, and why
    writeDesignPrior(file, designFleetPrior({ ...config, interval: '6h' }));
    const misfit = await buildApp({ home, config: serverConfig({ designPrior: file }) });
    try {
      const h = json(await misfit.app.inject({ url: '/v1/assets/bearing-002/health' }));
      expect(h.rul).toBeNull();
      expect(h.rulReason).toMatch(/learnt on rows 21600000 time units apart, this fleet's are 43200000/);
    } finally {
      await misfit.app.close();
    }
    const damaged = JSON.parse(readFileSync(file, 'utf8')) as {
      prior: { timeScale: unknown };
    };
    damaged.prior.timeScale = 'soon';
    writeFileSync(file, JSON.stringify(damaged));
    await expect(buildApp({ home, config: serverConfig({ designPrior: file }) })).rejects.toThrow(
      /design-prior\.json.*prior\.timeScale/s,
    );
  });
});

describe('simulation jobs', () => {
  let built: App;
  beforeAll(async () => {
    built = await buildApp({ home: tempHome(), config: serverConfig() });
  });
  afterAll(() => built.app.close());
  const app = () => built.app;

  it('runs a scenario as a job with progress and a result', async () => {
    const r = await app().inject({
      method: 'POST',
      url: '/v1/simulations',
      headers: auth,
      payload: { scenario: SMALL_SCENARIO },
    });
    expect(r.statusCode).toBe(202);
    const job = json(r);
    expect(r.headers.location).toBe(`/v1/simulations/${job.id}`);
    expect(['queued', 'running']).toContain(job.status);
    const done = await waitFor(
      async () => json(await app().inject({ url: `/v1/simulations/${job.id}` })),
      (j) => j.status === 'done' || j.status === 'failed',
    );
    expect(done.status).toBe('done');
    expect(done.progress.fraction).toBe(1);
    expect(done.result.scenario).toBe('small-mmc');
    expect(done.result.replications).toBe(2);
    expect(Object.keys(done.result.priorities)).toEqual(['P1', 'P2']);
    expect(done.result.priorities.P1.respond.sla.attainment.mean).toBeGreaterThan(0);
    expect(done.result.perReplication).toBeUndefined();
    const list = json(await app().inject({ url: '/v1/simulations' }));
    expect(list.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(list[0].result).toBeUndefined();
  });

  it('sweeps the staffing of one pool: more engineers, shorter waits', async () => {
    const r = await app().inject({
      method: 'POST',
      url: '/v1/simulations',
      headers: auth,
      payload: { scenario: SMALL_SCENARIO, staffing: { pool: 'engineers', sizes: [5, 8] } },
    });
    const id = json(r).id;
    const done = await waitFor(
      async () => json(await app().inject({ url: `/v1/simulations/${id}` })),
      (j) => j.status !== 'queued' && j.status !== 'running',
    );
    expect(done.status).toBe('done');
    const runs = done.result.staffing.runs;
    expect(runs.map((x: { size: number }) => x.size)).toEqual([5, 8]);
    expect(runs[1].result.priorities.P2.respond.mean.mean).toBeLessThan(
      runs[0].result.priorities.P2.respond.mean.mean,
    );
  });

  it('refuses bad requests with the field named, and 401 creates no job', async () => {
    const before = json(await app().inject({ url: '/v1/simulations' })).length;
    const noAuth = await app().inject({
      method: 'POST',
      url: '/v1/simulations',
      payload: { example: 'mmc' },
    });
    expect(noAuth.statusCode).toBe(401);
    const cases: [unknown, number, RegExp][] = [
      [
        { scenario: { ...SMALL_SCENARIO, horizon: '-2d' } },
        400,
        /body\.scenario: invalid configuration[\s\S]*horizon/,
      ],
      [
        { scenario: { ...SMALL_SCENARIO, pools: { engineers: { size: 'many' } } } },
        400,
        /pools\.engineers\.size/,
      ],
      [{ example: 'no-such-scenario' }, 404, /examples: .*service-desk/],
      [{ example: 'mmc', scenario: SMALL_SCENARIO }, 400, /exactly one of/],
      [{ example: 'mmc', replications: 0 }, 400, /body\.replications/],
      [{ example: 'mmc', colour: 'red' }, 400, /unknown field "colour"/],
      [
        {
          scenario: {
            ...SMALL_SCENARIO,
            flow: [
              {
                stage: 'work',
                pool: 'engineers',
                duration: { empirical: { file: '/etc/passwd', column: 'x' } },
              },
            ],
          },
        },
        400,
        /body\.scenario\.flow\[0\]\.duration\.empirical\.file: "\/etc\/passwd" is outside data\/scenarios/,
      ],
      [
        { scenario: { ...SMALL_SCENARIO, arrivals: [{ replay: { file: '../../package.json' } }] } },
        400,
        /arrivals\[0\]\.replay\.file: "\.\.\/\.\.\/package\.json" is outside/,
      ],
      [
        { scenario: SMALL_SCENARIO, staffing: { pool: 'wizards', sizes: [1] } },
        400,
        /no pool "wizards" in the scenario; nothing was run. Nearest pools: engineers/,
      ],
    ];
    for (const [payload, code, message] of cases) {
      const r = await app().inject({
        method: 'POST',
        url: '/v1/simulations',
        headers: auth,
        payload: payload as object,
      });
      expect(r.statusCode, JSON.stringify(payload)).toBe(code);
      expect(json(r).message).toMatch(message);
    }
    expect(json(await app().inject({ url: '/v1/simulations' })).length).toBe(before);
    const missing = await app().inject({ url: '/v1/simulations/not-a-job' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('OpenAPI, docs page, dashboard, closed reads', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildApp({ home: tempHome(), config: serverConfig({ readsOpen: false }) }));
  });
  afterAll(() => app.close());

  it('generates the OpenAPI document from the route schemas', async () => {
    const doc = json(await app.inject({ url: '/docs/json' }));
    expect(doc.openapi).toBe('3.0.3');
    for (const path of [
      '/v1/telemetry',
      '/v1/assets',
      '/v1/assets/{id}/series',
      '/v1/assets/{id}/health',
      '/v1/simulations',
      '/v1/simulations/{id}',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    const series = doc.paths['/v1/assets/{id}/series'].get;
    expect(series.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'channel', 'from', 'to']),
    );
    expect(doc.paths['/v1/simulations'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Error', 'TelemetryRecord']));
    const ingestBody = doc.paths['/v1/telemetry'].post.requestBody.content;
    expect(Object.keys(ingestBody)).toEqual(['application/json', 'application/x-ndjson']);
    expect(JSON.stringify(ingestBody)).toContain('#/components/schemas/TelemetryRecord');
  });

  it('serves the interactive docs page from the package, no CDN', async () => {
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/swagger-ui-bundle\.js/);
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"']*\.(js|css)/);
    expect((await app.inject({ url: '/docs/static/swagger-ui-bundle.js' })).statusCode).toBe(200);
  });

  it('serves the dashboard and its chart libraries from node_modules', async () => {
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toMatch(/\/vendor\/vega\.min\.js/);
    expect(index.body).not.toMatch(/cdn|unpkg|jsdelivr/i);
    for (const f of ['vega.min.js', 'vega-lite.min.js', 'vega-embed.min.js']) {
      const r = await app.inject({ url: `/vendor/${f}` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/javascript/);
      expect(r.body.length).toBeGreaterThan(10_000);
    }
    expect((await app.inject({ url: '/vendor/../package.json' })).statusCode).toBe(404);
  });

  it('with readsOpen false, reads need the token too', async () => {
    expect((await app.inject({ url: '/v1/assets' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/assets', headers: auth })).statusCode).toBe(200);
    const nf = await app.inject({ url: '/v1/nothing-here' });
    expect(nf.statusCode).toBe(404);
    expect(json(nf).message).toBe('no route GET /v1/nothing-here');
  });
});
