/**
 * `servicenow-em`: ServiceNow Event Management, the JSON v2 push endpoint
 * (`POST https://<instance>.service-now.com/api/global/em/jsonv2`, "Push events using the JSONv2
 * endpoint", ServiceNow docs): `{ records: [{ source, node, type, resource, metric_name,
 * message_key, severity, description, time_of_event, additional_info }] }`. Event Management
 * groups events with the same `message_key` into one alert, so a retry updates the alert instead
 * of opening another; severity is 1 Critical .. 5 Info from the priority table, and 0 (Clear)
 * closes the alert when the ticket is resolved or closed. Basic auth (a user with the `evt_mgmt_integration` role).
 */
import {
  credential,
  lifecycle,
  vendorKey,
  type Connector,
  type ConnectorConfig,
  type EventBody,
} from './connector.ts';
import { basicAuth, failure, guarded, httpCall, safeUrl } from './http.ts';
import { priorityMap } from './priority-map.ts';
import { description, details } from './ticket-text.ts';

export const SERVICENOW_EM_PATH = '/api/global/em/jsonv2';

/** `yyyy-MM-dd HH:mm:ss` in UTC, the time format Event Management reads. */
const snowTime = (isoTime: string): string => isoTime.replace('T', ' ').slice(0, 19);

export function servicenowEmRecord(c: ConnectorConfig, body: string): Record<string, string> {
  const e = JSON.parse(body) as EventBody;
  const t = e.ticket;
  const step = lifecycle(e.event);
  const clear = step === 'resolved' || step === 'closed';
  return {
    source: c.source ?? 'leadtime',
    node: t.asset,
    type: 'Predicted failure',
    resource: t.faultMode,
    metric_name: 'remaining useful life',
    message_key: vendorKey(t.id, c.keyPrefix),
    severity: clear ? '0' : String(priorityMap(c.priorities)[t.priority].servicenowEm),
    description: description(e, c.linkBase),
    time_of_event: snowTime(e.occurredAt),
    additional_info: JSON.stringify({ ...details(t, c.linkBase), leadtimeEvent: e.event }),
  };
}

export function servicenowEmConnector(c: ConnectorConfig, env: NodeJS.ProcessEnv = process.env): Connector {
  const user = credential(c.username, env, 'LEADTIME_SERVICENOW_USER', 'servicenow-em: username');
  const password = credential(c.password, env, 'LEADTIME_SERVICENOW_PASSWORD', 'servicenow-em: password');
  const auth = basicAuth(user, password);
  const secrets = [password, `${user}:${password}`];
  const where = safeUrl(c.url);
  return {
    name: 'servicenow-em',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(async () => {
        const body = JSON.stringify({ records: [servicenowEmRecord(c, ev.body)] });
        const a = await httpCall('POST', c.url, {
          headers: { authorization: auth },
          body,
          timeoutMs: ctx.timeoutMs,
        });
        return a.status >= 200 && a.status < 300 ? { ok: true, status: a.status } : failure(a, where);
      }, secrets),
  };
}
