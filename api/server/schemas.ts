/**
 * The HTTP API's schemas, in TypeBox: one source for request validation (fastify's ajv), the
 * handlers' types (`Static<...>`) and the OpenAPI document served at `/docs`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ConnectorConfig } from '../../tickets/connectors/connector.ts';

/** The JSON body of every error answer. */
export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'the HTTP status text' }),
    message: Type.String({ description: 'what went wrong, naming the field or record' }),
    problems: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), expected: Type.String(), got: Type.Optional(Type.Unknown()) }),
      ),
    ),
    requestId: Type.Optional(
      Type.String({
        description: 'the request id, as in the server log (where an internal error is detailed)',
      }),
    ),
  },
  { $id: 'Error', title: 'Error' },
);

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
  503: ErrorBody,
};

// ---- telemetry --------------------------------------------------------------------------------

export const TelemetryRecord = Type.Object(
  {
    asset: Type.String(),
    t: Type.Union([Type.Number(), Type.String()], {
      description: 'epoch milliseconds (or an ISO 8601 time); a cycle index when timeUnit=cycle',
    }),
    channel: Type.Optional(Type.String()),
    value: Type.Optional(Type.Number()),
    values: Type.Optional(Type.Record(Type.String(), Type.Number())),
    sampleRateHz: Type.Optional(Type.Number()),
    samples: Type.Optional(
      Type.Union([Type.Array(Type.Number()), Type.String({ description: 'base64 little-endian float32' })]),
    ),
    context: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  {
    description:
      'a sample {asset, channel, t, value}, a wide row {asset, t, values: {channel: value}}, or a waveform {asset, channel, t, sampleRateHz, samples}',
  },
);

export const TelemetryQuery = Type.Object({
  timeUnit: Type.Optional(Type.Union([Type.Literal('ms'), Type.Literal('cycle')], { default: 'ms' })),
});

export const RecordResult = Type.Object({
  position: Type.String({ description: '`record N` (JSON array, 1-based) or `line N` (NDJSON)' }),
  status: Type.Union(
    [Type.Literal('stored'), Type.Literal('duplicate'), Type.Literal('rejected'), Type.Literal('partial')],
    { description: 'partial: a wide row with some channels stored and some rejected' },
  ),
  stored: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  problems: Type.Optional(
    Type.Array(Type.Object({ field: Type.Optional(Type.String()), reason: Type.String() })),
  ),
});
export type RecordResult = Static<typeof RecordResult>;

export const IngestAnswer = Type.Object({
  runId: Type.Integer(),
  records: Type.Integer(),
  stored: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(RecordResult),
});
export type IngestAnswer = Static<typeof IngestAnswer>;

// ---- assets -----------------------------------------------------------------------------------

export const AssetParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const AssetSummary = Type.Object({
  asset: Type.String(),
  timeUnit: Type.String(),
  channels: Type.Array(Type.String()),
  first: Type.Number(),
  last: Type.Number(),
  samples: Type.Integer(),
  featureRows: Type.Integer(),
  health: Type.Union([
    Type.Object({
      healthIndex: Type.Union([Type.Number(), Type.Null()]),
      anomalyScore: Type.Number(),
      alarm: Type.Boolean(),
      rul: Type.Union([Type.Number(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

export const AssetList = Type.Object({
  assets: Type.Array(AssetSummary),
  health: Type.Object({ available: Type.Boolean(), reason: Type.Optional(Type.String()) }),
});

export const SeriesQuery = Type.Object({
  channel: Type.String({ minLength: 1, description: 'a scalar channel or a condition indicator (e.g. rms)' }),
  from: Type.Optional(Type.Number({ description: 'inclusive, in the asset time unit' })),
  to: Type.Optional(Type.Number({ description: 'inclusive, in the asset time unit' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
});

export const SeriesAnswer = Type.Object({
  asset: Type.String(),
  channel: Type.String(),
  kind: Type.Union([Type.Literal('scalar'), Type.Literal('indicator')]),
  points: Type.Array(Type.Object({ t: Type.Number(), value: Type.Number() })),
  truncated: Type.Boolean(),
});

export const TrajectoryQuery = Type.Object({
  channels: Type.String({
    minLength: 1,
    description:
      'comma-separated channels a model needs: scalar channels and condition indicators (e.g. setting1,s2,rms)',
  }),
});

export const TrajectoryAnswer = Type.Object({
  asset: Type.String(),
  channels: Type.Array(Type.String()),
  missing: Type.Array(Type.String(), { description: 'asked-for channels the asset does not have' }),
  t: Type.Array(Type.Number(), { description: 'times of the rows where every channel is finite' }),
  columns: Type.Record(Type.String(), Type.Array(Type.Number()), {
    description: 'one array per channel, aligned with t',
  }),
});

export { HealthAnswer } from '../../app/fleet-health-schema.ts';

// ---- data quality -----------------------------------------------------------------------------

export const PublisherGapsSchema = Type.Object(
  {
    publisher: Type.String({ description: "the id leadtime's publisher stamps on its messages" }),
    received: Type.Integer({ description: 'distinct sequence numbers received' }),
    duplicates: Type.Integer({ description: 'messages received again (QoS 1 redelivery)' }),
    first: Type.Integer(),
    last: Type.Integer(),
    missing: Type.Union([Type.Integer(), Type.Null()], {
      description:
        'sequence numbers in [first, last] never received; null for one member of a shared subscription (the others have the rest)',
    }),
    missingRanges: Type.Array(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 }), {
      description: 'the first missing ranges, inclusive [from, to] (at most 20)',
    }),
  },
  { description: 'what arrived from one publisher, and what never did' },
);

export const QualityGapsQuery = Type.Object({
  k: Type.Optional(
    Type.Number({
      minimum: 1,
      maximum: 1000,
      default: 3,
      description: 'an interval over k x the median is a gap',
    }),
  ),
  assets: Type.Optional(Type.String({ minLength: 1, description: 'only these assets, comma-separated' })),
  channels: Type.Optional(Type.String({ minLength: 1, description: 'only these channels, comma-separated' })),
  all: Type.Optional(
    Type.Boolean({ default: false, description: 'list every series, not only those that skip or stop' }),
  ),
  maxGaps: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 20,
      description: 'gaps listed per series (counts cover all)',
    }),
  ),
});

const nullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const SeriesGapsSchema = Type.Object({
  asset: Type.String(),
  channel: Type.String(),
  timeUnit: Type.String(),
  samples: Type.Integer(),
  medianInterval: Type.Union([Type.Number(), Type.Null()], {
    description: 'the usual interval between samples; null with fewer than 2 distinct times',
  }),
  gapCount: Type.Integer(),
  gaps: Type.Array(
    Type.Object({
      from: Type.Number({ description: 'the sample before the gap' }),
      to: Type.Number({ description: 'the sample after the gap' }),
      intervals: Type.Number({ description: '(to - from) / median interval' }),
    }),
  ),
  missingEstimate: Type.Integer({ description: 'samples the gaps would have held at the usual interval' }),
  first: nullableNumber,
  last: nullableNumber,
  stopped: Type.Boolean({ description: 'the last sample is over k intervals older than asOf' }),
  asOf: Type.Number({ description: 'the newest sample of the fleet in this time unit' }),
});

export const QualityGapsAnswer = Type.Object({
  k: Type.Number(),
  totals: Type.Object({
    series: Type.Integer({ description: 'scalar series checked' }),
    withGaps: Type.Integer(),
    stopped: Type.Integer(),
    missingEstimate: Type.Integer(),
  }),
  series: Type.Array(SeriesGapsSchema),
  publishers: Type.Optional(
    Type.Array(PublisherGapsSchema, {
      description:
        'with serve --mqtt: per publisher, the sequence numbers the live subscription never received',
    }),
  ),
});

// ---- simulations ------------------------------------------------------------------------------

export const SimulationRequest = Type.Object(
  {
    scenario: Type.Optional(
      Type.Unknown({
        description:
          'a scenario object as in data/scenarios/*.yaml (schema at GET /v1/schemas/scenario); or give `example`',
      }),
    ),
    example: Type.Optional(
      Type.String({ description: 'name of a shipped scenario in data/scenarios (e.g. service-desk)' }),
    ),
    replications: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    seed: Type.Optional(Type.Integer()),
    staffing: Type.Optional(
      Type.Object(
        {
          pool: Type.String({ minLength: 1 }),
          sizes: Type.Array(Type.Integer({ minimum: 0, maximum: 10_000 }), { minItems: 1, maxItems: 20 }),
        },
        {
          additionalProperties: false,
          description:
            'run the scenario once per staff level of this pool: its peak on-duty count, with the base size and every shift scaled together (SLA vs staffing)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type SimulationRequest = Static<typeof SimulationRequest>;

export const JobParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const JobStatus = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  progress: Type.Object({ done: Type.Number(), total: Type.Number(), fraction: Type.Number() }),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Optional(Type.String()),
  request: Type.Unknown(),
  result: Type.Optional(Type.Unknown()),
});
export type JobStatus = Static<typeof JobStatus>;

// ---- server config ----------------------------------------------------------------------------

export const ServerConfig = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ default: '127.0.0.1' }),
    tokens: Type.Array(Type.String({ minLength: 16 }), {
      default: [],
      description: 'bearer tokens allowed to write (at least 16 characters each)',
    }),
    readsOpen: Type.Boolean({ default: true, description: 'false: reads need a token too' }),
    bodyLimit: Type.Integer({ minimum: 1024, default: 8 * 1024 * 1024, description: 'bytes' }),
    rateLimit: Type.Object(
      {
        max: Type.Integer({ minimum: 1, default: 120 }),
        window: Type.String({ default: '1m', description: 'a duration like "1m"' }),
      },
      { default: {}, additionalProperties: false },
    ),
    failures: Type.Optional(
      Type.String({
        description: 'CSV with asset,failureT of assets that ran to failure (RUL library), e.g. truth.csv',
      }),
    ),
    designPrior: Type.Optional(
      Type.String({
        description:
          "design-prior file (JSON, written by leadtime demo beside its fleet): the RUL model starts from the same bearing type's failures elsewhere, so it predicts before any of this fleet's assets has failed",
      }),
    ),
    dataDir: Type.Optional(
      Type.String({ description: 'folder that model evaluation jobs may read training files from' }),
    ),
    autoTickets: Type.Boolean({
      default: false,
      description: 'after an ingest stores rows, evaluate them (health) through the ticket policy',
    }),
    ticketPolicy: Type.Optional(
      Type.String({
        description: 'ticket policy file (YAML/JSON; data/ticket-policy.example.yaml); default: the defaults',
      }),
    ),
    limits: Type.Object(
      {
        jobWork: Type.Number({
          exclusiveMinimum: 0,
          default: 1_000_000,
          description:
            'most work one simulation job may ask for, in replication-days: replications x horizon (days) x staffing points',
        }),
        pendingJobs: Type.Integer({
          minimum: 1,
          default: 8,
          description: 'jobs queued or running at once; more answer 429',
        }),
        channelsPerRecord: Type.Integer({
          minimum: 1,
          default: 1000,
          description: 'channels one telemetry record may carry; a record with more is rejected',
        }),
        channelsPerAsset: Type.Integer({
          minimum: 1,
          default: 2000,
          description: 'distinct channels an asset may have; records adding more are rejected',
        }),
        jsonDepth: Type.Integer({
          minimum: 4,
          default: 32,
          description: 'deepest nesting of a JSON body; deeper bodies answer 400',
        }),
        requestTimeoutSeconds: Type.Number({
          exclusiveMinimum: 0,
          default: 30,
          description: 'a request (headers and body) not received in full by then is answered 408 and closed',
        }),
        authFailures: Type.Integer({
          minimum: 1,
          default: 20,
          description: 'failed authentications per client address per rate-limit window; more answer 429',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    webhooks: Type.Object(
      {
        urls: Type.Array(Type.String({ pattern: '^https?://' }), {
          default: [],
          description: 'the dispatcher delivers ticket events to these URLs (none: no dispatcher)',
        }),
        secret: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'HMAC secret for X-Leadtime-Signature (or LEADTIME_WEBHOOK_SECRET)',
          }),
        ),
        intervalSeconds: Type.Number({
          exclusiveMinimum: 0,
          default: 5,
          description: 'how often the outbox is checked',
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    connectors: Type.Array(ConnectorConfig, {
      default: [],
      description:
        'destinations with their connector (pagerduty, servicenow-em, servicenow-incident, jira-sm, zendesk, webhook), delivered by the dispatcher alongside webhooks.urls, every webhooks.intervalSeconds',
    }),
    statusBack: Type.Object(
      {
        pagerduty: Type.Optional(
          Type.Object(
            { secret: Type.String({ minLength: 1, description: 'v3 webhook signing secret' }) },
            { additionalProperties: false },
          ),
        ),
        zendesk: Type.Optional(
          Type.Object(
            { secret: Type.String({ minLength: 1, description: 'webhook signing secret' }) },
            { additionalProperties: false },
          ),
        ),
        servicenow: Type.Optional(
          Type.Object({ token: Type.String({ minLength: 16 }) }, { additionalProperties: false }),
        ),
        jira: Type.Optional(
          Type.Object({ token: Type.String({ minLength: 16 }) }, { additionalProperties: false }),
        ),
        keyPrefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$', default: 'leadtime' })),
        toleranceSeconds: Type.Integer({
          minimum: 1,
          default: 300,
          description: 'how old a signed timestamp (Zendesk) may be before the event counts as a replay',
        }),
      },
      {
        default: {},
        additionalProperties: false,
        description:
          'POST /v1/connectors/<vendor>/events: secrets per vendor (or LEADTIME_PAGERDUTY_WEBHOOK_SECRET, LEADTIME_ZENDESK_WEBHOOK_SECRET, LEADTIME_SERVICENOW_STATUS_TOKEN, LEADTIME_JIRA_STATUS_TOKEN)',
      },
    ),
  },
  { additionalProperties: false },
);
export type ServerConfig = Static<typeof ServerConfig>;

/** A TypeBox schema as fastify wants it (plain JSON schema objects). */
export const s = <T extends TSchema>(schema: T): T => schema;
