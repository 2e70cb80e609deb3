/**
 * The server over a real port on 127.0.0.1: config file with tokens and a body limit, 401s,
 * malformed and oversize bodies (with and without Content-Length), NDJSON ingest; and
 * `leadtime serve` as a process (listens, answers, stops on SIGTERM).
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.ts';
import { startServer, type RunningServer } from '../../api/commands/serve.ts';
import { resolveServerConfig } from '../../api/server/index.ts';
import { auth, tempHome, TOKEN } from './server-helpers.ts';

/** The fields of the answers these tests read. */
interface Answer {
  message: string;
  error: string;
  samples: number;
  assets: { asset: string }[];
}
const answer = async (r: Response | Promise<Response>): Promise<Answer> => (await (await r).json()) as Answer;

describe('over a real port', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const home = tempHome();
    const config = join(home, 'server.yaml');
    writeFileSync(config, `port: 0\nhost: 127.0.0.1\nbodyLimit: 4096\ntokens:\n  - ${TOKEN}\n`);
    server = await startServer({ home, config, log: () => {} });
  });
  afterAll(() => server?.close());

  it('listens on 127.0.0.1 and answers 401 to writes without a valid token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = JSON.stringify([{ asset: 'a', channel: 'c', t: 1, value: 1 }]);
    const headers = { 'content-type': 'application/json' };
    const none = await fetch(`${server.url}/v1/telemetry`, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    expect((await answer(none)).message).toMatch(/missing Authorization/);
    const wrong = await fetch(`${server.url}/v1/telemetry`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer not-the-token-xxxxxxxx' },
      body,
    });
    expect(wrong.status).toBe(401);
    const status = await answer(fetch(`${server.url}/v1/status`));
    expect(status.samples).toBe(0);
  });

  it('ingests NDJSON, and answers a malformed JSON body with 400', async () => {
    const ok = await fetch(`${server.url}/v1/telemetry`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      body: '{"asset":"a","channel":"c","t":1,"value":1}\n{"asset":"a","channel":"c","t":2,"value":2}\n',
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ stored: 2, rejected: 0 });
    const bad = await fetch(`${server.url}/v1/telemetry`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"asset": ',
    });
    expect(bad.status).toBe(400);
    expect((await answer(bad)).error).toBe('Bad Request');
  });

  it('refuses oversize bodies with 413, with Content-Length and chunked', async () => {
    const big = JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({ asset: 'big', channel: 'c', t: i, value: i })),
    );
    expect(big.length).toBeGreaterThan(4096);
    const r = await fetch(`${server.url}/v1/telemetry`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: big,
    });
    expect(r.status).toBe(413);
    expect((await answer(r)).message).toMatch(/4096-byte limit/);
    // chunked: no Content-Length, the limit is enforced while reading
    const chunked = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${server.url}/v1/telemetry`);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < big.length; i += 1000) req.write(big.slice(i, i + 1000));
      req.end();
    });
    expect(chunked).toBe(413);
    const status = await answer(fetch(`${server.url}/v1/status`));
    expect(status.samples).toBe(2);
  });

  it('says plainly when the port is taken', async () => {
    const taken = Number(new URL(server.url).port);
    await expect(
      startServer({ home: tempHome(), port: taken, host: '127.0.0.1', log: () => {} }),
    ).rejects.toThrow(
      new RegExp(
        `cannot listen on 127\\.0\\.0\\.1:${taken} \\(the port is in use\\): choose another with --port N`,
      ),
    );
  });
});

describe('server config', () => {
  it('names the field of a bad config, and adds LEADTIME_TOKENS', () => {
    const home = tempHome();
    const file = join(home, 'bad.yaml');
    writeFileSync(file, 'port: 99999\ntokens: [short]\n');
    expect(() => resolveServerConfig(file, {}, {})).toThrow(ConfigError);
    try {
      resolveServerConfig(file, {}, {});
    } catch (err) {
      expect((err as Error).message).toMatch(/port \(line 1\)/);
      expect((err as Error).message).toMatch(/tokens\[0\] \(line 2\)/);
    }
    const c = resolveServerConfig(
      undefined,
      { port: 9000 },
      { LEADTIME_TOKENS: `${TOKEN}, second-token-abcdefghij` },
    );
    expect(c.tokens).toEqual([TOKEN, 'second-token-abcdefghij']);
    expect(c.port).toBe(9000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.readsOpen).toBe(true);
  });
});

describe('leadtime serve (the command)', () => {
  it('says plainly when another process holds the store', async () => {
    const home = tempHome();
    const holder = await startServer({ home, port: 0, host: '127.0.0.1', log: () => {} });
    try {
      const r = spawnSync(
        process.execPath,
        [join(import.meta.dirname, '../../bin/leadtime.js'), '--home', home, 'serve', '--port', '0'],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /telemetry store .* is held by a running leadtime server \(PID \d+, http:\/\/127\.0\.0\.1:\d+\).*stop it \(kill \d+\)/,
      );
    } finally {
      await holder.close();
    }
  });

  it('listens, serves, and stops cleanly on SIGTERM', async () => {
    const home = tempHome();
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '../../bin/leadtime.js'), '--home', home, 'serve', '--port', '0'],
      { env: { ...process.env, LEADTIME_TOKENS: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    expect(out).not.toMatch(/write token \(this run only\)/);
    const r = await fetch(`${url}/v1/telemetry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ asset: 'x', channel: 'c', t: 5, value: 1 }),
    });
    expect(r.status).toBe(200);
    expect((await answer(fetch(`${url}/v1/assets`))).assets[0].asset).toBe('x');
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code, err).toBe(0);
    expect(out).toMatch(/stopping/);
  });
});
