/**
 * `--store URL` / LEADTIME_STORE: absent = the home's DuckDB files; postgres:// = the shared store;
 * any other scheme is a usage error (exit 2) naming it. Passwords never reach messages.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../api/cli.ts';
import { parseStoreUrl, redactUrl } from '../../core/index.ts';
import { openTelemetryStore, PG_TELEMETRY_MIGRATIONS } from '../../ingest/index.ts';
import { openTicketStore } from '../../tickets/index.ts';
import { dropPgDatabases, freshPgUrl, pgAvailable } from '../store-backends.ts';

const home = () => mkdtempSync(join(tmpdir(), 'leadtime-store-opt-'));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => vi.unstubAllEnvs());
afterAll(dropPgDatabases);

describe('store URL', () => {
  it('absent or empty is the DuckDB files; postgres:// and postgresql:// are PostgreSQL; passwords are redacted', () => {
    expect(parseStoreUrl(undefined)).toEqual({ kind: 'duckdb' });
    expect(parseStoreUrl('  ')).toEqual({ kind: 'duckdb' });
    expect(parseStoreUrl('postgresql://u:pw@db:5432/lt')).toEqual({
      kind: 'postgres',
      url: 'postgresql://u:pw@db:5432/lt',
      location: 'postgresql://u@db:5432/lt',
    });
    expect(redactUrl('postgres://u:p%40ss@h/db?password=x&sslmode=require')).toBe(
      'postgres://u@h/db?password=***&sslmode=require',
    );
  });

  it('an unknown scheme is exit 2 naming it, from --store and from LEADTIME_STORE, without the password', async () => {
    const a = await cli(['--home', home(), '--store', 'mysql://root:hunter2@h/db', 'tickets', 'list']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/unknown store URL scheme "mysql"/);
    expect(a.err).not.toMatch(/hunter2/);
    vi.stubEnv('LEADTIME_STORE', 'sqlite:///x.db');
    const b = await cli(['--home', home(), 'rejected']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/"sqlite"/);
  });

  it('a store that cannot be reached is named without its password', async () => {
    // port 1 on loopback: nothing listens there
    const url = 'postgres://leadtime:hunter2@127.0.0.1:1/nowhere';
    for (const open of [openTelemetryStore, openTicketStore]) {
      const err = await open(home(), url).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(/postgres:\/\/leadtime@127\.0\.0\.1:1\/nowhere/);
      expect(err?.message).not.toMatch(/hunter2/);
    }
  });

  it.skipIf(!pgAvailable)(
    'the CLI uses the shared store given by --store and records the schema version',
    async () => {
      const url = await freshPgUrl();
      const h = home();
      const list = await cli(['--home', h, '--store', url, 'tickets', 'list', '--json']);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.out)).toEqual([]);
      // the schema was made in PostgreSQL, with its version recorded
      const store = await openTicketStore(h, url);
      expect(store.location).toBe(url);
      await store.close();
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const r = await c.query('SELECT component, version FROM leadtime_schema ORDER BY component');
      await c.end();
      expect(r.rows).toEqual([{ component: 'tickets', version: 1 }]);
    },
  );

  it.skipIf(!pgAvailable)(
    'the server opens the shared store it is given (status names it without the password)',
    async () => {
      const url = await freshPgUrl();
      const withPassword = url.replace('postgres@', 'postgres:not-checked-by-trust@');
      const h = home();
      const { buildApp } = await import('../../api/server/index.ts');
      const { serverConfig, auth } = await import('./server-helpers.ts');
      const { app } = await buildApp({ home: h, config: serverConfig(), storeUrl: withPassword });
      try {
        const r = await app.inject({ method: 'GET', url: '/v1/status', headers: auth });
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ store: url, samples: 0, features: 0, rejected: 0 });
        expect(r.body).not.toMatch(/not-checked-by-trust/);
      } finally {
        await app.close();
      }
    },
  );

  it.skipIf(!pgAvailable)('concurrent first use by several processes creates the schema once', async () => {
    const url = await freshPgUrl();
    const h = home();
    // separate pools race to migrate the empty database
    const stores = await Promise.all([
      ...Array.from({ length: 4 }, () => openTelemetryStore(h, url)),
      ...Array.from({ length: 4 }, () => openTicketStore(h, url)),
    ]);
    await Promise.all(stores.map((s) => s.close()));
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query('SELECT component, version FROM leadtime_schema ORDER BY component');
    await c.end();
    expect(r.rows).toEqual([
      // telemetry: version 2 added the run report (ingest_runs.report)
      { component: 'telemetry', version: PG_TELEMETRY_MIGRATIONS.length },
      { component: 'tickets', version: 1 },
    ]);
  });
});
