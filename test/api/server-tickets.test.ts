/**
 * Ticket routes: evaluations through the policy, cursor paging that a poller can follow while
 * tickets are being opened (none missed, none repeated), the event feed, status updates (401, 404,
 * 409, resolved needs faultConfirmed) and the dispatcher inside the server delivering to a webhook.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, readFailures } from '../../api/server/index.ts';
import { auth, ingestFleet, serverConfig, tempHome, waitFor } from './server-helpers.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-03-02T08:00:00Z');
const json = (r: { body: string }) => JSON.parse(r.body);

/** Two evaluations in a row (the policy's hysteresis) with the RUL lower bound under a day: a P1. */
const urgent = (asset: string, k = 0) => [
  { asset, t: T0 + k * H, at: T0 + k * H, model: 'similarity@1', rul: 30 * H, lower: 10 * H, upper: 50 * H },
  {
    asset,
    t: T0 + (k + 1) * H,
    at: T0 + (k + 1) * H,
    model: 'similarity@1',
    rul: 29 * H,
    lower: 9 * H,
    upper: 49 * H,
  },
];

describe('ticket routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildApp({ home: tempHome(), config: serverConfig() }));
  });
  afterAll(() => app.close());

  const post = (payload: unknown, headers: Record<string, string> = auth) =>
    app.inject({ method: 'POST', url: '/v1/tickets/evaluations', headers, payload: payload as object });

  it('opens tickets from evaluations, one result per record, bad records named', async () => {
    const r = await post([...urgent('pump-1'), { asset: 'pump-2', t: 'soon' }]);
    expect(r.statusCode).toBe(200);
    const { results } = json(r);
    expect(results.map((x: { action: string }) => x.action)).toEqual(['pending', 'open', 'rejected']);
    expect(results[1]).toMatchObject({ priority: 'P1', ticketId: 'LT-000001' });
    expect(results[2].error).toMatch(/t: expected/);
    const t = json(await app.inject({ url: '/v1/tickets/LT-000001' }));
    expect(t).toMatchObject({
      asset: 'pump-1',
      priority: 'P1',
      status: 'open',
      model: { name: 'similarity', version: '1' },
    });
    expect(t.sla.respondBy).toBe(new Date(T0 + H + 15 * 60_000).toISOString());
    expect((await post(urgent('pump-9'), {})).statusCode).toBe(401);
    expect(json(await app.inject({ url: '/v1/tickets' })).tickets).toHaveLength(1);
  });

  it('pages by cursor while tickets are being opened: every ticket once', async () => {
    const seen: string[] = [];
    let since: string | null = null;
    const page = async () => {
      const r = json(await app.inject({ url: `/v1/tickets?limit=3${since ? `&since=${since}` : ''}` }));
      seen.push(...r.tickets.map((t: { id: string }) => t.id));
      since = r.next;
      return r;
    };
    // a poller and a producer interleaved
    for (let i = 0; i < 8; i++) {
      await Promise.all([page(), post(urgent(`fan-${i}`, 2 * i))]);
    }
    for (let r = await page(); r.more || r.tickets.length > 0; r = await page());
    const all = json(await app.inject({ url: '/v1/tickets?limit=1000' })).tickets.map(
      (t: { id: string }) => t.id,
    );
    expect(all).toHaveLength(9);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    const none = json(await app.inject({ url: `/v1/tickets?since=${since}` }));
    expect(none).toEqual({ tickets: [], next: since, more: false });
    const filtered = json(await app.inject({ url: '/v1/tickets?asset=fan-3' })).tickets;
    expect(filtered.map((t: { asset: string }) => t.asset)).toEqual(['fan-3']);
    const bad = await app.inject({ url: '/v1/tickets?since=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).message).toMatch(/querystring\.since/);
  });

  it('feeds events (created, upgraded) after a cursor with their idempotency keys', async () => {
    const first = json(await app.inject({ url: '/v1/tickets/events?limit=5' }));
    expect(first.events).toHaveLength(5);
    expect(first.more).toBe(true);
    expect(first.events[0]).toMatchObject({ event: 'ticket.created', idempotencyKey: 'LT-000001:1' });
    // P3 -> P1 on the same asset upgrades the open ticket
    await post([
      { asset: 'mill-1', t: T0, at: T0, rul: 8 * 24 * H, lower: 6 * 24 * H, upper: 9 * 24 * H },
      { asset: 'mill-1', t: T0 + H, at: T0 + H, rul: 8 * 24 * H, lower: 6 * 24 * H, upper: 9 * 24 * H },
    ]);
    await post([
      { asset: 'mill-1', t: T0 + 2 * H, at: T0 + 2 * H, rul: 20 * H, lower: 5 * H, upper: 30 * H },
    ]);
    let cursor = first.next;
    const rest: { event: string; ticket: { asset: string; priority: string } }[] = [];
    for (;;) {
      const r = json(await app.inject({ url: `/v1/tickets/events?since=${cursor}&limit=4` }));
      rest.push(...r.events);
      cursor = r.next;
      if (!r.more) break;
    }
    const mill = rest.filter((e) => e.ticket.asset === 'mill-1');
    expect(mill.map((e) => `${e.event} ${e.ticket.priority}`)).toEqual([
      'ticket.created P3',
      'ticket.upgraded P1',
    ]);
    expect(first.events.length + rest.length).toBe(11);
  });

  it('takes status updates back: forward only, resolved needs faultConfirmed, 401 changes nothing', async () => {
    const patch = (id: string, payload: unknown, headers: Record<string, string> = auth) =>
      app.inject({ method: 'PATCH', url: `/v1/tickets/${id}`, headers, payload: payload as object });
    expect((await patch('LT-000001', { status: 'acknowledged' }, {})).statusCode).toBe(401);
    expect(json(await app.inject({ url: '/v1/tickets/LT-000001' })).status).toBe('open');
    const ack = await patch('LT-000001', { status: 'acknowledged', note: 'on it' });
    expect(ack.statusCode).toBe(200);
    expect(json(ack).history.at(-1)).toMatchObject({ kind: 'status', from: 'open', to: 'acknowledged' });
    const noConfirm = await patch('LT-000001', { status: 'resolved' });
    expect(noConfirm.statusCode).toBe(400);
    expect(json(noConfirm).message).toMatch(/faultConfirmed/);
    const resolved = json(await patch('LT-000001', { status: 'resolved', faultConfirmed: true }));
    expect(resolved).toMatchObject({ status: 'resolved', faultConfirmed: true });
    const back = await patch('LT-000001', { status: 'open' });
    expect(back.statusCode).toBe(409);
    expect(json(back).message).toMatch(/only moves forward/);
    expect((await patch('LT-999999', { status: 'closed' })).statusCode).toBe(404);
    const bad = await patch('LT-000002', { status: 'done' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).message).toMatch(/body\.status/);
    const active = json(await app.inject({ url: '/v1/tickets?status=active&limit=1000' })).tickets;
    expect(active.map((t: { id: string }) => t.id)).not.toContain('LT-000001');
  });
});

