/**
 * Status coming back from the ticketing systems: `POST /v1/connectors/<vendor>/events` for
 * pagerduty (v3 webhooks, `X-PagerDuty-Signature`), zendesk (`X-Zendesk-Webhook-Signature` over
 * timestamp + body, timestamps older than `statusBack.toleranceSeconds` refused), servicenow and
 * jira-sm (a bearer token: neither signs its outbound calls). Each maps the vendor's acknowledge /
 * resolve onto the ticket's status and history, like `PATCH /v1/tickets/:id`. Refused with a
 * reason and nothing changed: a bad signature or token (401), a body the vendor does not send or
 * an event leadtime does not follow (422), an unknown ticket (404), a replay (409: the vendor's
 * event id is already in the ticket's history, or the status would not move forward).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  jiraStatus,
  pagerdutyStatus,
  servicenowStatus,
  verifyPagerDuty,
  verifyZendesk,
  zendeskStatus,
  type StatusReport,
  type Ticket,
} from '../../tickets/index.ts';
import { jsonDepth } from '../../core/index.ts';
import type { ServerContext } from './context.ts';
import { errorBody, HttpError } from './errors.ts';
import { errorResponses } from './schemas.ts';

const header = (r: FastifyRequest, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const sameToken = (a: string, b: string): boolean => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
};

// what each vendor sends (the fields leadtime reads; vendors add many more, which are allowed)
const PagerDutyEvent = Type.Object({
  event: Type.Object({
    id: Type.String({ minLength: 1 }),
    event_type: Type.String({ minLength: 1 }),
    resource_type: Type.String(),
    occurred_at: Type.String(),
    data: Type.Object({ id: Type.String(), incident_key: Type.Optional(Type.String()) }),
  }),
});
const ZendeskEvent = Type.Object({
  ticket_id: Type.Union([Type.String(), Type.Integer()]),
  external_id: Type.String(),
  status: Type.String({ minLength: 1 }),
  tags: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  updated_at: Type.Optional(Type.String()),
});
const ServiceNowEvent = Type.Object({
  sys_id: Type.String({ minLength: 1 }),
  number: Type.Optional(Type.String()),
  correlation_id: Type.String({ minLength: 1 }),
  state: Type.Union([Type.String(), Type.Integer()]),
  close_code: Type.Optional(Type.String()),
  sys_mod_count: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
  sys_updated_on: Type.Optional(Type.String()),
});
const JiraEvent = Type.Object({
  timestamp: Type.Integer(),
  webhookEvent: Type.String(),
  issue: Type.Object({
    key: Type.String({ minLength: 1 }),
    fields: Type.Object({
      labels: Type.Array(Type.String()),
      status: Type.Object({ name: Type.String(), statusCategory: Type.Object({ key: Type.String() }) }),
    }),
  }),
  changelog: Type.Optional(Type.Object({ id: Type.Union([Type.String(), Type.Integer()]) })),
});

interface Vendor {
  name: string;
  title: string;
  body: TSchema;
  /** null when authentic, else why not */
  authenticate(r: FastifyRequest, raw: Buffer): string | null;
  report(r: FastifyRequest): StatusReport;
}

