/**
 * `jira-sm`: Jira Service Management's request API ("Jira Service Management Cloud REST API",
 * Atlassian): `POST <site>/rest/servicedeskapi/request` with `serviceDeskId`, `requestTypeId` and
 * `requestFieldValues` { summary (<= 255), description, priority: { name }, labels }, answered
 * 201 with `issueKey`. The request carries the label `<prefix>-<ticket id>`; each send looks it up
 * first with a JQL search (`GET /rest/api/2/search?jql=labels = "<label>"`) and creates only when
 * there is none, so a retry or a crash after Jira's answer never makes a second request (the
 * request type must show the Labels field). An upgrade sets the priority (`PUT
 * /rest/api/2/issue/<key>`) and adds an internal comment; a status event takes the transition
 * named for it (`GET/POST /rest/servicedeskapi/request/<key>/transition`), defaults
 * in_progress "Start progress", resolved "Resolve this issue", closed "Close", acknowledged: a
 * comment only. Basic auth with an account e-mail and API token.
 *
 * Status back: a Jira webhook (or automation "Send web request") with the issue: `{ timestamp,
 * webhookEvent, issue: { key, fields: { labels, status: { name, statusCategory: { key } },
 * resolution } }, changelog: { id } }`, authenticated with a bearer token.
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

export const JIRA_SM_PATH = '/rest/servicedeskapi/request';

export const DEFAULT_JIRA_TRANSITIONS = {
  in_progress: 'Start progress',
  resolved: 'Resolve this issue',
  closed: 'Close',
} as const;

interface Issue {
  key: string;
  fields?: { status?: { name?: string; statusCategory?: { key?: string } } };
}

export function jiraRequest(c: ConnectorConfig, body: string): Record<string, unknown> {
  const e = JSON.parse(body) as EventBody;
  const t = e.ticket;
  return {
    serviceDeskId: c.serviceDeskId,
    requestTypeId: c.requestTypeId,
    requestFieldValues: {
      summary: summary(e, 255),
      description: description(e, c.linkBase),
      priority: { name: priorityMap(c.priorities)[t.priority].jira },
      labels: [vendorKey(t.id, c.keyPrefix)],
    },
  };
}

export function jiraSmConnector(c: ConnectorConfig, env: NodeJS.ProcessEnv = process.env): Connector {
  if (!c.serviceDeskId || !c.requestTypeId)
    throw new Error('jira-sm: serviceDeskId and requestTypeId are required (connector config)');
  const email = credential(c.email, env, 'LEADTIME_JIRA_EMAIL', 'jira-sm: email');
  const token = credential(c.apiToken, env, 'LEADTIME_JIRA_API_TOKEN', 'jira-sm: apiToken');
  const auth = basicAuth(email, token);
  const secrets = [token, `${email}:${token}`];
  const at = c.url.indexOf(JIRA_SM_PATH);
  const site = at >= 0 ? c.url.slice(0, at) : new URL(c.url).origin;
  const where = safeUrl(c.url);
  const headers = { authorization: auth };
  const transitions: Record<string, string | undefined> = { ...DEFAULT_JIRA_TRANSITIONS, ...c.transitions };
  const ok = (a: { status: number }) => a.status >= 200 && a.status < 300;

  return {
    name: 'jira-sm',
    url: c.url,
    deliver: (ev, ctx) =>
      guarded(async (): Promise<DeliveryOutcome> => {
        const e = JSON.parse(ev.body) as EventBody;
        const label = vendorKey(e.ticket.id, c.keyPrefix);
        const q = new URLSearchParams({
          jql: `labels = "${label}"`,
          fields: 'status,priority',
          maxResults: '1',
        });
        const found = await httpCall('GET', `${site}/rest/api/2/search?${q}`, {
          headers,
          timeoutMs: ctx.timeoutMs,
        });
        if (!ok(found)) return failure(found, safeUrl(`${site}/rest/api/2/search`));
        const issues = (jsonOf(found) as { issues?: Issue[] } | null)?.issues;
        if (!Array.isArray(issues))
          return {
            ok: false,
            status: found.status,
            error: `JQL search: answer has no "issues" list`,
            permanent: true,
          };
        let issue = issues[0];
        if (!issue) {
          const a = await httpCall('POST', c.url, {
            headers,
            body: JSON.stringify(jiraRequest(c, ev.body)),
            timeoutMs: ctx.timeoutMs,
          });
          if (!ok(a)) return failure(a, where);
          const key = (jsonOf(a) as { issueKey?: string } | null)?.issueKey;
          if (!key)
            return {
              ok: false,
              status: a.status,
              error: `POST ${where}: answer has no issueKey`,
              permanent: true,
            };
          if (e.event === 'ticket.created') return { ok: true, status: a.status, remoteId: key };
          issue = { key };
        }
        const k = encodeURIComponent(issue.key);
        const step = lifecycle(e.event);
        if (e.event === 'ticket.upgraded') {
          const a = await httpCall('PUT', `${site}/rest/api/2/issue/${k}`, {
            headers,
            body: JSON.stringify({
              fields: { priority: { name: priorityMap(c.priorities)[e.ticket.priority].jira } },
            }),
            timeoutMs: ctx.timeoutMs,
          });
          if (!ok(a)) return failure(a, safeUrl(`${site}/rest/api/2/issue`));
        }
        const note = `leadtime ${e.event} (${e.idempotencyKey})\n\n${description(e, c.linkBase)}`;
        const name = step === 'open' ? undefined : transitions[step];
        if (e.event === 'ticket.created') return { ok: true, status: found.status, remoteId: issue.key };
        if (!name) {
          const a = await httpCall('POST', `${site}${JIRA_SM_PATH}/${k}/comment`, {
            headers,
            body: JSON.stringify({ body: note, public: false }),
            timeoutMs: ctx.timeoutMs,
          });
          return ok(a)
            ? { ok: true, status: a.status, remoteId: issue.key }
            : failure(a, safeUrl(`${site}${JIRA_SM_PATH}`));
        }
        const tr = await httpCall('GET', `${site}${JIRA_SM_PATH}/${k}/transition`, {
          headers,
          timeoutMs: ctx.timeoutMs,
        });
        if (!ok(tr)) return failure(tr, safeUrl(`${site}${JIRA_SM_PATH}`));
        const values = (jsonOf(tr) as { values?: { id: string; name: string }[] } | null)?.values ?? [];
        const pick = values.find((v) => v.name.toLowerCase() === name.toLowerCase());
        if (!pick) {
          // already past this step (a retry after the transition went through, or done on Jira's side)
          const category = issue.fields?.status?.statusCategory?.key;
          if (
            category === 'done' ||
            (category === 'indeterminate' && step !== 'resolved' && step !== 'closed')
          )
            return { ok: true, status: tr.status, remoteId: issue.key };
          return {
            ok: false,
            status: tr.status,
            error: `${issue.key}: no transition "${name}" for ${e.event} (available: ${values.map((v) => `"${v.name}"`).join(', ') || 'none'}; set transitions.${step} in the connector config)`,
            permanent: true,
          };
        }
        const a = await httpCall('POST', `${site}${JIRA_SM_PATH}/${k}/transition`, {
          headers,
          body: JSON.stringify({ id: pick.id, additionalComment: { body: note } }),
          timeoutMs: ctx.timeoutMs,
        });
        return ok(a)
          ? { ok: true, status: a.status, remoteId: issue.key }
          : failure(a, safeUrl(`${site}${JIRA_SM_PATH}`));
      }, secrets),
  };
}

/**
 * A Jira issue webhook back onto leadtime: status category "indeterminate" is in progress, "done"
 * resolved; the labels `fault-confirmed` / `fault-not-found` on the issue say whether the fault was
 * found (neither: not reported).
 */
