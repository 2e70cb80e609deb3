/**
 * `pagerduty`: PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event"):
 * `POST https://events.pagerduty.com/v2/enqueue` with `routing_key`, `event_action`
 * (trigger / acknowledge / resolve), `dedup_key` (<= 255 chars) and, for a trigger, `payload`
 * { summary (<= 1024), source, severity (critical / error / warning / info), timestamp,
 * component, class, custom_details }. PagerDuty answers 202 with the `dedup_key`; a trigger with an
 * open incident's dedup_key is added to it instead of opening another, so a retry is harmless.
 * The dedup key is `<prefix>-<ticket id>`, the same for every event of the ticket.
 *
 * Status back: v3 webhooks (`incident.acknowledged`, `incident.resolved`), signed with
 * `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the raw body>` (several comma-separated during a
 * secret rotation; "Verifying Signatures", PagerDuty developer docs).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  credential,
  lifecycle,
  ticketIdFromKey,
  vendorKey,
  type Connector,
  type ConnectorConfig,
  type EventBody,
  type StatusReport,
} from './connector.ts';
import { failure, guarded, httpCall, jsonOf, safeUrl } from './http.ts';
import { priorityMap } from './priority-map.ts';
import { chartLinks, details, summary } from './ticket-text.ts';

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

/** The Events API v2 body for one outbox event. */
export function pagerdutyEvent(
  c: ConnectorConfig,
  routingKey: string,
  body: string,
): Record<string, unknown> {
  const e = JSON.parse(body) as EventBody;
  const t = e.ticket;
  const step = lifecycle(e.event);
  const action =
    step === 'open'
      ? 'trigger'
      : step === 'acknowledged' || step === 'in_progress'
        ? 'acknowledge'
        : 'resolve';
  const out: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: action,
    dedup_key: vendorKey(t.id, c.keyPrefix),
    client: 'leadtime',
  };
  if (action === 'trigger') {
    out.payload = {
      summary: summary(e, 1024),
      source: c.source ?? t.asset,
      severity: priorityMap(c.priorities)[t.priority].pagerduty,
      timestamp: e.occurredAt,
      component: t.asset,
      group: t.faultMode,
      class: 'predicted failure',
      custom_details: details(t, c.linkBase),
    };
    if (c.linkBase) out.links = chartLinks(t, c.linkBase).map((href) => ({ href, text: 'indicator chart' }));
  }
  return out;
}

export function pagerdutyConnector(c: ConnectorConfig, env: NodeJS.ProcessEnv = process.env): Connector {
  const routingKey = credential(c.routingKey, env, 'LEADTIME_PAGERDUTY_ROUTING_KEY', 'pagerduty: routingKey');
  const where = safeUrl(c.url);
  return {
    name: 'pagerduty',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(async () => {
        const body = JSON.stringify(pagerdutyEvent(c, routingKey, ev.body));
        const a = await httpCall('POST', c.url, { body, timeoutMs: ctx.timeoutMs });
        if (a.status < 200 || a.status >= 300) return failure(a, where);
        const r = jsonOf(a) as { dedup_key?: string } | null;
        return { ok: true, status: a.status, remoteId: r?.dedup_key };
      }, [routingKey]),
  };
}

/** `X-PagerDuty-Signature`: any of its `v1=<hex>` entries matches the HMAC-SHA256 of the raw body. */
export function verifyPagerDuty(raw: Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  return header
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((got) => got.length === expected.length && timingSafeEqual(got, expected));
}

export const signPagerDuty = (raw: string | Buffer, secret: string): string =>
  `v1=${createHmac('sha256', secret).update(raw).digest('hex')}`;

/** A v3 webhook's `{ event: { id, event_type, occurred_at, data: { incident_key, ... } } }` as a status report. */
export function pagerdutyStatus(body: unknown, prefix?: string): StatusReport {
  const e = (body as { event?: Record<string, unknown> }).event ?? {};
  const data = (e.data ?? {}) as { incident_key?: unknown; number?: unknown; html_url?: unknown };
  const type = String(e.event_type ?? '');
  const status =
    type === 'incident.acknowledged' ? 'acknowledged' : type === 'incident.resolved' ? 'resolved' : null;
  if (!status)
    throw new Error(
      `event.event_type: "${type}" is not one leadtime follows (incident.acknowledged, incident.resolved)`,
    );
  const key = typeof data.incident_key === 'string' ? data.incident_key : '';
  const ticketId = ticketIdFromKey(key, prefix);
  if (!ticketId) throw new Error(`event.data.incident_key: "${key}" is not a leadtime dedup key`);
  return {
    eventId: String(e.id),
    ticketId,
    status,
    ...(status === 'resolved' ? { faultConfirmed: null } : {}),
    note: `PagerDuty ${type}${data.number !== undefined ? ` (incident #${String(data.number)})` : ''}`,
  };
}