export const connectorRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  const sb = ctx.config.statusBack;
  const prefix = sb.keyPrefix;
  const env = process.env;
  const raws = new WeakMap<FastifyRequest, Buffer>();
  // this plugin's JSON parser keeps the raw bytes: signatures are over the body as sent (it
  // replaces the server's parser inside this plugin only; the same depth limit applies)
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    raws.set(request, body as Buffer);
    const maxDepth = ctx.config.limits.jsonDepth;
    if (jsonDepth((body as Buffer).toString('utf8'), maxDepth) > maxDepth)
      return done(new HttpError(400, `body: JSON nested deeper than ${maxDepth} levels`), undefined);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch (err) {
      done(new HttpError(400, `body is not JSON: ${(err as Error).message}`), undefined);
    }
  });

  const bearer = (secret: string | undefined, what: string) => (r: FastifyRequest) => {
    if (!secret)
      return `no ${what} status-back token is configured (statusBack.${what}.token or its variable)`;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(r, 'authorization') ?? '');
    return m && sameToken(m[1], secret) ? null : 'missing or unknown bearer token';
  };

  const vendors: Vendor[] = [
    {
      name: 'pagerduty',
      title: 'PagerDuty v3 webhook (incident.acknowledged, incident.resolved)',
      body: PagerDutyEvent,
      authenticate: (r, raw) => {
        const secret = sb.pagerduty?.secret ?? env.LEADTIME_PAGERDUTY_WEBHOOK_SECRET;
        if (!secret)
          return 'no PagerDuty webhook secret is configured (statusBack.pagerduty.secret or LEADTIME_PAGERDUTY_WEBHOOK_SECRET)';
        return verifyPagerDuty(raw, secret, header(r, 'x-pagerduty-signature'))
          ? null
          : 'X-PagerDuty-Signature does not match the body';
      },
      report: (r) => pagerdutyStatus(r.body, prefix),
    },
    {
      name: 'zendesk',
      title: 'Zendesk webhook from a trigger (ticket status changes)',
      body: ZendeskEvent,
      authenticate: (r, raw) => {
        const secret = sb.zendesk?.secret ?? env.LEADTIME_ZENDESK_WEBHOOK_SECRET;
        if (!secret)
          return 'no Zendesk webhook secret is configured (statusBack.zendesk.secret or LEADTIME_ZENDESK_WEBHOOK_SECRET)';
        const ts = header(r, 'x-zendesk-webhook-signature-timestamp');
        if (!verifyZendesk(raw, secret, header(r, 'x-zendesk-webhook-signature'), ts))
          return 'X-Zendesk-Webhook-Signature does not match the timestamp and body';
        const age = Math.abs(Date.now() - Date.parse(ts!));
        if (!(age <= sb.toleranceSeconds * 1000))
          return `X-Zendesk-Webhook-Signature-Timestamp is more than ${sb.toleranceSeconds} s away from now (a replay?)`;
        return null;
      },
      report: (r) => zendeskStatus(r.body, header(r, 'x-zendesk-webhook-invocation-id'), prefix),
    },
    {
      name: 'servicenow',
      title: 'ServiceNow business rule / flow (incident state)',
      body: ServiceNowEvent,
      authenticate: bearer(sb.servicenow?.token ?? env.LEADTIME_SERVICENOW_STATUS_TOKEN, 'servicenow'),
      report: (r) => servicenowStatus(r.body, prefix),
    },
    {
      name: 'jira-sm',
      title: 'Jira webhook or automation web request (issue status)',
      body: JiraEvent,
      authenticate: bearer(sb.jira?.token ?? env.LEADTIME_JIRA_STATUS_TOKEN, 'jira'),
      report: (r) => jiraStatus(r.body, prefix),
    },
  ];

  for (const v of vendors)
    app.post(
      `/v1/connectors/${v.name}/events`,
      {
        // authenticated on the raw body before the schema is looked at: a forged request learns nothing
        preValidation: async (request, reply) => {
          const problem = v.authenticate(request, raws.get(request) ?? Buffer.alloc(0));
          if (problem) await reply.code(401).send(errorBody(401, `${v.name}: ${problem}`));
        },
        schema: {
          tags: ['tickets'],
          summary: `status back: ${v.title}`,
          body: v.body,
          response: {
            200: Type.Object({
              ticket: Type.String(),
              status: Type.String(),
              event: Type.String(),
            }),
            422: errorResponses[400],
            ...errorResponses,
          },
        },
      },
      async (request) => {
        let r: StatusReport;
        try {
          r = v.report(request);
        } catch (err) {
          throw new HttpError(422, `${v.name}: ${(err as Error).message}; nothing changed`);
        }
        const store = ctx.tickets;
        if (!store) throw new HttpError(404, 'no ticket store');
        const mark = `[${v.name} event ${r.eventId}]`;
        return ctx.ticketLock(async () => {
          const t: Ticket | null = await store.get(r.ticketId);
          if (!t) throw new HttpError(404, `${v.name}: no ticket "${r.ticketId}"; nothing changed`);
          if (t.history.some((h) => h.note.includes(mark)))
            throw new HttpError(
              409,
              `${v.name}: event ${r.eventId} was already applied to ${t.id} (replay); nothing changed`,
            );
          try {
            const after = await store.setStatus(t.id, {
              status: r.status,
              ...(r.faultConfirmed !== undefined ? { faultConfirmed: r.faultConfirmed } : {}),
              note: `${r.note} ${mark}`,
            });
            return { ticket: after.id, status: after.status, event: r.eventId };
          } catch (err) {
            const message = (err as Error).message;
            if (/cannot go from/.test(message))
              throw new HttpError(409, `${v.name}: ${message}; nothing changed`);
            throw err;
          }
        });
      },
    );
};
