/** A pool's staff level (peak on duty) and sweeping it with its shifts scaled: hand-computed cases. */
import { describe, expect, it } from 'vitest';
import {
  applyValues,
  parseScenario,
  poolStaff,
  resolveScenarioPath,
  withPoolStaff,
} from '../../simulation/index.ts';

const scenario = parseScenario({
  horizon: '1w',
  priorities: { P3: { respond: '4h' } },
  arrivals: [{ poisson: { perHour: 2, mix: { P3: 1 } } }],
  pools: {
    agents: {
      size: 1,
      costPerHour: 30,
      shifts: [
        { from: '8h', to: '16h', size: 4 },
        { from: '16h', to: '22h', size: 2 },
        { from: '22h', to: '24h', size: 0 },
      ],
    },
    field: { size: 3, costPerHour: 50 },
    night: { costPerHour: 10, shifts: [{ from: '0h', to: '8h', size: 0 }] },
  },
  flow: [{ stage: 'triage', pool: 'agents', duration: { exponential: { mean: '20m' } } }],
});

describe('pool staff level', () => {
  it('is the peak on-duty count', () => {
    expect(poolStaff(scenario, 'agents')).toBe(4);
    expect(poolStaff(scenario, 'field')).toBe(3);
    expect(poolStaff(scenario, 'night')).toBe(0);
  });

  it('scales the base size and every shift in proportion (8 = x2: 1->2, 4->8, 2->4, 0 stays 0)', () => {
    const s = withPoolStaff(scenario, 'agents', 8);
    expect(s.pools.agents.size).toBe(2);
    expect(s.pools.agents.shifts!.map((x) => x.size)).toEqual([8, 4, 0]);
    expect(scenario.pools.agents.shifts![0].size).toBe(4); // the original is untouched
  });

  it('rounds, and a staffed shift keeps at least one (2 = x0.5: 1->1 (0.5 rounds up), 4->2, 2->1)', () => {
    const s = withPoolStaff(scenario, 'agents', 2);
    expect(s.pools.agents.size).toBe(1);
    expect(s.pools.agents.shifts!.map((x) => x.size)).toEqual([2, 1, 0]);
    expect(withPoolStaff(scenario, 'agents', 1).pools.agents.shifts!.map((x) => x.size)).toEqual([1, 1, 0]);
  });

  it('a pool without shifts is its size; an all-zero pool takes the level everywhere', () => {
    expect(withPoolStaff(scenario, 'field', 5).pools.field.size).toBe(5);
    expect(withPoolStaff(scenario, 'night', 2).pools.night.shifts![0].size).toBe(2);
  });

  it('is the virtual path pools.<pool>.staff for --vary', () => {
    expect(() => resolveScenarioPath(scenario, 'pools.agents.staff')).not.toThrow();
    expect(() => resolveScenarioPath(scenario, 'pools.agnts.staff')).toThrow(/pools\.agents\.staff/);
    expect(applyValues(scenario, { 'pools.agents.staff': 8 }).pools.agents.shifts![0].size).toBe(8);
  });

  it('refuses a fractional or negative level', () => {
    expect(() => withPoolStaff(scenario, 'agents', 2.5)).toThrow(
      /pools\.agents\.staff: expected a whole number/,
    );
    expect(() => withPoolStaff(scenario, 'agents', -1)).toThrow(/whole number/);
  });
});
