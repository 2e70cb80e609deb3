import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp, readFailures } from '../../api/server/index.ts';
import { FLEET_RUL_CHANNELS, readDesignPrior } from '../../models/index.ts';
import { auth, serverConfig } from './server-helpers.ts';

describe('leadtime demo (npm start)', () => {
  it('runs fleet -> store -> backtest -> tickets -> simulation (reactive, predictive) -> report, --no-serve stops there', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lt-demo-'));
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/leadtime.js'), '--home', home, 'demo', '--no-serve'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ingest f32: (\d+) records -> \1 stored, 0 duplicates, 0 rejected/);
    expect(existsSync(join(home, 'store', 'telemetry.duckdb'))).toBe(true);
    const backtest = JSON.parse(readFileSync(join(home, 'demo', 'backtest.json'), 'utf8'));
    expect(backtest.assets).toBe(12);
    expect(backtest.detectionRate).toBeGreaterThan(0.8);
    // the RUL model starts from the design fleet: every bearing is prognosed, its file is beside the fleet
    expect(backtest.designPrior).toMatch(/design fleet, seeds 101,102,103,104,105/);
    expect(backtest.prognosedAssets).toBe(12);
    const designPrior = readDesignPrior(join(home, 'demo', 'fleet', 'design-prior.json'));
    expect(designPrior.source).toBe(backtest.designPrior);
    const sim = JSON.parse(readFileSync(join(home, 'demo', 'simulation.json'), 'utf8'));
    expect(sim.timeUnit).toBe('minutes');
    expect(Object.keys(sim.priorities)).toEqual(['P1', 'P2', 'P3', 'P4']);
    // predictive tickets: in the report of the walk, and in the ticket store the server reads
    const tickets = JSON.parse(readFileSync(join(home, 'demo', 'tickets.json'), 'utf8'));
    expect(tickets.failures).toBe(12);
    expect(tickets.ticketedAhead).toBeGreaterThan(6);
    expect(existsSync(join(home, 'store', 'tickets.duckdb'))).toBe(true);
    // the manifest names the RUL model's own indicators and the interval scales it applies
    const saved = join(home, 'models', 'bearing-rul', 'v1');
    const manifest = JSON.parse(readFileSync(join(saved, 'manifest.json'), 'utf8'));
    const state = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
    expect(manifest.features.channels).toEqual(FLEET_RUL_CHANNELS);
    expect(manifest.parameters.intervalScale).toBeUndefined();
    expect(manifest.parameters.lowerScale).toBe(state.model.lowerScale);
    expect(manifest.parameters.upperScale).toBe(state.model.upperScale);
    expect(manifest.parameters.calibrationCases).toBeGreaterThanOrEqual(20);
    expect(manifest.parameters.designPrior).toBe(backtest.designPrior);
    // the scales its predictions use: by rows since the FPT with a design prior
    expect(manifest.parameters.intervalStrata).toEqual(state.model.strata);
    expect(manifest.parameters.intervalStrata.map((x: { from: number }) => x.from)).toEqual([0, 2, 8]);
    expect(manifest.parameters.prior).toBeUndefined(); // named, not copied: the state carries it
    expect(r.stdout).toMatch(/ticket store .* \(started afresh\): (\d+) tickets/);
    // one set of tickets everywhere: tickets.json, report.html, `tickets list --json`, GET /v1/tickets
    const ids = (list: { id: string; asset: string }[]) => list.map((t) => `${t.id} ${t.asset}`).sort();
    const fromJson = ids(tickets.ticketList);
    expect(fromJson.length).toBe(tickets.tickets);
    expect(fromJson.length).toBeGreaterThan(0);
    const list = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/leadtime.js'), '--home', home, 'tickets', 'list', '--json'],
      { encoding: 'utf8' },
    );
    expect(list.status, list.stderr).toBe(0);
    expect(ids(JSON.parse(list.stdout))).toEqual(fromJson);
    const report = readFileSync(join(home, 'demo', 'report.html'), 'utf8');
    for (const t of tickets.ticketList) expect(report).toContain(`<td>${t.id}</td><td>${t.asset}</td>`);
    expect(report.match(/<td>LT-\d{6}<\/td><td>bearing-/g)).toHaveLength(fromJson.length);
    // the server on the same home evaluates the fleet again and opens nothing new
    const { app } = await buildApp({
      home,
      config: serverConfig(),
      failures: readFailures(join(home, 'demo', 'fleet', 'truth.csv')),
      designPrior,
    });
    try {
      const ev = await app.inject({ method: 'POST', url: '/v1/tickets/evaluate-fleet', headers: auth });
      expect(ev.statusCode).toBe(200);
      expect(ev.json().results.filter((x: { action: string }) => x.action === 'open')).toEqual([]);
      const served = (await app.inject({ url: '/v1/tickets?limit=1000' })).json().tickets;
      expect(ids(served)).toEqual(fromJson);
    } finally {
      await app.close();
    }
    // the predictive scenario replays the exported ticket log; the reactive one every failure
    const predictive = JSON.parse(readFileSync(join(home, 'demo', 'simulation-predictive.json'), 'utf8'));
    const replayed = (s: { inputs: { file: string; tickets: number }[] }) =>
      s.inputs.map((x) => [x.file.split('/').pop(), x.tickets]);
    expect(replayed(sim)).toEqual([['reactive-tickets.csv', 12]]);
    expect(replayed(predictive)[0]).toEqual(['predicted-tickets.csv', fromJson.length]);
    expect(report).toMatch(/<svg/);
    expect(report).not.toMatch(/<script/);
    expect(r.stdout).toContain(`report: ${join(home, 'demo', 'report.html')}`);
    expect(r.stdout).not.toMatch(/listening on/);
  }, 600_000);
});
