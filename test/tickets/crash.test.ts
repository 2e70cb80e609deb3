/**
 * SIGKILL between writing and delivering: the CLI is killed (no chance to clean up) while it writes
 * tickets, and while a delivery is in flight (the receiver has applied it but not answered); after a
 * restart every ticket event arrives at least once, the receiver applies each key once and in
 * order, and the store holds every ticket exactly once with its events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbTicketStore, ticketStorePath } from '../../tickets/index.ts';
import { fleetEvaluations, tempHome } from './helpers.ts';
import { Receiver } from './receiver.ts';

const root = resolve(import.meta.dirname, '../..');
const SECRET = 'crash-secret';

function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [resolve(root, 'bin/leadtime.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawnCli(args);
    let stdout = '',
      stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** Kills the child with SIGKILL when `when` returns true for a stderr line (or resolves false if it ended first). */
function killOn(child: ChildProcess, when: (line: string) => boolean): Promise<boolean> {
  return new Promise((done) => {
    let buf = '';
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines)
        if (when(l)) {
          child.kill('SIGKILL');
          done(true);
        }
    });
    child.on('close', () => done(false));
  });
}

const closed = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('close', () => r())));

describe('crash safety (SIGKILL)', () => {
  it('killed while writing tickets, then while delivering: nothing lost, nothing duplicated', async () => {
    const home = tempHome('tcrash');
    const assets = 12;
    const file = join(home, 'evaluations.json');
    writeFileSync(file, JSON.stringify(fleetEvaluations(assets)));

    // 1. killed while writing (transactions of 3 evaluations): after 10 of the 36 are committed
    const writer = spawnCli(['--home', home, 'tickets', 'open', file, '--log-commits', '--batch-size', '3']);
    let commits = 0;
    const killedWriting = await killOn(writer, (l) => l.startsWith('{"committed"') && ++commits === 10);
    await closed(writer);
    expect(killedWriting).toBe(true);
    expect(writer.signalCode).toBe('SIGKILL');
    let store = await DuckDbTicketStore.open(ticketStorePath(home));
    const tickets = await store.list();
    const events = await store.outbox();
    store.close();
    // every committed ticket has its events, and only those (the transaction covers both)
    expect(commits).toBeGreaterThanOrEqual(10);
    expect(events.length).toBe(tickets.reduce((s, t) => s + t.version, 0));
    expect(new Set(tickets.map((t) => t.asset)).size).toBe(tickets.length);

    // the re-run completes the batch: one ticket per asset, each created then upgraded
    const reopen = await run(['--home', home, 'tickets', 'open', file, '--json']);
    expect(reopen.code).toBe(0);

    // 2. killed while a delivery is in flight: the receiver applied event #3 but never answered
    let inFlight = false;
    const rx = await new Receiver(SECRET, (n) => (n === 2 ? 'hang' : 200)).start();
    try {
      const d1 = spawnCli([
        '--home',
        home,
        'tickets',
        'dispatch',
        '--url',
        rx.url,
        '--secret',
        SECRET,
        '--until-empty',
        '--base-delay',
        '20ms',
        '--log-attempts',
      ]);
      const killed = new Promise<void>((done) => {
        const timer = setInterval(() => {
          if (rx.received.length >= 3 && !inFlight) {
            inFlight = true;
            d1.kill('SIGKILL');
            clearInterval(timer);
            done();
          }
        }, 5);
        d1.on('close', () => {
          clearInterval(timer);
          done();
        });
      });
      await killed;
      await closed(d1);
      expect(d1.signalCode).toBe('SIGKILL');
      const hungKey = rx.received[2].key;

      store = await DuckDbTicketStore.open(ticketStorePath(home));
      const afterKill = await store.outbox();
      store.close();
      expect(afterKill.find((e) => e.idempotencyKey === hungKey)?.state).toBe('pending');
      expect(afterKill.filter((e) => e.state === 'delivered').length).toBeLessThan(2 * assets);

      // restart: delivers the rest, exit 0
      const d2 = await run([
        '--home',
        home,
        'tickets',
        'dispatch',
        '--url',
        rx.url,
        '--secret',
        SECRET,
        '--until-empty',
        '--base-delay',
        '20ms',
        '--json',
      ]);
      expect(d2.stderr).toBe('');
      expect(d2.code).toBe(0);
      expect(JSON.parse(d2.stdout)).toMatchObject({ pending: 0, deadLettered: 0, deadInOutbox: 0 });

      // the hung event arrived twice and was applied once
      expect(rx.received.filter((r) => r.key === hungKey).length).toBeGreaterThanOrEqual(2);
    } finally {
      await rx.stop();
    }
    const expected = new Set<string>();
    for (let i = 1; i <= assets; i++)
      for (const v of [1, 2]) expected.add(`LT-${String(i).padStart(6, '0')}:${v}`);
    expect(rx.keys()).toEqual(expected);
    expect(rx.orderErrors).toEqual([]);
    expect(rx.received.every((r) => r.signatureOk)).toBe(true);

    store = await DuckDbTicketStore.open(ticketStorePath(home));
    const final = await store.list();
    const outbox = await store.outbox();
    store.close();
    expect(final.length).toBe(assets);
    expect(new Set(final.map((t) => t.asset)).size).toBe(assets);
    expect(final.every((t) => t.priority === 'P1' && t.version === 2)).toBe(true);
    expect(outbox.length).toBe(2 * assets);
    expect(outbox.every((e) => e.state === 'delivered')).toBe(true);
    // the receiver ends with every ticket at the version the store has: nothing lost, nothing extra
    expect(new Map(final.map((t) => [t.id, t.version]))).toEqual(rx.versions);
    expect(rx.duplicates).toBeGreaterThanOrEqual(1);
  });
});