export function jiraStatus(body: unknown, prefix?: string): StatusReport {
  const b = (body ?? {}) as {
    timestamp?: unknown;
    webhookEvent?: unknown;
    issue?: {
      key?: string;
      fields?: { labels?: string[]; status?: { name?: string; statusCategory?: { key?: string } } };
    };
    changelog?: { id?: unknown };
  };
  const labels = b.issue?.fields?.labels ?? [];
  const ticketId = labels.map((l) => ticketIdFromKey(l, prefix)).find((x) => x !== null) ?? null;
  if (!ticketId)
    throw new Error(
      `issue.fields.labels: no leadtime label (${prefix ?? 'leadtime'}-LT-...) on ${b.issue?.key ?? 'the issue'}`,
    );
  const category = b.issue?.fields?.status?.statusCategory?.key;
  const status = category === 'indeterminate' ? 'in_progress' : category === 'done' ? 'resolved' : null;
  if (!status)
    throw new Error(
      `issue.fields.status.statusCategory.key: "${String(category)}" is not one leadtime follows (indeterminate, done)`,
    );
  const faultConfirmed = labels.includes('fault-confirmed')
    ? true
    : labels.includes('fault-not-found')
      ? false
      : null;
  return {
    eventId: `${b.issue?.key}:${String(b.changelog?.id ?? b.timestamp)}`,
    ticketId,
    status,
    ...(status === 'resolved' ? { faultConfirmed } : {}),
    note: `Jira ${b.issue?.key} ${b.issue?.fields?.status?.name ?? category}`,
  };
}
