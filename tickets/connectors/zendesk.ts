/**
 * `zendesk`: the Tickets API ("Tickets", Zendesk Support API reference): `POST
 * <subdomain>.zendesk.com/api/v2/tickets.json` with an `Idempotency-Key` header (Zendesk answers a
 * repeat within 2 hours with the first ticket) and `external_id` = `<prefix>-<ticket id>`. Every
 * send first lists tickets by that external_id (`GET /api/v2/tickets.json?external_id=...`), so a
 * retry later than the idempotency window still finds the ticket; updates are `PUT
 * /api/v2/tickets/<id>.json` with the priority, the status (acknowledged / in progress: open;
 * resolved / closed: solved) and an internal note. Basic auth `<email>/token:<api token>`.
 *
 * Status back: a Zendesk webhook signed with `X-Zendesk-Webhook-Signature` = base64 HMAC-SHA256 of
 * `X-Zendesk-Webhook-Signature-Timestamp` + body ("Verifying webhook authenticity", Zendesk docs),
 * body from a trigger: `{ "ticket_id": "{{ticket.id}}", "external_id": "{{ticket.external_id}}",
 * "status": "{{ticket.status}}", "tags": "{{ticket.tags}}" }`.
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
import { basicAuth, failure, guarded, httpCall, jsonOf, safeUrl, type DeliveryOutcome } from './http.ts';
import { priorityMap } from './priority-map.ts';
import { description, summary } from './ticket-text.ts';

export const ZENDESK_PATH = '/api/v2/tickets.json';

export function zendeskTicket(c: ConnectorConfig, body: string, create: boolean): Record<string, unknown> {
  const e = JSON.parse(body) as EventBody;
  const t = e.ticket;
  const step = lifecycle(e.event);
  const ticket: Record<string, unknown> = {
    priority: priorityMap(c.priorities)[t.priority].zendesk,
    comment: {
      body: create
        ? description(e, c.linkBase)
        : `leadtime ${e.event} (${e.idempotencyKey})\n\n${description(e, c.linkBase)}`,
      public: false,
    },
  };
  if (create) {
    ticket.subject = summary(e, 255);
    ticket.type = 'incident';
    ticket.external_id = vendorKey(t.id, c.keyPrefix);
    ticket.tags = ['leadtime', `leadtime_${t.priority.toLowerCase()}`];
  }
  if (step === 'acknowledged' || step === 'in_progress') ticket.status = 'open';
  if (step === 'resolved' || step === 'closed') ticket.status = 'solved';
  return { ticket };
}

export function zendeskConnector(c: ConnectorConfig, env: NodeJS.ProcessEnv = process.env): Connector {
  const email = credential(c.email, env, 'LEADTIME_ZENDESK_EMAIL', 'zendesk: email');
  const token = credential(c.apiToken, env, 'LEADTIME_ZENDESK_API_TOKEN', 'zendesk: apiToken');
  const auth = basicAuth(`${email}/token`, token);
  const secrets = [token, `${email}/token:${token}`];
  const at = c.url.indexOf(ZENDESK_PATH);
  const api = at >= 0 ? c.url.slice(0, at) + '/api/v2/tickets' : c.url.replace(/\.json$/, '');
  const where = safeUrl(c.url);
  const headers = { authorization: auth };
  const ok = (a: { status: number }) => a.status >= 200 && a.status < 300;
  return {
    name: 'zendesk',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(async (): Promise<DeliveryOutcome> => {
        const e = JSON.parse(ev.body) as EventBody;
        const key = vendorKey(e.ticket.id, c.keyPrefix);
        const found = await httpCall('GET', `${api}.json?${new URLSearchParams({ external_id: key })}`, {
          headers,
          timeoutMs: ctx.timeoutMs,
        });
        if (!ok(found)) return failure(found, where);
        const list = (jsonOf(found) as { tickets?: { id: number }[] } | null)?.tickets;
        if (!Array.isArray(list))
          return {
            ok: false,
            status: found.status,
            error: `GET ${where}: answer has no "tickets" list`,
            permanent: true,
          };
        const existing = list[0]?.id;
        if (existing === undefined) {
          const a = await httpCall('POST', c.url, {
            // the same key on every retry of this event; Zendesk answers a repeat with the first ticket
            headers: { ...headers, 'idempotency-key': ev.idempotencyKey },
            body: JSON.stringify(zendeskTicket(c, ev.body, true)),
            timeoutMs: ctx.timeoutMs,
          });
          if (!ok(a)) return failure(a, where);
          const id = (jsonOf(a) as { ticket?: { id?: number } } | null)?.ticket?.id;
          if (e.event === 'ticket.created' || id === undefined)
            return { ok: true, status: a.status, remoteId: String(id) };
          // an update whose ticket had vanished: created it with the current content, now set its status
          return update(id);
        }
        if (e.event === 'ticket.created')
          return { ok: true, status: found.status, remoteId: String(existing) };
        return update(existing);

        async function update(id: number): Promise<DeliveryOutcome> {
          const a = await httpCall('PUT', `${api}/${id}.json`, {
            headers,
            body: JSON.stringify(zendeskTicket(c, ev.body, false)),
            timeoutMs: ctx.timeoutMs,
          });
          return ok(a) ? { ok: true, status: a.status, remoteId: String(id) } : failure(a, where);
        }
      }, secrets),
  };
}

export const signZendesk = (raw: string | Buffer, timestamp: string, secret: string): string =>
  createHmac('sha256', secret).update(timestamp).update(raw).digest('base64');

/** `X-Zendesk-Webhook-Signature` over timestamp + raw body. */
export function verifyZendesk(
  raw: Buffer,
  secret: string,
  signature: string | undefined,
  timestamp: string | undefined,
): boolean {
  if (!signature || !timestamp) return false;
  const expected = Buffer.from(signZendesk(raw, timestamp, secret));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * A Zendesk trigger's webhook back onto leadtime: status open is acknowledged, pending / hold in
 * progress, solved resolved, closed closed; tags `fault_confirmed` / `fault_not_found` say whether
 * the fault was found. `eventId` is the invocation id header when there is one.
 */
export function zendeskStatus(
  body: unknown,
  invocationId: string | undefined,
  prefix?: string,
): StatusReport {
  const b = (body ?? {}) as {
    ticket_id?: unknown;
    external_id?: unknown;
    status?: unknown;
    tags?: unknown;
    updated_at?: unknown;
  };
  const key = String(b.external_id ?? '');
  const ticketId = ticketIdFromKey(key, prefix);
  if (!ticketId) throw new Error(`external_id: "${key}" is not a leadtime external id`);
  const s = String(b.status ?? '').toLowerCase();
  const status =
    s === 'open'
      ? 'acknowledged'
      : s === 'pending' || s === 'hold'
        ? 'in_progress'
        : s === 'solved'
          ? 'resolved'
          : s === 'closed'
            ? 'closed'
            : null;
  if (!status)
    throw new Error(`status: "${s}" is not one leadtime follows (open, pending, hold, solved, closed)`);
  const tags = Array.isArray(b.tags) ? b.tags.map(String) : String(b.tags ?? '').split(/\s+/);
  const faultConfirmed = tags.includes('fault_confirmed')
    ? true
    : tags.includes('fault_not_found')
      ? false
      : null;
  return {
    eventId: invocationId ?? `${String(b.ticket_id)}:${s}:${String(b.updated_at)}`,
    ticketId,
    status,
    ...(status === 'resolved' || status === 'closed' ? { faultConfirmed } : {}),
    note: `Zendesk ticket ${String(b.ticket_id)} ${s}`,
  };
}
