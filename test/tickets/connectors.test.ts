/**
 * Contract tests per connector against local stand-ins that enforce each vendor's documented
 * required fields, sizes and enumerations and answer as the vendor does (test/tickets/vendors):
 * under a 429 with Retry-After, a 503, and a create the vendor applied but answered 500, every
 * ticket arrives once (one incident / alert / request / ticket per leadtime ticket), priorities
 * follow the table, resolutions follow; and a dispatcher killed with SIGKILL while the vendor holds
 * a create never makes a second one after the restart.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createConnector,
  dispatch,
  priorityMap,
  summary,
  vendorKey,
  type ConnectorConfig,
  type EventBody,
  type TicketStore,
} from '../../tickets/index.ts';
import { filledStore, tempHome } from './helpers.ts';
import { JiraServer } from './vendors/jira.ts';
import { PagerDutyServer } from './vendors/pagerduty.ts';
import { ServiceNowServer } from './vendors/servicenow.ts';
import { standardFaults, type VendorServer } from './vendors/vendor-server.ts';
import { ZendeskServer } from './vendors/zendesk.ts';

const root = resolve(import.meta.dirname, '../..');
const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const SNOW = { user: 'leadtime.integration', password: 'snow-pass-9f8e7d' };
const JIRA = { email: 'bot@example.com', token: 'jira-token-5a4b3c' };
const ZD = { email: 'agent@example.com', token: 'zd-token-1q2w3e' };

interface Case {
  name: ConnectorConfig['connector'];
  server: () => VendorServer;
  /** options a config file would hold (credentials come from `env` in the CLI test) */
  options: (s: VendorServer) => Partial<ConnectorConfig>;
  env: Record<string, string>;
  count: (s: VendorServer, key: string) => number;
  /** what the vendor shows for ticket LT-00000n after the lifecycle below */
  state: (s: VendorServer, key: string) => unknown;
  expected: [unknown, unknown, unknown, unknown];
}

