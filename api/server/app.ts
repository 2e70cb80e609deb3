/**
 * The leadtime HTTP server: a small fastify core with one plugin per feature (telemetry, assets,
 * simulations, models, dashboard), TypeBox route schemas that are at once the validation, the
 * handlers' types and the OpenAPI document (`/docs`, `/docs/json`), JSON errors, bearer-token auth
 * for writes, and a rate limit on ingest.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import { codeVersion, packageVersion, parseDuration } from '../../core/index.ts';
import { openTelemetryStore, type TelemetryStore } from '../../ingest/index.ts';
import {
  createConnector,
  dispatch,
  loadTicketPolicy,
  ticketPolicy,
  openTicketStore,
  type TicketStore,
} from '../../tickets/index.ts';
import { assetRoutes } from './assets.ts';
import { requireToken, tokenChecker, tokenIdentity } from './auth.ts';
import { AuthFailureLimiter } from './auth-failures.ts';
import { boundRequestNumbers } from './bounded-numbers.ts';
import { installJsonParser } from './json-body.ts';
import { securityHeaders } from './security-headers.ts';
import { serialiser, type ServerContext } from './context.ts';
import { dashboardRoutes } from './dashboard.ts';
import { errorBody, installErrorHandler } from './errors.ts';
import { FleetHealth, readDesignPrior, readFailures, type KnownFailure } from '../../app/fleet-health.ts';
import type { FptDesignPrior } from '../../models/index.ts';
import { JobQueue } from './jobs.ts';
import { startLiveMqtt, type LiveMqttOptions } from './live-mqtt.ts';
import { ErrorBody, PublisherGapsSchema, type ServerConfig } from './schemas.ts';
import { simulationRoutes } from './simulations.ts';
import { modelRoutes } from './models.ts';
import { qualityRoutes } from './quality.ts';
import { telemetryRoutes } from './telemetry.ts';
import { ticketRoutes } from './tickets.ts';
import { connectorRoutes } from './connectors.ts';

export interface AppOptions {
  home: string;
  config: ServerConfig;
  /** an open store to use (default: `<home>/store/telemetry.duckdb`, opened and closed by the app) */
  store?: TelemetryStore;
  /** an open ticket store to use (default: `<home>/store/tickets.duckdb`, opened and closed by the app) */
  tickets?: TicketStore;
  /** the shared store URL (postgres://...) for the stores the app opens (default LEADTIME_STORE, else the home's DuckDB files) */
  storeUrl?: string;
  /** known failure times (default: read from `config.failures` when set) */
  failures?: Map<string, KnownFailure>;
  /** the RUL model's design prior (default: read from `config.designPrior` when set) */
  designPrior?: FptDesignPrior;
  logger?: boolean;
  /** the live loop: subscribe to MQTT and ingest into the server's store */
  mqtt?: LiveMqttOptions;
}

export interface App {
  app: FastifyInstance;
  ctx: ServerContext;
}

/**
 * Rate-limit key: the bearer token's identity when there is one (each client its own budget, however
 * it spells the header), else the client address.
 */
function rateKey(request: FastifyRequest): string {
  const id = tokenIdentity(request);
  return id ? `t:${id}` : `ip:${request.ip}`;
}

/**
 * The HTTP server with a deadline for each request's headers and body. Node checks the deadlines
 * every `connectionsCheckingInterval` (30 s by default), so that is shortened to keep the
 * deadline close to what the config says.
 */
function requestTimedServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  ms: number,
): Server {
  return createServer(
    {
      requestTimeout: ms,
      headersTimeout: ms,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, ms / 4)),
    },
    handler,
  );
}

/**
 * How POST /v1/telemetry's body is documented: the route validates each record itself (a bad
 * record is rejected alone, the rest stored), so the schema here is for readers, not for fastify.
 */
const TELEMETRY_BODY_DOC = {
  required: true,
  description: 'telemetry records: a JSON array (or one record), or NDJSON with one record per line',
  content: {
    'application/json': {
      schema: {
        oneOf: [
          { type: 'array', items: { $ref: '#/components/schemas/TelemetryRecord' } },
          { $ref: '#/components/schemas/TelemetryRecord' },
        ],
      },
    },
    'application/x-ndjson': {
      schema: { type: 'string', description: 'one TelemetryRecord as JSON per line' },
    },
  },
};

