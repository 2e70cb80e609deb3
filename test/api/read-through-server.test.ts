/**
 * While a server holds the embedded (DuckDB) store, the read-side commands answer through its API
 * and the write-side ones say which server holds the store and what to do. The CLI runs as real
 * child processes (DuckDB's lock is per process); the server runs in this one.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../api/commands/serve.ts';
import { cli } from '../simulation/cli-helper.ts';
import { fleetEvaluations, tempHome } from '../tickets/helpers.ts';

const BIN = join(import.meta.dirname, '../../bin/leadtime.js');
/** Async, so the server in this process keeps answering while the child runs. */
const leadtime = (home: string, ...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, '--home', home, ...args], { timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );

describe('read-side commands while a server holds the store', () => {
  it('tickets list|show|events, rejected and predict read through the API; a write says who holds the store', async () => {
    const home = tempHome('through');
    const file = join(home, 'evaluations.ndjson');
    writeFileSync(
      file,
      fleetEvaluations(2)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n',
    );
    const open = await cli('--home', home, 'tickets', 'open', file);
    expect(open.code, open.err).toBe(0);
    const local = {
      list: JSON.parse((await cli('--home', home, 'tickets', 'list', '--json')).out),
      events: JSON.parse((await cli('--home', home, 'tickets', 'events', '--json')).out),
    };
    expect(local.list.length).toBe(2);
    expect(local.events.events.length).toBeGreaterThan(0);
    // three C-MAPSS engines in the store and a model trained on them, for `predict`
    const engines = join(home, 'three.txt');
    const fd001 = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');
    writeFileSync(
      engines,
      readFileSync(fd001, 'utf8')
        .split('\n')
        .filter((l) => Number(l.trim().split(/\s+/)[0]) <= 3)
        .join('\n') + '\n',
    );
    expect((await cli('--home', home, 'ingest', 'cmapss', engines)).code).toBe(0);
    const trained = await cli('--home', home, 'train', '--in', engines, '--model', 'linear-degradation');
    expect(trained.code, trained.err).toBe(0);
    const predictLocal = await leadtime(home, 'predict', '--model', 'linear-degradation', '--json');
    expect(predictLocal.status, predictLocal.stderr).toBe(0);
    const localPredictions = JSON.parse(predictLocal.stdout) as { asset: string; t: number }[];
    // the last cycle of each engine (three.txt has engines 1-3 of FD001: 192, 287 and 179 cycles)
    expect(localPredictions.map((p) => [p.asset, p.t])).toEqual([
      ['three-001', 192],
      ['three-002', 287],
      ['three-003', 179],
    ]);

    const server = await startServer({ home, port: 0, host: '127.0.0.1', log: () => {} });
    try {
      // a bad record, so `rejected` has something to show
      const bad = await fetch(`${server.url}/v1/telemetry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ asset: 'a', channel: 'c', t: 1, value: 'hot' }]),
      });
      expect([200, 401]).toContain(bad.status);

      const list = await leadtime(home, 'tickets', 'list', '--json');
      expect(list.status, list.stderr).toBe(0);
      expect(list.stderr).toMatch(/held by the server at http:\/\/127\.0\.0\.1:\d+; reading through its API/);
      expect(JSON.parse(list.stdout)).toEqual(local.list);

      const show = await leadtime(home, 'tickets', 'show', local.list[0].id, '--json');
      expect(show.status, show.stderr).toBe(0);
      expect(JSON.parse(show.stdout)).toEqual(local.list[0]);

      const events = await leadtime(home, 'tickets', 'events', '--json');
      expect(events.status, events.stderr).toBe(0);
      expect(JSON.parse(events.stdout)).toEqual(local.events);

      const rejected = await leadtime(home, 'rejected', '--json');
      expect(rejected.status, rejected.stderr).toBe(0);

      const predict = await leadtime(home, 'predict', '--model', 'linear-degradation', '--json');
      expect(predict.status, predict.stderr).toBe(0);
      expect(predict.stderr).toMatch(/reading through its API/);
      expect(JSON.parse(predict.stdout)).toEqual(localPredictions);
      const one = await leadtime(
        home,
        'predict',
        '--model',
        'linear-degradation',
        '--assets',
        'three-002',
        '--json',
      );
      expect(one.status, one.stderr).toBe(0);
      expect(JSON.parse(one.stdout)).toEqual([localPredictions[1]]);
      // the registry is files, not the store: `models` answers as without a server
      const models = await leadtime(home, 'models', 'list', '--json');
      expect(models.status, models.stderr).toBe(0);
      expect(JSON.parse(models.stdout).map((m: { name: string }) => m.name)).toEqual(['linear-degradation']);
      // a channel no asset has: the route says which are missing rather than inventing rows
      const missing = (await (
        await fetch(`${server.url}/v1/assets/three-001/trajectory?channels=s2,vibration_rms`)
      ).json()) as { missing: string[]; t: number[] };
      expect(missing).toMatchObject({ missing: ['vibration_rms'], t: [] });

      const write = await leadtime(home, 'tickets', 'status', local.list[0].id, '--set', 'acknowledged');
      expect(write.status).toBe(1);
      expect(write.stderr).toMatch(
        /held by a running leadtime server \(PID \d+, http:\/\/127\.0\.0\.1:\d+\)/,
      );
    } finally {
      await server.close();
    }
    // the server gone, the commands read the store directly again
    const after = await leadtime(home, 'tickets', 'list', '--json');
    expect(after.status, after.stderr).toBe(0);
    expect(after.stderr).not.toMatch(/reading through/);
  });
});
