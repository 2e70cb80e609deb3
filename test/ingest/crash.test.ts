/**
 * Kills the ingest process mid-way (SIGKILL, no chance to clean up) and shows that nothing it had
 * reported as committed is lost, and that running it again completes the input exactly once.
 */

import { afterAll, describe, expect, it as itAll } from 'vitest';
import { openTelemetryStore } from '../../ingest/index.ts';
import { BACKENDS, dropPgDatabases } from '../store-backends.ts';
import { cmapssFile, runCli, spawnCli } from './helpers.ts';

const TOTAL = 20631 * 24;

afterAll(dropPgDatabases);

describe.each(BACKENDS)('crash safety ($name)', (backend) => {
  const it = backend.available ? itAll : itAll.skip;
  it('kill -9 during a C-MAPSS ingest: every committed batch survives, a re-run completes it exactly once', async () => {
    const { home, url } = await backend.place('crash');
    const open = () => openTelemetryStore(home, url);
    const store = url ? ['--store', url] : [];
    const child = spawnCli([
      '--home',
      home,
      ...store,
      'ingest',
      'cmapss',
      cmapssFile,
      '--batch-size',
      '20000',
      '--log-commits',
    ]);
    let lastCommitted = 0;
    let commits = 0;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith('{"committed"')) continue;
          const p = JSON.parse(line).committed as { stored: number };
          lastCommitted = p.stored;
          if (++commits === 3) {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      child.on('exit', () =>
        commits >= 3
          ? resolve()
          : reject(new Error(`ingest ended after ${commits} commits, before it could be killed`)),
      );
    });
    await new Promise((r) => child.once('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(lastCommitted).toBeGreaterThanOrEqual(3 * 20000 - 24);

    let afterKill: { samples: number } = { samples: 0 };
    let killedRun: { status: string; stored: number } | undefined;
    // PostgreSQL ends the killed client's session when it reads the closed socket, a moment after
    // the kill; until then the run's advisory lock says it is alive
    for (let i = 0; i < 50 && killedRun?.status !== 'interrupted'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const s = await open();
      afterKill = await s.counts();
      [killedRun] = await s.runs();
      await s.close();
    }
    expect(afterKill.samples).toBeGreaterThanOrEqual(lastCommitted);
    expect(afterKill.samples).toBeLessThan(TOTAL);
    expect(killedRun?.status).toBe('interrupted');
    expect(killedRun?.stored).toBe(afterKill.samples);

    const again = await runCli(['--home', home, ...store, 'ingest', 'cmapss', cmapssFile, '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { stored: number; duplicates: number; rejected: number };
    expect(summary.duplicates).toBe(afterKill.samples);
    expect(summary.stored + summary.duplicates).toBe(TOTAL);
    const final = await open();
    expect((await final.counts()).samples).toBe(TOTAL);
    await final.close();
  }, 300_000);
});