export async function buildApp(o: AppOptions): Promise<App> {
  const { config } = o;
  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: config.bodyLimit,
    // a request whose headers and body have not arrived in full in time is answered 408 and closed
    serverFactory: (handler) => requestTimedServer(handler, config.limits.requestTimeoutSeconds * 1000),
    // ids that stay unique across restarts, so an error body's id finds its log line
    genReqId: () => randomUUID().slice(0, 13),
    // unknown fields are errors (not silently dropped); query strings are coerced to their types
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: true },
    },
  });
  // the files the fleet health reads, before any store is opened: a bad one leaves nothing open
  const failures = o.failures ?? (config.failures ? readFailures(config.failures) : new Map());
  const designPrior = o.designPrior ?? (config.designPrior ? readDesignPrior(config.designPrior) : undefined);
  const ownStore = !o.store;
  const store = o.store ?? (await openTelemetryStore(o.home, o.storeUrl));
  const ownTickets = !o.tickets;
  const tickets = o.tickets ?? (await openTicketStore(o.home, o.storeUrl));
  const check = tokenChecker(config.tokens);
  const rateWindowMs = parseDuration(config.rateLimit.window, 'rateLimit.window');
  const writeAuth = requireToken(check, new AuthFailureLimiter(config.limits.authFailures, rateWindowMs));
  const ctx: ServerContext = {
    home: o.home,
    config,
    rateWindowMs,
    store,
    health: new FleetHealth(store, failures, designPrior),
    jobs: new JobQueue(o.home, {
      maxPending: config.limits.pendingJobs,
      log: (message) => app.log.error(message),
    }),
    tickets,
    live: null,
    ticketPolicy: config.ticketPolicy ? loadTicketPolicy(config.ticketPolicy) : ticketPolicy({}, 'defaults'),
    evaluatedUpTo: new Map(),
    ticketLock: serialiser(),
    writeAuth,
    readAuth: config.readsOpen ? async () => {} : writeAuth,
    writeLock: serialiser(),
    log: (message) => app.log.warn(message),
  };
  // the ticket dispatcher: delivers the outbox to the configured webhooks and connectors, one pass at a time
  let dispatching: Promise<unknown> | null = null;
  const destinations = [
    ...config.webhooks.urls.map((url) =>
      createConnector({ connector: 'webhook', url, secret: config.webhooks.secret }, 'webhooks'),
    ),
    ...config.connectors.map((c, i) => createConnector(c, `connectors/${i}`)),
  ];
  const timer =
    destinations.length > 0
      ? setInterval(() => {
          dispatching ??= dispatch(tickets, {
            destinations,
            timeoutMs: 5000,
            onAttempt: (a) =>
              app.log.info(
                { event: a.idempotencyKey, url: a.url, ok: a.ok, status: a.status },
                'ticket delivery',
              ),
          })
            .catch((err) => app.log.error(err, 'ticket dispatcher'))
            .finally(() => (dispatching = null));
        }, config.webhooks.intervalSeconds * 1000)
      : null;
  const live = o.mqtt ? startLiveMqtt(ctx, o.mqtt) : null;
  ctx.live = live;
  app.addHook('onClose', async () => {
    await live?.stop();
    if (timer) clearInterval(timer);
    await ctx.jobs.shutdown(); // running jobs are cancelled, not waited for
    await dispatching;
    if (ownStore) await ctx.writeLock(async () => store.close());
    if (ownTickets) tickets.close();
  });

  installErrorHandler(app);
  installJsonParser(app, config.limits.jsonDepth);
  boundRequestNumbers(app);
  await securityHeaders(app);
  app.addSchema(ErrorBody);
  await app.register(rateLimit, {
    global: false,
    keyGenerator: rateKey,
    errorResponseBuilder: (_req, c) =>
      errorBody(429, `rate limit: at most ${c.max} requests per ${c.after}; retry after ${c.after}`),
  });
  await app.register(swagger, {
    // shared schemas appear under their $id (Error, TelemetryRecord) in components
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) || `def-${i}` },
    transformObject: (doc) => {
      if (!('openapiObject' in doc)) return doc.swaggerObject;
      const post = (
        doc.openapiObject.paths?.['/v1/telemetry'] as { post?: { requestBody?: unknown } } | undefined
      )?.post;
      if (post) post.requestBody = TELEMETRY_BODY_DOC;
      return doc.openapiObject;
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'leadtime API',
        description:
          'Telemetry ingest, fleet health, staffing simulations. Writes need `Authorization: Bearer <token>`.',
        version: `${packageVersion} (${codeVersion()})`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'telemetry', description: 'ingest' },
        { name: 'assets', description: 'stored assets and their health' },
        { name: 'simulations', description: 'staffing simulations as jobs' },
        { name: 'tickets', description: 'predictive tickets: pull, status updates, evaluations' },
        { name: 'models', description: 'the model registry' },
        { name: 'quality', description: 'data quality: series that skip or stop, publisher sequence gaps' },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets a few inline styles; everything else comes from this server (no https: sources)
    transformStaticCSP: (header) =>
      header.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'").replace(/ https:/g, ''),
  });

  app.get(
    '/v1/status',
    {
      schema: {
        tags: ['assets'],
        summary: 'server status',
        response: {
          200: Type.Object({
            version: Type.String(),
            store: Type.String(),
            readsOpen: Type.Boolean(),
            samples: Type.Integer(),
            features: Type.Integer(),
            rejected: Type.Integer(),
            live: Type.Optional(
              Type.Object(
                {
                  url: Type.String(),
                  topics: Type.Array(Type.String()),
                  clientId: Type.String(),
                  subscribed: Type.Boolean(),
                  received: Type.Integer(),
                  records: Type.Integer(),
                  stored: Type.Integer(),
                  duplicates: Type.Integer(),
                  rejected: Type.Integer(),
                  lastCommitAt: Type.Union([Type.String(), Type.Null()]),
                  error: Type.Union([Type.String(), Type.Null()]),
                  publishers: Type.Array(PublisherGapsSchema),
                },
                { description: 'the MQTT subscription of the live loop (serve --mqtt)' },
              ),
            ),
          }),
        },
      },
    },
    async () => ({
      version: `${packageVersion} (${codeVersion()})`,
      store: store.location,
      readsOpen: config.readsOpen,
      ...(await store.counts()),
      ...(live && { live: live.status() }),
    }),
  );
  await app.register(telemetryRoutes, { ctx });
  await app.register(assetRoutes, { ctx });
  await app.register(simulationRoutes, { ctx });
  await app.register(ticketRoutes, { ctx });
  await app.register(connectorRoutes, { ctx });
  await app.register(modelRoutes, { ctx });
  await app.register(qualityRoutes, { ctx });
  await app.register(dashboardRoutes);
  await app.ready();
  return { app, ctx };
}
