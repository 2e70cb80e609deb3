/**
 * Model routes: the registry list and C-MAPSS cross-validation as a job, reading only from the
 * configured data directory.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/server/index.ts';
import { auth, serverConfig, tempHome, waitFor } from './server-helpers.ts';

const FD001 = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');
const json = (r: { body: string }) => JSON.parse(r.body);

describe.skipIf(!existsSync(FD001))('model evaluation jobs', () => {
  let app: FastifyInstance;
  let closed: FastifyInstance;
  beforeAll(async () => {
    const home = tempHome();
    const dataDir = join(home, 'data');
    mkdirSync(join(dataDir, 'cmapss'), { recursive: true });
    // a small input: the first 12 engines of FD001
    const lines = readFileSync(FD001, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && Number(l.trim().split(/\s+/)[0]) <= 12);
    writeFileSync(join(dataDir, 'cmapss', 'train_small.txt'), lines.join('\n') + '\n');
    writeFileSync(join(home, 'secret.txt'), 'not for the API\n');
    ({ app } = await buildApp({ home, config: serverConfig({ dataDir }) }));
    ({ app: closed } = await buildApp({ home: tempHome(), config: serverConfig() }));
  });
  afterAll(async () => {
    await app?.close();
    await closed?.close();
  });

  it('cross-validates as a job with fold progress and the reports', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/models/evaluations',
      headers: auth,
      payload: { train: 'cmapss/train_small.txt', folds: 3, models: ['similarity', 'weibull'] },
    });
    expect(r.statusCode).toBe(202);
    const id = json(r).id;
    const done = await waitFor(
      async () => json(await app.inject({ url: `/v1/models/evaluations/${id}` })),
      (j) => j.status === 'done' || j.status === 'failed',
    );
    expect(done.status).toBe('done');
    expect(done.progress).toEqual({ done: 6, total: 6, fraction: 1 });
    expect(done.result.engines).toBe(12);
    expect(done.result.reports.map((x: { model: string }) => x.model).sort()).toEqual([
      'similarity',
      'weibull',
    ]);
    expect(done.result.reports[0].rmse).toBeLessThanOrEqual(done.result.reports[1].rmse);
    expect(done.result.reports[0].predictions).toHaveLength(12);
    expect((await app.inject({ url: '/v1/models' })).statusCode).toBe(200);
  });

  it('reads only under dataDir, and names what is wrong', async () => {
    const post = (a: FastifyInstance, payload: object, headers: Record<string, string> = auth) =>
      a.inject({ method: 'POST', url: '/v1/models/evaluations', headers, payload });
    const cases: [FastifyInstance, object, number, RegExp][] = [
      [app, { train: '../secret.txt' }, 400, /outside the data directory/],
      [app, { train: '/etc/passwd' }, 400, /outside the data directory/],
      [app, { train: 'cmapss/nope.txt' }, 400, /body\.train/],
      [app, { train: 'cmapss/train_small.txt', models: ['oracle'] }, 400, /unknown model "oracle"/],
      [app, { train: 'cmapss/train_small.txt', folds: 1 }, 400, /body\.folds/],
      [app, { train: 'cmapss/train_small.txt', folds: 20 }, 400, /fewer than the 20 folds/],
      [closed, { train: 'cmapss/train_small.txt' }, 409, /no dataDir/],
    ];
    for (const [a, payload, code, message] of cases) {
      const r = await post(a, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(code);
      expect(json(r).message).toMatch(message);
    }
    expect((await post(app, { train: 'cmapss/train_small.txt' }, {})).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/models/evaluations/nope' })).statusCode).toBe(404);
  });
});