describe('the dispatcher inside the server', () => {
  it('delivers ticket events to the webhook with idempotency keys', async () => {
    const got: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const { app } = await buildApp({
      home: tempHome(),
      config: serverConfig({ webhooks: { urls: [url], secret: 'shh', intervalSeconds: 0.05 } }),
    });
    try {
      await app.inject({
        method: 'POST',
        url: '/v1/tickets/evaluations',
        headers: auth,
        payload: urgent('press-1'),
      });
      await waitFor(
        async () => got.length,
        (n) => n >= 1,
      );
      expect(got[0].headers['idempotency-key']).toBe('LT-000001:1');
      expect(got[0].headers['x-leadtime-event']).toBe('ticket.created');
      expect(got[0].headers['x-leadtime-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(got[0].body).ticket.asset).toBe('press-1');
    } finally {
      await app.close();
      receiver.close();
    }
  });
});

describe('tickets from fleet health', () => {
  it('evaluates every stored row once through the policy; a failing fleet gets its tickets', async () => {
    const home = tempHome();
    const { truth } = await ingestFleet(home, 6);
    const { app } = await buildApp({ home, config: serverConfig(), failures: readFailures(truth) });
    try {
      expect((await app.inject({ method: 'POST', url: '/v1/tickets/evaluate-fleet' })).statusCode).toBe(401);
      const r = json(await app.inject({ method: 'POST', url: '/v1/tickets/evaluate-fleet', headers: auth }));
      expect(r.evaluated).toBeGreaterThan(6 * 20);
      const opened = r.results.filter((x: { action: string }) => x.action === 'open');
      // every bearing ran to failure: each got a ticket before its data ends
      expect(new Set(opened.map((x: { asset: string }) => x.asset)).size).toBe(6);
      const tickets = json(await app.inject({ url: '/v1/tickets?limit=1000' })).tickets;
      for (const t of tickets) {
        expect(t.evidence.anomaly.detector).toBe('mahalanobis');
        expect(Date.parse(t.openedAt)).toBeLessThanOrEqual(readFailures(truth).get(t.asset)!.failureT);
      }
      // nothing new stored: nothing evaluated again
      const again = json(
        await app.inject({ method: 'POST', url: '/v1/tickets/evaluate-fleet', headers: auth }),
      );
      expect(again.evaluated).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('with autoTickets, an ingest that stores rows opens the tickets they call for', async () => {
    const home = tempHome();
    const { truth } = await ingestFleet(home, 4);
    const { app } = await buildApp({
      home,
      config: serverConfig({ autoTickets: true }),
      failures: readFailures(truth),
    });
    try {
      expect(json(await app.inject({ url: '/v1/tickets' })).tickets).toEqual([]);
      const r = await app.inject({
        method: 'POST',
        url: '/v1/telemetry',
        headers: auth,
        payload: [
          { asset: 'bearing-001', channel: 'humidity', t: Date.parse('2026-01-02T00:00:00Z'), value: 40 },
        ],
      });
      expect(json(r).stored).toBe(1);
      const tickets = await waitFor(
        async () => json(await app.inject({ url: '/v1/tickets' })).tickets,
        (t) => t.length >= 4,
      );
      expect(new Set(tickets.map((t: { asset: string }) => t.asset)).size).toBe(4);
    } finally {
      await app.close();
    }
  });
});
