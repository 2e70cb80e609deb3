import { join, resolve } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadTicketPolicy, ticketPolicy, TicketPolicySchema, type Ticket } from '../../tickets/index.ts';
import { fleetEvaluations, tempHome } from './helpers.ts';
import { Receiver } from './receiver.ts';
import { ingestFleet } from '../api/server-helpers.ts';
import { validate } from '../../core/index.ts';
import { FleetConfig } from '../../ingest/index.ts';
import { designFleetPrior, readDesignPrior, writeDesignPrior } from '../../models/index.ts';

const root = resolve(import.meta.dirname, '../..');

/**
 * Runs the CLI in this process (a child process costs seconds of start-up; the crash test covers
 * the real process), capturing stdout and stderr.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../api/cli.ts');
  let stdout = '',
    stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof out;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof err;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

describe('data/ticket-policy.example.yaml', () => {
  it('states every default', () => {
    const example = loadTicketPolicy(resolve(root, 'data/ticket-policy.example.yaml'));
    const defaults = ticketPolicy();
    expect({ ...example, config: undefined }).toEqual({ ...defaults, config: undefined });
    // and names every field (a field left out would still load, with its default)
    const written = Object.keys(
      parseYaml(readFileSync(resolve(root, 'data/ticket-policy.example.yaml'), 'utf8')),
    );
    const commentedOut = ['cycleHours']; // no default: the example shows it commented out
    expect([...written, ...commentedOut].sort()).toEqual(Object.keys(TicketPolicySchema.properties).sort());
  });
});

describe('leadtime tickets', () => {
  it('open, list --json, show, status, export, dispatch (dead letter -> failed -> retry -> delivered)', async () => {
    const home = tempHome('tcli');
    const file = join(home, 'evaluations.ndjson');
    const lines = fleetEvaluations(2).map((e) => JSON.stringify(e));
    lines.splice(1, 0, '{"asset":"x","t":1,"rul":-5}');
    writeFileSync(file, lines.join('\n') + '\n');
    const H = ['--home', home, 'tickets'];

    const open = await cli([...H, 'open', file]);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain(`rejected ${file}:2: rul: expected a number >= 0, got -5`);
    expect(open.stdout).toMatch(
      /6 evaluations: 2 opened, 2 upgraded, 0 improved \(kept\), 2 pending hysteresis/,
    );

    const list = await cli([...H, 'list', '--json']);
    expect(list.code).toBe(0);
    const tickets = JSON.parse(list.stdout) as Ticket[];
    expect(tickets.map((t) => [t.id, t.asset, t.priority, t.status])).toEqual([
      ['LT-000001', 'asset-1', 'P1', 'open'],
      ['LT-000002', 'asset-2', 'P1', 'open'],
    ]);

    const status = await cli([...H, 'status', 'LT-000002', '--set', 'resolved', '--fault-confirmed', 'no']);
    expect(status.code).toBe(0);
    const back = await cli([...H, 'status', 'LT-000002', '--set', 'acknowledged']);
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(/ticket LT-000002: status: cannot go from "resolved" to "acknowledged"/);

    const show = await cli([...H, 'show', 'LT-000002']);
    expect(show.stdout).toMatch(/fault confirmed: no/);
    expect(show.stdout).toMatch(/upgraded P2 -> P1 {2}RUL lower bound 12 h < 24 h/);

    const csv = await cli([...H, 'export', '--format', 'csv']);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('id,openedAt,priority,category,asset,faultMode,resolvedAt');
    expect(rows[1]).toBe('LT-000001,2026-01-05T06:00:00.000Z,P1,predictive,asset-1,general,');
    expect(rows[2]).toMatch(/^LT-000002,2026-01-05T06:00:00.000Z,P1,predictive,asset-2,general,\d{4}-/);

    const rx = await new Receiver('k', () => 410).start();
    try {
      const d1 = await cli([...H, 'dispatch', '--url', rx.url, '--secret', 'k', '--until-empty', '--json']);
      expect(d1.code).toBe(1);
      expect(JSON.parse(d1.stdout)).toMatchObject({ delivered: 0, deadLettered: 2, deadInOutbox: 5 });
      const failed = await cli([...H, 'failed', '--json']);
      expect(
        (JSON.parse(failed.stdout) as { idempotencyKey: string }[]).map((f) => f.idempotencyKey),
        // LT-000002:3 is its resolution, an outbox event written with the status change
      ).toEqual(['LT-000001:1', 'LT-000002:1', 'LT-000001:2', 'LT-000002:2', 'LT-000002:3']);
      rx.respond = () => 200;
      const retry = await cli([...H, 'retry', 'LT-000001']);
      expect(retry.stdout).toBe('requeued 2 events\n');
      const d2 = await cli([...H, 'dispatch', '--url', rx.url, '--secret', 'k', '--until-empty', '--json']);
      expect(d2.code).toBe(1); // LT-000002's events are still dead-lettered
      expect(JSON.parse(d2.stdout)).toMatchObject({ delivered: 2, deadInOutbox: 3 });
      await cli([...H, 'retry']);
      const d3 = await cli([...H, 'dispatch', '--url', rx.url, '--secret', 'k', '--until-empty']);
      expect(d3.code).toBe(0);
      expect(d3.stdout).toMatch(/delivered 3 events .* 0 dead in the outbox/);
    } finally {
      await rx.stop();
    }
    expect(rx.orderErrors).toEqual([]);
    expect(rx.applied.size).toBe(5);
  });

  it('backtest on a small synthetic fleet reports per failure and overall', async () => {
    const r = await cli(['--home', tempHome('tbt'), 'tickets', 'backtest', '-n', '3', '--json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as {
      assets: number;
      failures: number;
      tickets: number;
      ticketed: number;
      ticketedAhead: number;
      falseAlarmTickets: number;
      openedByPriority: Record<string, number>;
      perAsset: { tickets: number; falseAlarmTickets: number; ahead: boolean }[];
      leadTimes: { valuesMs: number[] } | null;
    };
    expect(rep.assets).toBe(3);
    expect(rep.failures).toBe(3);
    expect(Object.values(rep.openedByPriority).reduce((a, b) => a + b, 0)).toBe(rep.tickets);
    expect(rep.perAsset.reduce((s, p) => s + p.tickets, 0)).toBe(rep.tickets);
    expect(rep.perAsset.reduce((s, p) => s + p.falseAlarmTickets, 0)).toBe(rep.falseAlarmTickets);
    expect(rep.perAsset.filter((p) => p.ahead).length).toBe(rep.ticketedAhead);
    expect(rep.leadTimes?.valuesMs.length ?? 0).toBe(rep.ticketed);
  });

  it('evaluate --design-prior: RUL from the prior with no failure known, each with its first predicting time', async () => {
    const home = tempHome('tevp');
    await ingestFleet(home, 3); // 3 bearings, rows 12 h apart, seed 3
    const prior = join(home, 'design-prior.json');
    const config = validate(
      FleetConfig,
      { assets: 3, snapshotSeconds: 0.1, interval: '12h', seed: 3 },
      'test',
    );
    writeDesignPrior(prior, designFleetPrior(config));
    const r = await cli(['--home', home, 'tickets', 'evaluate', '--design-prior', prior, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    const evaluations = JSON.parse(r.stdout) as {
      rul?: number;
      model?: string;
      firstPredictingT?: number | null;
    }[];
    const withRul = evaluations.filter((e) => e.rul !== undefined);
    expect(withRul.length).toBeGreaterThan(0);
    expect(new Set(withRul.map((e) => e.model))).toEqual(new Set(['fpt-exponential@fleet+design-prior']));
    // before each bearing's FPT the estimate is by age (null), from it on by its own wear
    expect(withRul.some((e) => e.firstPredictingT === null)).toBe(true);
    expect(withRul.some((e) => typeof e.firstPredictingT === 'number')).toBe(true);
    expect(withRul.every((e) => e.firstPredictingT !== undefined)).toBe(true);
    // with --model the prior has no place: said, not ignored
    const bad = await cli(['--home', home, 'tickets', 'evaluate', '--model', 'x', '--design-prior', prior]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--design-prior is for the fleet assessment \(without --model\)/);
  });

  it('models design-prior learns a prior from stored failures; too few failures are refused', async () => {
    const home = tempHome('tdp');
    const { truth } = await ingestFleet(home, 4); // 4 bearings run to failure, rows 12 h apart
    const out = join(home, 'prior.json');
    const r = await cli([
      '--home',
      home,
      'models',
      'design-prior',
      '--failures',
      truth,
      '--out',
      out,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ assets: 4, heldOutAssets: 4, rowInterval: 12 * 3_600_000 });
    const prior = readDesignPrior(out);
    expect(prior.source).toMatch(/4 assets run to failure$/);
    expect(prior.index.channels).toEqual(summary.indicators);
    // and the fleet assessment runs from it
    const ev = await cli(['--home', home, 'tickets', 'evaluate', '--design-prior', out, '--dry-run']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout).some((e: { rul?: number }) => e.rul !== undefined)).toBe(true);
    const two = join(home, 'two.csv');
    writeFileSync(two, readFileSync(truth, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    const few = await cli(['--home', home, 'models', 'design-prior', '--failures', two, '--out', out]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(
      /a design prior needs at least 3 stored assets that ran to failure .*; found 2/,
    );
  });

  it('bad usage exits 2 naming the option', async () => {
    const r = await cli(['--home', tempHome('tcli2'), 'tickets', 'dispatch', '--url', 'ftp://x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--url expects an http\(s\) URL, got "ftp:\/\/x"/);
  });
});
