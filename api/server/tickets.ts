/**
 * Predictive tickets over HTTP, on the ticket store of models/tickets (`<home>/store/tickets.duckdb`,
 * held open by the server):
 *   GET   /v1/tickets?status&asset&since&limit   tickets in id order; `since` is the last id seen
 *   GET   /v1/tickets/events?since&limit         every ticket event (created, upgraded) after a cursor
 *   GET   /v1/tickets/:id
 *   PATCH /v1/tickets/:id                        status coming back (fault confirmed yes/no)
 *   POST  /v1/tickets/evaluations                predictions through the ticket policy
 * Ids and event cursors are assigned inside the store's transactions, one at a time, so a poller
 * that passes back `next` sees every ticket (or event) once: none missed, none repeated.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { parseEvaluations, STATUSES, type Ticket, type TicketStatus } from '../../tickets/index.ts';
import type { ServerContext } from './context.ts';
import { evaluateFleet } from './fleet-tickets.ts';
import { HttpError } from './errors.ts';
import { errorResponses } from './schemas.ts';

const TicketBody = Type.Unsafe<Ticket>({
  type: 'object',
  additionalProperties: true,
  description:
    'the ticket contract (models/tickets/README.md): id, idempotencyKey, asset, faultMode, priority, status, openedAt, updatedAt, predictedFailureAt, rul, model, evidence, sla, faultConfirmed, resolvedAt, closedAt, version, history',
});

const ListQuery = Type.Object({
  status: Type.Optional(
    Type.Union([...STATUSES.map((s) => Type.Literal(s)), Type.Literal('active')], {
      description: 'a status, or active (not resolved or closed)',
    }),
  ),
  asset: Type.Optional(Type.String({ minLength: 1 })),
  since: Type.Optional(
    Type.String({
      pattern: '^LT-\\d+$',
      description: 'the last ticket id seen (the `next` of the previous page)',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

const TicketPage = Type.Object({
  tickets: Type.Array(TicketBody),
  next: Type.Union([Type.String(), Type.Null()], { description: 'pass as `since` for the next page' }),
  more: Type.Boolean(),
});

const EventsQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, default: 0, description: 'the last event cursor seen' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

const EventPage = Type.Object({
  events: Type.Array(
    Type.Object({
      cursor: Type.Integer(),
      event: Type.String({
        description:
          'ticket.created, ticket.upgraded, or a status event (ticket.acknowledged, ticket.in_progress, ticket.resolved, ticket.closed)',
      }),
      idempotencyKey: Type.String(),
      occurredAt: Type.String(),
      ticket: TicketBody,
    }),
  ),
  next: Type.Integer({ description: 'pass as `since` for the next page' }),
  more: Type.Boolean(),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

const StatusPatch = Type.Object(
  {
    status: Type.Union(
      STATUSES.map((s) => Type.Literal(s)),
      { description: 'moves forward only: open -> acknowledged -> in_progress -> resolved -> closed' },
    ),
    faultConfirmed: Type.Optional(
      Type.Boolean({ description: 'required with resolved: was the predicted fault there?' }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const ApplyAnswer = Type.Object({
  results: Type.Array(
    Type.Object({
      position: Type.String(),
      asset: Type.Optional(Type.String()),
      action: Type.String({ description: 'open, upgrade, improved, none, ..., or rejected' }),
      priority: Type.Union([Type.String(), Type.Null()]),
      ticketId: Type.Optional(Type.String()),
      reasons: Type.Array(Type.String()),
      error: Type.Optional(Type.String()),
    }),
  ),
});

const idNumber = (id: string): number => Number(id.replace(/^LT-/, ''));

export const ticketRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  const tickets = () => {
    if (!ctx.tickets) throw new HttpError(503, 'the ticket store is not open on this server');
    return ctx.tickets;
  };

  app.get(
    '/v1/tickets',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['tickets'],
        summary: 'tickets in id order, a page at a time',
        description:
          'Poll with `since` = the `next` of the previous page to get the tickets opened since, each once. Changes to tickets already seen (upgrades) come through /v1/tickets/events.',
        querystring: ListQuery,
        response: { 200: TicketPage, ...errorResponses },
      },
    },
    async (request): Promise<Static<typeof TicketPage>> => {
      const q = request.query as Static<typeof ListQuery>;
      const limit = q.limit ?? 100;
      const after = q.since ? idNumber(q.since) : 0;
      const all = (
        await tickets().list({ status: q.status as TicketStatus | 'active' | undefined, asset: q.asset })
      )
        .filter((t) => idNumber(t.id) > after)
        .sort((a, b) => idNumber(a.id) - idNumber(b.id));
      const page = all.slice(0, limit);
      return { tickets: page, next: page.at(-1)?.id ?? q.since ?? null, more: all.length > limit };
    },
  );

  app.get(
    '/v1/tickets/events',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['tickets'],
        summary: 'the ticket event feed (pull instead of webhooks)',
        description:
          'Every ticket event (created, upgraded, and status changes) after the cursor `since`, in the order written, with the idempotency keys the webhooks carry. Keep the `next` cursor and ask again.',
        querystring: EventsQuery,
        response: { 200: EventPage, ...errorResponses },
      },
    },
    async (request): Promise<Static<typeof EventPage>> => {
      const q = request.query as Static<typeof EventsQuery>;
      const limit = q.limit ?? 100;
      const { events, next } = await tickets().feed(q.since ?? 0, limit + 1);
      const page = events.slice(0, limit);
      return {
        events: page.map((e) => {
          const body = JSON.parse(e.body) as {
            event: string;
            idempotencyKey: string;
            occurredAt: string;
            ticket: Ticket;
          };
          return {
            cursor: e.eventId,
            event: body.event,
            idempotencyKey: body.idempotencyKey,
            occurredAt: body.occurredAt,
            ticket: body.ticket,
          };
        }),
        next: page.at(-1)?.eventId ?? (events.length ? next : (q.since ?? 0)),
        more: events.length > limit,
      };
    },
  );

  app.get(
    '/v1/tickets/:id',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['tickets'],
        summary: 'one ticket',
        params: IdParams,
        response: { 200: TicketBody, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const t = await tickets().get(id);
      if (!t) throw new HttpError(404, `no ticket "${id}"`);
      return t;
    },
  );

  app.patch(
    '/v1/tickets/:id',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['tickets'],
        summary: 'report a status back (acknowledged, in_progress, resolved with faultConfirmed, closed)',
        security: [{ bearer: [] }],
        params: IdParams,
        body: StatusPatch,
        response: { 200: TicketBody, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof IdParams>;
      const body = request.body as Static<typeof StatusPatch>;
      const store = tickets();
      if (!(await store.get(id))) throw new HttpError(404, `no ticket "${id}"`);
      try {
        return await store.setStatus(id, body);
      } catch (err) {
        const message = (err as Error).message;
        if (/cannot go from/.test(message)) throw new HttpError(409, message);
        throw err;
      }
    },
  );

  app.post(
    '/v1/tickets/evaluate-fleet',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['tickets'],
        summary:
          'evaluate the rows stored since the last evaluation (fleet health) through the ticket policy',
        description:
          'Every stored row not yet evaluated becomes an evaluation (anomaly score vs threshold, RUL with its interval where there is one) and goes through the policy in time order. With autoTickets in the server config this runs after every ingest that stored rows.',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            evaluated: Type.Integer(),
            results: ApplyAnswer.properties.results,
            reason: Type.Optional(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      tickets();
      const r = await ctx.ticketLock(() => evaluateFleet(ctx));
      return { ...r, results: r.results.map((x) => ({ ...x, action: x.action as string })) };
    },
  );

  app.post(
    '/v1/tickets/evaluations',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['tickets'],
        summary: 'run predictions through the ticket policy (opens or upgrades tickets)',
        description:
          'Body: a JSON array of evaluations `{ asset, t, at?, faultMode?, model?, rul?, lower?, upper?, coverage?, firstPredictingT? (null: an RUL by age only, before the first predicting time of the model, counted only under the policy rulBeforeFpt), healthIndex?, anomaly?: {score, threshold}, indicators?, timeUnit?, cycleHours? }`; each gets a result, bad ones rejected naming the field.',
        security: [{ bearer: [] }],
        body: Type.Array(Type.Unknown(), { minItems: 1 }),
        response: { 200: ApplyAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const batch = parseEvaluations(JSON.stringify(request.body), 'body');
      const applied = await tickets().apply(batch.evaluations, ctx.ticketPolicy, {
        positions: batch.positions,
      });
      const results = [
        ...applied.map((r) => ({ ...r, action: r.action as string })),
        ...batch.rejected.map((r) => ({
          position: r.position,
          action: 'rejected',
          priority: null,
          reasons: [],
          error: r.reason,
        })),
      ];
      const index = (p: string) => Number(/\[(\d+)\]/.exec(p)?.[1] ?? 0);
      return { results: results.sort((a, b) => index(a.position) - index(b.position)) };
    },
  );
};
