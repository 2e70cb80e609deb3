import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('leadtime demo (npm start)', () => {
  it('runs fleet -> store -> backtest -> tickets -> simulation (reactive, predictive) -> report, --no-serve stops there', () => {
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
    const sim = JSON.parse(readFileSync(join(home, 'demo', 'simulation.json'), 'utf8'));
    expect(sim.timeUnit).toBe('minutes');
    expect(Object.keys(sim.priorities)).toEqual(['P1', 'P2', 'P3', 'P4']);
    // predictive tickets: in the report of the walk, and in the ticket store the server reads
    const tickets = JSON.parse(readFileSync(join(home, 'demo', 'tickets.json'), 'utf8'));
    expect(tickets.failures).toBe(12);
    expect(tickets.ticketedAhead).toBeGreaterThan(6);
    expect(existsSync(join(home, 'store', 'tickets.duckdb'))).toBe(true);
    expect(existsSync(join(home, 'models', 'bearing-similarity', 'v1', 'manifest.json'))).toBe(true);
    expect(r.stdout).toMatch(/ticket store .*: (\d+) tickets as of .*, (\d+) open/);
    // announced hardware faults leave the breakdown priorities: fewer P1+P2 tickets
    const predictive = JSON.parse(readFileSync(join(home, 'demo', 'simulation-predictive.json'), 'utf8'));
    const urgent = (s: { priorities: Record<string, { count: { mean: number } }> }) =>
      s.priorities.P1.count.mean + s.priorities.P2.count.mean;
    expect(urgent(predictive)).toBeLessThan(urgent(sim));
    const report = readFileSync(join(home, 'demo', 'report.html'), 'utf8');
    expect(report).toMatch(/<svg/);
    expect(report).not.toMatch(/<script/);
    expect(r.stdout).toContain(`report: ${join(home, 'demo', 'report.html')}`);
    expect(r.stdout).not.toMatch(/listening on/);
  });
});
