/**
 * `servicenow-incident`: the Table API (`/api/now/table/incident`, "Table API", ServiceNow docs).
 * The incident's `correlation_id` is `<prefix>-<ticket id>`. Every send first looks it up
 * (`GET ...?sysparm_query=correlation_id=<key>`); only when none exists is it created (`POST`,
 * answered 201 with the `sys_id`), otherwise it is updated (`PATCH .../<sys_id>`). So a retry, or
 * a crash between ServiceNow's answer and the outbox's mark, finds the incident it made instead
 * of making a second. Priority becomes urgency and impact (the instance's priority lookup turns
 * them into the incident priority); status events set `state` (2 In Progress, 6 Resolved with a
 * close code, 7 Closed) and leave a work note. Basic auth.
 *
 * Status back: a business rule or flow posting `{ sys_id, number, correlation_id, state,
 * close_code?, sys_updated_on, sys_mod_count }` with a bearer token (ServiceNow has no webhook
 * signature scheme).
 */
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

export const SERVICENOW_INCIDENT_PATH = '/api/now/table/incident';

/** incident.state values of the base system */
export const INCIDENT_STATE = { new: '1', inProgress: '2', onHold: '3', resolved: '6', closed: '7' } as const;

/** The incident fields an event sets (creation: all of them; an update: what changed). */
export function incidentFields(c: ConnectorConfig, body: string, create: boolean): Record<string, string> {
  const e = JSON.parse(body) as EventBody;
  const t = e.ticket;
  const p = priorityMap(c.priorities)[t.priority];
  const step = lifecycle(e.event);
  const f: Record<string, string> = {};
  if (create || e.event === 'ticket.upgraded') {
    // short_description is 160 characters in the base system
    f.short_description = summary(e, 160);
    f.description = description(e, c.linkBase);
    f.urgency = String(p.urgency);
    f.impact = String(p.impact);
  }
  if (create) {
    f.correlation_id = vendorKey(t.id, c.keyPrefix);
    f.correlation_display = 'leadtime';
  } else f.work_notes = `leadtime ${e.event} (${e.idempotencyKey}): ${summary(e, 300)}`;
  if (step === 'acknowledged' || step === 'in_progress') f.state = INCIDENT_STATE.inProgress;
  if (step === 'resolved' || step === 'closed') {
    f.state = step === 'resolved' ? INCIDENT_STATE.resolved : INCIDENT_STATE.closed;
    // the base system requires a close code and notes to resolve
    f.close_code = t.faultConfirmed === false ? 'Not Solved (Not Reproducible)' : 'Solved (Permanently)';
    f.close_notes = `leadtime ticket ${t.id} ${step}${t.faultConfirmed === null ? '' : `; fault confirmed: ${t.faultConfirmed ? 'yes' : 'no'}`}`;
  }
  return f;
}

export function servicenowIncidentConnector(
  c: ConnectorConfig,
  env: NodeJS.ProcessEnv = process.env,
): Connector {
  const user = credential(c.username, env, 'LEADTIME_SERVICENOW_USER', 'servicenow-incident: username');
  const password = credential(
    c.password,
    env,
    'LEADTIME_SERVICENOW_PASSWORD',
    'servicenow-incident: password',
  );
  const auth = basicAuth(user, password);
  const secrets = [password, `${user}:${password}`];
  const base = c.url.replace(/\/+$/, '');
  const where = safeUrl(base);
  const headers = { authorization: auth };
  return {
    name: 'servicenow-incident',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(async (): Promise<DeliveryOutcome> => {
        const t = (JSON.parse(ev.body) as EventBody).ticket;
        const key = vendorKey(t.id, c.keyPrefix);
        const q = new URLSearchParams({
          sysparm_query: `correlation_id=${key}`,
          sysparm_fields: 'sys_id,number,state',
          sysparm_limit: '1',
        });
        const found = await httpCall('GET', `${base}?${q}`, { headers, timeoutMs: ctx.timeoutMs });
        if (found.status !== 200) return failure(found, where);
        const result = (jsonOf(found) as { result?: { sys_id?: string }[] } | null)?.result;
        if (!Array.isArray(result))
          return {
            ok: false,
            status: 200,
            error: `GET ${where}: answer has no "result" list`,
            permanent: true,
          };
        const sysId = result[0]?.sys_id;
        if (!sysId) {
          const a = await httpCall('POST', base, {
            headers,
            body: JSON.stringify(incidentFields(c, ev.body, true)),
            timeoutMs: ctx.timeoutMs,
          });
          if (a.status < 200 || a.status >= 300) return failure(a, where);
          const made = (jsonOf(a) as { result?: { sys_id?: string } } | null)?.result?.sys_id;
          return { ok: true, status: a.status, remoteId: made };
        }
        // a created event whose incident exists already: delivered by an earlier attempt
        if (ev.kind === 'ticket.created') return { ok: true, status: found.status, remoteId: sysId };
        const a = await httpCall('PATCH', `${base}/${encodeURIComponent(sysId)}`, {
          headers,
          body: JSON.stringify(incidentFields(c, ev.body, false)),
          timeoutMs: ctx.timeoutMs,
        });
        return a.status >= 200 && a.status < 300
          ? { ok: true, status: a.status, remoteId: sysId }
          : failure(a, where);
      }, secrets),
  };
}

/** incident.state back onto leadtime: 2 in progress, 6 resolved, 7 closed (others are not followed). */
export function servicenowStatus(body: unknown, prefix?: string): StatusReport {
  const b = (body ?? {}) as Record<string, unknown>;
  const key = String(b.correlation_id ?? b.message_key ?? '');
  const ticketId = ticketIdFromKey(key, prefix);
  if (!ticketId) throw new Error(`correlation_id: "${key}" is not a leadtime correlation id`);
  const state = String(b.state ?? '');
  const status =
    state === INCIDENT_STATE.inProgress
      ? 'in_progress'
      : state === INCIDENT_STATE.resolved
        ? 'resolved'
        : state === INCIDENT_STATE.closed
          ? 'closed'
          : null;
  if (!status)
    throw new Error(`state: "${state}" is not one leadtime follows (2 In Progress, 6 Resolved, 7 Closed)`);
  const code = typeof b.close_code === 'string' ? b.close_code : '';
  const faultConfirmed = !code
    ? null
    : /^Not Solved/i.test(code)
      ? false
      : /^Solved/i.test(code)
        ? true
        : null;
  return {
    eventId: `${String(b.sys_id)}:${String(b.sys_mod_count ?? b.sys_updated_on)}`,
    ticketId,
    status,
    ...(status === 'in_progress' ? {} : { faultConfirmed }),
    note: `ServiceNow ${String(b.number ?? b.sys_id)} state ${state}${code ? ` (${code})` : ''}`,
  };
}
