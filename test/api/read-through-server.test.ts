/**
 * While a server holds the embedded (DuckDB) store, the read-side commands answer through its API
 * and the write-side ones say which server holds the store and what to do. The CLI runs as real
 * child processes (DuckDB's lock is per process); the server runs in this one.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  it('tickets list|show|events and rejected read through the API; a write says who holds the store', async () => {
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
