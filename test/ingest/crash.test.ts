/**
 * Kills the ingest process mid-way (SIGKILL, no chance to clean up) and shows that nothing it had
 * reported as committed is lost, and that running it again completes the input exactly once.
 */

import { describe, expect, it } from 'vitest';
import { DuckDbTelemetryStore, storePath } from '../../ingest/index.ts';
import { cmapssFile, runCli, spawnCli, tempDir } from './helpers.ts';

const TOTAL = 20631 * 24;

describe('crash safety', () => {
  it('kill -9 during a C-MAPSS ingest: every committed batch survives, a re-run completes it exactly once', async () => {
    const home = tempDir('crash');
    const child = spawnCli([
      '--home',
      home,
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

    const store = await DuckDbTelemetryStore.open(storePath(home));
    const afterKill = await store.counts();
    const [killedRun] = await store.runs();
    store.close();
    expect(afterKill.samples).toBeGreaterThanOrEqual(lastCommitted);
    expect(afterKill.samples).toBeLessThan(TOTAL);
    expect(killedRun.status).toBe('interrupted');
    expect(killedRun.stored).toBe(afterKill.samples);

    const again = await runCli(['--home', home, 'ingest', 'cmapss', cmapssFile, '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout) as { stored: number; duplicates: number; rejected: number };
    expect(summary.duplicates).toBe(afterKill.samples);
    expect(summary.stored + summary.duplicates).toBe(TOTAL);
    const final = await DuckDbTelemetryStore.open(storePath(home));
    expect((await final.counts()).samples).toBe(TOTAL);
    final.close();
  });
});
