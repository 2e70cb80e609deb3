/**
 * Status back: POST /v1/connectors/<vendor>/events maps each vendor's acknowledge / resolve onto
 * the ticket's status and history (seen by GET /v1/tickets), authenticated as the vendor signs
 * (PagerDuty v1= HMAC, Zendesk base64 HMAC of timestamp + body) or with a token (ServiceNow,
 * Jira); forged, stale, replayed, unknown and backward events are refused with a reason and
 * change nothing. The PagerDuty case goes round: trigger out, resolve back, resolve out again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/server/index.ts';
import {
  createConnector,
  dispatch,
  signPagerDuty,
  signZendesk,
  type Ticket,
  type TicketStore,
} from '../../tickets/index.ts';
import { filledStore } from '../tickets/helpers.ts';
import { PagerDutyServer } from '../tickets/vendors/pagerduty.ts';
import { serverConfig, tempHome } from './server-helpers.ts';

const PD_SECRET = 'pd-webhook-secret-0001';
const ZD_SECRET = 'zd-webhook-secret-0002';
const SNOW_TOKEN = 'snow-status-token-0003';
const JIRA_TOKEN = 'jira-status-token-0004';
const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

const pdEvent = (id: string, type: string, key: string) => ({
  event: {
    id,
    event_type: type,
    resource_type: 'incident',
    occurred_at: '2026-03-02T09:00:00.000Z',
    agent: { id: 'PUSER1', type: 'user_reference' },
    data: {
      id: 'PINC42',
      type: 'incident',
      number: 42,
      status: 'acknowledged',
      incident_key: key,
      title: 'x',
    },
  },
});

describe('status back from the ticketing systems', () => {
  let app: FastifyInstance;
  let store: TicketStore;
  let pd: PagerDutyServer;

  beforeAll(async () => {
    store = await filledStore(tempHome('lt-connectors-'), 4);
    ({ app } = await buildApp({
      home: tempHome('lt-connectors-home-'),
      tickets: store,
      config: serverConfig({
        statusBack: {
          pagerduty: { secret: PD_SECRET },
          zendesk: { secret: ZD_SECRET },
          servicenow: { token: SNOW_TOKEN },
          jira: { token: JIRA_TOKEN },
          toleranceSeconds: 300,
        },
      } as never),
    }));
    pd = await new PagerDutyServer(ROUTING_KEY).start();
  });
  afterAll(async () => {
    await app.close();
    await pd.stop();
    await store.close();
  });

  const send = (vendor: string, body: unknown, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: `/v1/connectors/${vendor}/events`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const ticket = async (id: string): Promise<Ticket> => (await store.get(id))!;
  const msg = (r: { body: string }) => (JSON.parse(r.body) as { message: string }).message;

  it('pagerduty: signed acknowledge and resolve apply once; forged, replayed, unknown refused', async () => {
    const destination = createConnector(
      { connector: 'pagerduty', url: pd.url, routingKey: ROUTING_KEY },
      'test',
      {},
    );
    await dispatch(store, { destinations: [destination], untilEmpty: true, baseDelayMs: 10 });
    expect(pd.last('leadtime-LT-000001')!.status).toBe('triggered');

    const ack = JSON.stringify(pdEvent('01EVTACK', 'incident.acknowledged', 'leadtime-LT-000001'));
    const forged = await send('pagerduty', ack, {
      'x-pagerduty-signature': signPagerDuty(ack, 'not-the-secret'),
    });
    expect(forged.statusCode).toBe(401);
    expect(msg(forged)).toMatch(/X-PagerDuty-Signature does not match/);
    expect((await ticket('LT-000001')).status).toBe('open');

    // a rotation sends two signatures; one matching is enough
    const ok = await send('pagerduty', ack, {
      'x-pagerduty-signature': `v1=${'0'.repeat(64)}, ${signPagerDuty(ack, PD_SECRET)}`,
    });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ticket: 'LT-000001', status: 'acknowledged', event: '01EVTACK' });
    const t = await ticket('LT-000001');
    expect(t.history.at(-1)).toMatchObject({ kind: 'status', from: 'open', to: 'acknowledged' });
    expect(t.history.at(-1)!.note).toMatch(/PagerDuty incident\.acknowledged \(incident #42\)/);

    const replay = await send('pagerduty', ack, { 'x-pagerduty-signature': signPagerDuty(ack, PD_SECRET) });
    expect(replay.statusCode).toBe(409);
    expect(msg(replay)).toMatch(/already applied .*replay.*nothing changed/);
    expect((await ticket('LT-000001')).history.length).toBe(t.history.length);

    const other = JSON.stringify(pdEvent('01EVTANN', 'incident.annotated', 'leadtime-LT-000001'));
    const annotated = await send('pagerduty', other, {
      'x-pagerduty-signature': signPagerDuty(other, PD_SECRET),
    });
    expect(annotated.statusCode).toBe(422);
    expect(msg(annotated)).toMatch(/event_type: "incident.annotated" is not one leadtime follows/);

    const unknown = JSON.stringify(pdEvent('01EVTUNK', 'incident.resolved', 'leadtime-LT-999999'));
    const nf = await send('pagerduty', unknown, {
      'x-pagerduty-signature': signPagerDuty(unknown, PD_SECRET),
    });
    expect(nf.statusCode).toBe(404);
    const foreign = JSON.stringify(pdEvent('01EVTFOR', 'incident.resolved', 'some-other-tool-17'));
    expect(
      (await send('pagerduty', foreign, { 'x-pagerduty-signature': signPagerDuty(foreign, PD_SECRET) }))
        .statusCode,
    ).toBe(422);

    // resolve in PagerDuty: leadtime resolved (fault confirmation not reported), and the resolve goes back out once
    const res = JSON.stringify(pdEvent('01EVTRES', 'incident.resolved', 'leadtime-LT-000001'));
    expect(
      (await send('pagerduty', res, { 'x-pagerduty-signature': signPagerDuty(res, PD_SECRET) })).statusCode,
    ).toBe(200);
    const resolved = await ticket('LT-000001');
    expect(resolved).toMatchObject({ status: 'resolved', faultConfirmed: null });
    expect(resolved.history.at(-1)!.note).toMatch(
      /^fault confirmed: not reported; PagerDuty incident\.resolved/,
    );
    const events = (await store.outbox()).filter((e) => e.ticketId === 'LT-000001').map((e) => e.kind);
    expect(events).toEqual(['ticket.created', 'ticket.upgraded', 'ticket.acknowledged', 'ticket.resolved']);
    await dispatch(store, { destinations: [destination], untilEmpty: true, baseDelayMs: 10 });
    expect(pd.count('leadtime-LT-000001')).toBe(1);
    expect(pd.last('leadtime-LT-000001')!.status).toBe('resolved');

    // what the service team did shows in the ticket list
    const list = await app.inject({
      method: 'GET',
      url: '/v1/tickets?status=resolved',
      headers: { authorization: 'Bearer test-token-0123456789abcdef' },
    });
    expect((JSON.parse(list.body) as { tickets: Ticket[] }).tickets.map((x) => x.id)).toContain('LT-000001');
  });

  it('zendesk: signature over timestamp + body; stale timestamps and repeated invocations refused', async () => {
    const body = JSON.stringify({
      ticket_id: 1002,
      external_id: 'leadtime-LT-000002',
      status: 'solved',
      tags: 'leadtime fault_confirmed',
    });
    const now = new Date().toISOString();
    const headers = (ts: string, sig = signZendesk(body, ts, ZD_SECRET)) => ({
      'x-zendesk-webhook-signature': sig,
      'x-zendesk-webhook-signature-timestamp': ts,
      'x-zendesk-webhook-invocation-id': 'inv-0001',
    });
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    const old = await send('zendesk', body, headers(stale));
    expect(old.statusCode).toBe(401);
    expect(msg(old)).toMatch(/more than 300 s away from now/);
    expect((await send('zendesk', body, headers(now, signZendesk(body, now, 'wrong')))).statusCode).toBe(401);
    expect((await ticket('LT-000002')).status).toBe('open');

    const ok = await send('zendesk', body, headers(now));
    expect(ok.statusCode).toBe(200);
    expect(await ticket('LT-000002')).toMatchObject({ status: 'resolved', faultConfirmed: true });
    const again = await send('zendesk', body, headers(now));
    expect(again.statusCode).toBe(409);
  });

  it('servicenow and jira: bearer token; state / status category mapped; backwards refused', async () => {
    const snow = {
      sys_id: 'a'.repeat(32),
      number: 'INC0010003',
      correlation_id: 'leadtime-LT-000003',
      state: '6',
      close_code: 'Not Solved (Not Reproducible)',
      sys_mod_count: 4,
    };
    expect((await send('servicenow', snow, {})).statusCode).toBe(401);
    expect(
      (await send('servicenow', snow, { authorization: 'Bearer wrong-token-wrong-token' })).statusCode,
    ).toBe(401);
    const bad = await send(
      'servicenow',
      { ...snow, correlation_id: undefined },
      { authorization: `Bearer ${SNOW_TOKEN}` },
    );
    expect(bad.statusCode).toBe(400);
    expect(msg(bad)).toMatch(/correlation_id/);
    const ok = await send('servicenow', snow, { authorization: `Bearer ${SNOW_TOKEN}` });
    expect(ok.statusCode).toBe(200);
    expect(await ticket('LT-000003')).toMatchObject({ status: 'resolved', faultConfirmed: false });

    const jira = (category: string, changelog: number, labels = ['leadtime-LT-000004']) => ({
      timestamp: 1767000000000 + changelog,
      webhookEvent: 'jira:issue_updated',
      issue: {
        key: 'SD-4',
        fields: {
          labels,
          status: {
            name: category === 'done' ? 'Resolved' : 'In progress',
            statusCategory: { key: category },
          },
        },
      },
      changelog: { id: changelog },
    });
    const h = { authorization: `Bearer ${JIRA_TOKEN}` };
    expect((await send('jira-sm', jira('indeterminate', 1), h)).statusCode).toBe(200);
    expect((await ticket('LT-000004')).status).toBe('in_progress');
    expect(
      (await send('jira-sm', jira('done', 2, ['leadtime-LT-000004', 'fault-confirmed']), h)).statusCode,
    ).toBe(200);
    expect(await ticket('LT-000004')).toMatchObject({ status: 'resolved', faultConfirmed: true });
    const back = await send('jira-sm', jira('indeterminate', 3), h);
    expect(back.statusCode).toBe(409);
    expect(msg(back)).toMatch(/cannot go from "resolved" to "in_progress".*nothing changed/);
    expect((await send('jira-sm', jira('done', 4, ['unrelated']), h)).statusCode).toBe(422);
  });
});

describe("the server's dispatcher with connectors from its config", () => {
  it('delivers the outbox to a PagerDuty destination named in `connectors`', async () => {
    const pd = await new PagerDutyServer(ROUTING_KEY).start();
    const store = await filledStore(tempHome('lt-connectors-d-'), 2);
    const { app } = await buildApp({
      home: tempHome('lt-connectors-dh-'),
      tickets: store,
      config: serverConfig({
        webhooks: { urls: [], intervalSeconds: 0.05 },
        connectors: [{ connector: 'pagerduty', url: pd.url, routingKey: ROUTING_KEY }],
      } as never),
    });
    try {
      for (let i = 0; i < 400 && (await store.pendingCount()) > 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await store.pendingCount()).toBe(0);
      expect(pd.invalid).toEqual([]);
      expect(['leadtime-LT-000001', 'leadtime-LT-000002'].map((k) => pd.count(k))).toEqual([1, 1]);
      expect(pd.last('leadtime-LT-000002')!.severity).toBe('critical');
    } finally {
      await app.close();
      await pd.stop();
      await store.close();
    }
  });
});
