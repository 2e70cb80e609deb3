/** `leadtime simulate` end to end: the scenario through the real CLI, JSON fields named. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/leadtime.js');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'lt-sim-'));

describe('leadtime simulate', () => {
  it('writes per-priority clocks with CIs, SLA attainment, utilisation, timing and timeUnit', () => {
    const out = join(dir, 'mmc.json');
    const r = run('simulate', 'data/scenarios/mmc.yaml', '--replications', '4', '--seed', '3', '--json', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/mmc: 4 replications, seed 3/);
    expect(r.out).toMatch(/pool engineers: utilisation \d+\.\d%/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result).toMatchObject({ scenario: 'mmc', timeUnit: 'minutes', seed: 3, replications: 4 });
    expect(result.codeVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.wallSeconds).toBeGreaterThan(0);
    expect(result.ticketsPerSecond).toBeGreaterThan(0);
    expect(result.config.flow[0].pool).toBe('engineers');
    for (const p of ['P1', 'P2']) {
      const t = result.priorities[p];
      expect(t.count.mean).toBeGreaterThan(0);
      for (const clock of ['respond', 'resolve']) {
        for (const stat of ['mean', 'p50', 'p90', 'p95']) {
          const i = t[clock][stat];
          expect(i.lower).toBeLessThanOrEqual(i.mean);
          expect(i.upper).toBeGreaterThanOrEqual(i.mean);
          expect(i.n).toBe(4);
        }
        expect(t[clock].sla.attainment.mean).toBeGreaterThan(0);
        expect(t[clock].sla.attainment.mean).toBeLessThanOrEqual(1);
      }
      expect(t.respond.sla.target).toBe(p === 'P1' ? 15 : 30);
      expect(t.openAtHorizon.count.n).toBe(4);
    }
    // P1 has precedence: it waits less than P2
    expect(result.priorities.P1.respond.mean.mean).toBeLessThan(result.priorities.P2.respond.mean.mean);
    expect(result.pools.engineers.utilisation.lower).toBeLessThan(0.9);
    expect(result.pools.engineers.utilisation.upper).toBeGreaterThan(0.9);
  });

  it('exits 2 naming the field of a bad scenario', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'horizon: 1d\npriorities: { P1: {} }\npools: { e: { size: 1 } }\nflow:\n  - { stage: w, pool: nobody, duration: { fixed: 1h } }\n',
    );
    const r = run('simulate', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/flow\[0\]\.pool: no pool named "nobody"/);
    expect(run('simulate', 'data/scenarios/mmc.yaml', '--replications', '0').code).toBe(2);
  });
});
