/**
 * Reactive vs predictive through the ticket-log contract: the logs written are the ticket-log format
 * the simulator replays, and the replayed counts are exactly the logged tickets (a scenario with no
 * demand of its own, so every ticket the simulator sees comes from a log).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonScenarios, writeComparisonLogs } from '../../app/predictive-comparison.ts';
import { parseScenario, readTicketLog, runExperiment } from '../../simulation/index.ts';
import { memoryBook, playTickets, ticketPolicy, type TruthEvaluation } from '../../tickets/index.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z'); // a Monday
const dir = mkdtempSync(join(tmpdir(), 'lt-cmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function series(asset: string, failureH: number, alarm: (h: number) => boolean): TruthEvaluation[] {
  const out: TruthEvaluation[] = [];
  for (let h = 0; h < failureH; h += 6)
    out.push({ asset, t: T0 + h * H, at: T0 + h * H, anomaly: { score: alarm(h) ? 12 : 1, threshold: 10 } });
  return out;
}

describe('reactive vs predictive through exported ticket logs', () => {
  it('replays every failure as a breakdown, and the exported tickets plus the missed failures', async () => {
    // A alarms from 60 h (ticketed days ahead of its 200 h failure); B never alarms (missed)
    const evaluations = [...series('A', 200, (h) => h >= 60), ...series('B', 150, () => false)].sort(
      (x, y) => x.at - y.at,
    );
    const truth = [
      { asset: 'A', onsetT: T0 + 50 * H, failureT: T0 + 200 * H, startT: T0 },
      { asset: 'B', onsetT: T0 + 100 * H, failureT: T0 + 150 * H, startT: T0 },
    ];
    const walk = await playTickets(evaluations, truth, memoryBook(ticketPolicy()), 24 * H);
    expect(walk.ticketedAhead).toBe(1);
    const logs = writeComparisonLogs(dir, { truth, tickets: walk.ticketList, walk });
    expect(logs).toMatchObject({ breakdownsReactive: 2, breakdownsPredictive: 1, predictiveTickets: 1 });
    expect(logs.origin).toBe(new Date(T0).toISOString());
    // the logs are ticket logs the simulator reads
    expect(readTicketLog(logs.reactive).tickets.map((t) => t.tier)).toEqual([0, 0]);
    expect(readFileSync(logs.planned, 'utf8')).toContain(walk.ticketList[0].id);
    expect(readTicketLog(logs.missed!).tickets).toHaveLength(1);

    const base = parseScenario({
      name: 'fleet-only',
      seed: 1,
      replications: 2,
      horizon: '14d',
      priorities: { P1: {}, P2: {}, P3: {}, P4: {} },
      arrivals: [{ poisson: { perHour: 1e-9, mix: { P4: 1 } } }],
      pools: { field: { size: 2 } },
      flow: [
        { stage: 'triage', pool: 'field', duration: { fixed: '10m' }, next: 'repair' },
        { stage: 'repair', pool: 'field', onsite: true, duration: { fixed: '1h' } },
      ],
    });
    const both = comparisonScenarios(base, logs);
    const reactive = await runExperiment(both.reactive, { workers: 1 });
    const predictive = await runExperiment(both.predictive, { workers: 1 });
    expect(reactive.priorities.P1!.count.mean).toBe(2);
    expect(predictive.priorities.P1!.count.mean).toBe(1);
    const ticketPriority = walk.ticketList[0].priority;
    expect(predictive.priorities[ticketPriority]!.count.mean).toBe(ticketPriority === 'P1' ? 2 : 1);
  });
});