const CASES: Case[] = [
  {
    name: 'pagerduty',
    server: () => new PagerDutyServer(ROUTING_KEY),
    options: () => ({ routingKey: ROUTING_KEY }),
    env: { LEADTIME_PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
    count: (s, k) => (s as PagerDutyServer).count(k),
    state: (s, k) => {
      const i = (s as PagerDutyServer).last(k)!;
      return [i.status, i.severity];
    },
    expected: [
      ['acknowledged', 'critical'],
      ['resolved', 'critical'],
      ['resolved', 'critical'],
      ['triggered', 'critical'],
    ],
  },
  {
    name: 'servicenow-em',
    server: () => new ServiceNowServer(SNOW.user, SNOW.password, 'em'),
    options: () => ({ username: SNOW.user, password: SNOW.password }),
    env: { LEADTIME_SERVICENOW_USER: SNOW.user, LEADTIME_SERVICENOW_PASSWORD: SNOW.password },
    count: (s, k) => (s as ServiceNowServer).count(k),
    state: (s, k) => {
      const a = (s as ServiceNowServer).alerts.find((x) => x.messageKey === k)!;
      return [a.state, a.severity];
    },
    expected: [
      ['Open', '1'],
      ['Closed', '1'],
      ['Closed', '1'],
      ['Open', '1'],
    ],
  },
  {
    name: 'servicenow-incident',
    server: () => new ServiceNowServer(SNOW.user, SNOW.password, 'incident'),
    options: () => ({ username: SNOW.user, password: SNOW.password }),
    env: { LEADTIME_SERVICENOW_USER: SNOW.user, LEADTIME_SERVICENOW_PASSWORD: SNOW.password },
    count: (s, k) => (s as ServiceNowServer).count(k),
    state: (s, k) => {
      const i = (s as ServiceNowServer).incidents.find((x) => x.correlation_id === k)!;
      return [i.state, i.urgency, i.impact, i.close_code ?? null];
    },
    expected: [
      ['2', '1', '1', null],
      ['6', '1', '1', 'Solved (Permanently)'],
      ['6', '1', '1', 'Not Solved (Not Reproducible)'],
      ['1', '1', '1', null],
    ],
  },
  {
    name: 'jira-sm',
    server: () => new JiraServer(JIRA.email, JIRA.token),
    options: () => ({ email: JIRA.email, apiToken: JIRA.token, serviceDeskId: '1', requestTypeId: '10' }),
    env: { LEADTIME_JIRA_EMAIL: JIRA.email, LEADTIME_JIRA_API_TOKEN: JIRA.token },
    count: (s, k) => (s as JiraServer).count(k),
    state: (s, k) => {
      const i = (s as JiraServer).byLabel(k)!;
      return [i.status, i.priority];
    },
    expected: [
      ['Waiting for support', 'Highest'],
      ['Resolved', 'Highest'],
      ['Resolved', 'Highest'],
      ['Waiting for support', 'Highest'],
    ],
  },
  {
    name: 'zendesk',
    server: () => new ZendeskServer(ZD.email, ZD.token),
    options: () => ({ email: ZD.email, apiToken: ZD.token }),
    env: { LEADTIME_ZENDESK_EMAIL: ZD.email, LEADTIME_ZENDESK_API_TOKEN: ZD.token },
    count: (s, k) => (s as ZendeskServer).count(k),
    state: (s, k) => {
      const t = (s as ZendeskServer).byExternalId(k)!;
      return [t.status, t.priority];
    },
    expected: [
      ['open', 'urgent'],
      ['solved', 'urgent'],
      ['solved', 'urgent'],
      ['new', 'urgent'],
    ],
  },
];

const IDS = ['LT-000001', 'LT-000002', 'LT-000003', 'LT-000004'];
const keys = IDS.map((id) => vendorKey(id));

/** 4 tickets created at P2 and upgraded to P1; then 1 acknowledged, 2 resolved (confirmed), 3 in progress and resolved (not confirmed), 4 left open */
async function lifecycleStore(home: string): Promise<TicketStore> {
  const store = await filledStore(home, 4);
  await store.setStatus('LT-000001', { status: 'acknowledged' });
  await store.setStatus('LT-000002', { status: 'resolved', faultConfirmed: true });
  await store.setStatus('LT-000003', { status: 'in_progress' });
  await store.setStatus('LT-000003', { status: 'resolved', faultConfirmed: false });
  return store;
}

let servers: VendorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

const fast = { untilEmpty: true, baseDelayMs: 10, maxDelayMs: 50, random: () => 0.5, timeoutMs: 5000 };

describe.each(CASES)('connector $name', (c) => {
  it('every ticket arrives once despite 429 / 503 / a create applied but answered 500; resolutions follow', async () => {
    const server = await c.server().start();
    servers.push(server);
    server.fault = standardFaults(server, 1);
    const store = await lifecycleStore(tempHome(`conn-${c.name}`));
    try {
      const connector = createConnector(
        { connector: c.name, url: server.url, ...c.options(server) },
        'test',
        {},
      );
      const sum = await dispatch(store, { ...fast, destinations: [connector] });
      expect(server.invalid).toEqual([]);
      expect(sum).toMatchObject({ deadLettered: 0, pending: 0 });
      // 4 tickets: created + upgraded, plus 1 + 1 + 2 status events = 12 events
      expect(sum.delivered).toBe(12);
      const statuses = server.log.map((l) => l.status);
      expect(statuses.slice(0, 2)).toEqual([429, 503]);
      expect(statuses).toContain(500);
      // the 429's Retry-After (1 s) was honoured over the 10 ms backoff
      expect(keys.map((k) => c.count(server, k))).toEqual([1, 1, 1, 1]);
      expect(keys.map((k) => c.state(server, k))).toEqual(c.expected);
      // a second dispatch finds nothing to send
      const again = await dispatch(store, { ...fast, destinations: [connector] });
      expect(again.attempts).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('killed with SIGKILL while the vendor holds a create: the restart makes no second one', async () => {
    const server = await c.server().start();
    servers.push(server);
    let hung = false;
    server.fault = (_n, r) => (!hung && server.isCreate(r) ? ((hung = true), 'hang') : 'ok');
    const home = tempHome(`conn-kill-${c.name}`);
    (await lifecycleStore(home)).close();
    // the config file holds the non-secret options; credentials come from the environment
    const opts = Object.fromEntries(
      Object.entries(c.options(server)).filter(
        ([k]) => !['routingKey', 'password', 'apiToken', 'username', 'email'].includes(k),
      ),
    );
    const file = join(home, 'connector.yaml');
    writeFileSync(file, JSON.stringify(opts));
    const args = [
      '--home',
      home,
      'tickets',
      'dispatch',
      '--connector',
      c.name,
      '--url',
      server.url,
      '--connector-config',
      file,
      '--until-empty',
      '--base-delay',
      '20ms',
      '--json',
    ];
    const env = { ...process.env, ...c.env };
    const child = spawn(process.execPath, [resolve(root, 'bin/leadtime.js'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = new Promise<void>((r) => child.once('close', () => r()));
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        if (server.log.some((l) => l.status === 'hang')) {
          child.kill('SIGKILL');
          clearInterval(timer);
          done();
        }
      }, 5);
      void ended.then(() => {
        clearInterval(timer);
        done();
      });
    });
    await ended;
    expect(child.signalCode).toBe('SIGKILL');
    const created = keys.filter((k) => c.count(server, k) === 1).length;
    expect(created).toBeGreaterThanOrEqual(1);

    const rerun = await new Promise<{ code: number; out: string; err: string }>((done) => {
      const p = spawn(process.execPath, [resolve(root, 'bin/leadtime.js'), ...args], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '',
        err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => done({ code: code ?? -1, out, err }));
    });
    expect(rerun.err).toBe('');
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.out)).toMatchObject({ pending: 0, deadInOutbox: 0 });
    expect(server.invalid).toEqual([]);
    expect(keys.map((k) => c.count(server, k))).toEqual([1, 1, 1, 1]);
    expect(keys.map((k) => c.state(server, k))).toEqual(c.expected);
    // two CLI start-ups (compiled dist/ when fresh, else tsx compiles on the fly)
  }, 300_000);
});

describe('connector configuration and mapping', () => {
  it('the priority table: defaults per vendor scale, any cell overridden', async () => {
    expect(priorityMap().P3).toEqual({
      pagerduty: 'warning',
      servicenowEm: 3,
      urgency: 2,
      impact: 2,
      jira: 'Medium',
      zendesk: 'normal',
    });
    expect(priorityMap({ P1: { pagerduty: 'error', urgency: 2 } }).P1).toMatchObject({
      pagerduty: 'error',
      urgency: 2,
      impact: 1,
    });
    // the override reaches the vendor
    const server = await new PagerDutyServer(ROUTING_KEY).start();
    servers.push(server);
    const store = await filledStore(tempHome('conn-prio'), 1);
    try {
      const connector = createConnector(
        {
          connector: 'pagerduty',
          url: server.url,
          routingKey: ROUTING_KEY,
          priorities: { P1: { pagerduty: 'error' } },
          linkBase: 'https://leadtime.example',
        },
        'test',
        {},
      );
      await dispatch(store, { ...fast, destinations: [connector] });
      const i = server.last(vendorKey('LT-000001'))!;
      expect(i.severity).toBe('error');
      // the evidence is where PagerDuty shows details
      expect(i.customDetails).toMatchObject({
        ticket: 'LT-000001',
        priority: 'P1',
        model: 'similarity@1',
        rul: '36.0 h (90% interval 12.0-108.0 h)',
      });
      expect(String(i.customDetails.charts)).toMatch(
        /^https:\/\/leadtime\.example\/v1\/assets\/asset-1\/series\?/,
      );
    } finally {
      await store.close();
    }
  });

  it('bad config names the field; a missing credential names its variable; secrets never reach errors', async () => {
    expect(() =>
      createConnector({ connector: 'pagerduty', url: 'http://x/v2/enqueue' }, 'cfg.yaml', {}),
    ).toThrow(
      /cfg\.yaml: pagerduty: routingKey is not set \(set it in the connector config or LEADTIME_PAGERDUTY_ROUTING_KEY\)/,
    );
    expect(() => createConnector({ connector: 'servicenow', url: 'http://x' }, 'cfg.yaml', {})).toThrow(
      /connector/,
    );
    expect(() =>
      createConnector({ connector: 'jira-sm', url: 'http://x', email: 'a', apiToken: 'b' }, 'cfg.yaml', {}),
    ).toThrow(/serviceDeskId and requestTypeId are required/);
    // wrong password: 401 is permanent (dead-lettered), and the error holds neither the password nor its base64
    const server = await new ServiceNowServer(SNOW.user, SNOW.password, 'incident').start();
    servers.push(server);
    const store = await filledStore(tempHome('conn-secret'), 1);
    try {
      const wrong = 'wrong-password-123';
      const connector = createConnector(
        { connector: 'servicenow-incident', url: server.url, username: SNOW.user, password: wrong },
        'test',
        {},
      );
      const errors: string[] = [];
      const sum = await dispatch(store, {
        ...fast,
        destinations: [connector],
        onAttempt: (a) => a.error && errors.push(a.error),
      });
      expect(sum.deadLettered).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/HTTP 401 from GET|HTTP 401 from http/);
      const dead = await store.outbox('dead');
      for (const text of [...errors, ...dead.map((d) => d.lastError ?? '')]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(Buffer.from(`${SNOW.user}:${wrong}`).toString('base64'));
      }
    } finally {
      await store.close();
    }
  });

  it('a PagerDuty summary is cut to 1024 characters', () => {
    const body = JSON.parse(
      JSON.stringify({
        event: 'ticket.created',
        idempotencyKey: 'LT-1:1',
        occurredAt: '2026-01-01T00:00:00Z',
        ticket: { id: 'LT-000001', priority: 'P1', asset: 'a'.repeat(3000), faultMode: 'general', rul: null },
      }),
    ) as EventBody;
    const s = summary(body, 1024);
    expect(s.length).toBe(1024);
    expect(s.endsWith('…')).toBe(true);
  });
});
