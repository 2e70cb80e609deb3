/**
 * `POST /v1/telemetry`: a JSON array (or one object) or NDJSON of telemetry records in the ingest
 * contract, run through the same parsing, validation and store path as `leadtime ingest ndjson`.
 * The answer accounts for every record: stored, duplicate, rejected (with the reason and field,
 * also kept in the store's dead letters), or partial (a wide row with some channels rejected).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ChannelBudget,
  ingest,
  RecordProblem,
  telemetryFromObject,
  telemetryRecord,
  type ReaderRecord,
  type TelemetryReader,
  type TimeUnit,
} from '../../ingest/index.ts';
import type { ServerContext } from './context.ts';
import { evaluateFleet } from './fleet-tickets.ts';
import { HttpError } from './errors.ts';
import {
  errorResponses,
  IngestAnswer,
  TelemetryQuery,
  TelemetryRecord,
  type RecordResult,
} from './schemas.ts';

const SOURCE = 'POST /v1/telemetry';
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/** The request body as a reader: every element (JSON) or non-blank line (NDJSON) is one record. */
class BodyReader implements TelemetryReader {
  readonly source = SOURCE;
  readonly parsed: ReaderRecord[] = [];

  constructor(
    readonly format: 'http-json' | 'http-ndjson',
    readonly timeUnit: TimeUnit,
    body: unknown,
  ) {
    if (format === 'http-ndjson') {
      (body as string)
        .replace(/^\uFEFF/, '')
        .split('\n')
        .forEach((line, i) => {
          const text = line.endsWith('\r') ? line.slice(0, -1) : line;
          if (text.trim() !== '') this.parsed.push(telemetryRecord(text, `line ${i + 1}`, timeUnit));
        });
    } else {
      const items = Array.isArray(body) ? body : [body];
      items.forEach((item, i) => this.parsed.push(fromObject(item, `record ${i + 1}`, timeUnit)));
    }
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    yield* this.parsed;
  }
}

function fromObject(item: unknown, position: string, timeUnit: TimeUnit): ReaderRecord {
  const raw = JSON.stringify(item) ?? String(item);
  try {
    const parsed = telemetryFromObject(item, timeUnit);
    return parsed.kind === 'waveform'
      ? { kind: 'waveform', position, raw, waveform: parsed.waveform }
      : { kind: 'samples', position, raw, samples: parsed.samples, problems: parsed.problems };
  } catch (err) {
    if (!(err instanceof RecordProblem)) throw err;
    return { kind: 'rejected', position, raw, reason: err.message, field: err.field };
  }
}

/** Per store, each asset's stored channels (read once, dropped after an ingest stores rows). */
const storedChannels = new WeakMap<object, Map<string, Set<string>>>();

async function channelsByAsset(ctx: ServerContext): Promise<Map<string, Set<string>>> {
  let map = storedChannels.get(ctx.store);
  if (!map) {
    map = new Map();
    for (const a of await ctx.store.assets()) map.set(a.asset, new Set(a.channels));
    storedChannels.set(ctx.store, map);
  }
  return map;
}

const key = (asset: string, channel: string, t: number): string =>
  `${asset}\u0000${channel}\u0000${Math.round(t)}`;

/** Ingests one body and accounts for each record. Callers serialise calls (one writer per store). */
export async function ingestBody(
  ctx: ServerContext,
  format: 'http-json' | 'http-ndjson',
  timeUnit: TimeUnit,
  body: unknown,
): Promise<IngestAnswer> {
  const reader = new BodyReader(format, timeUnit, body);
  if (reader.parsed.length === 0) throw new HttpError(400, 'body holds no telemetry records');
  const stored = await channelsByAsset(ctx);
  const budget = new ChannelBudget(
    { perRecord: ctx.config.limits.channelsPerRecord, perAsset: ctx.config.limits.channelsPerAsset },
    (asset) => stored.get(asset) ?? [],
  );
  for (let i = 0; i < reader.parsed.length; i++) reader.parsed[i] = budget.check(reader.parsed[i]);
  let summary;
  try {
    summary = await ingest(reader, ctx.store, { runOptions: { via: 'http', format } });
  } finally {
    storedChannels.delete(ctx.store);
  }
  const runId = summary.runId;
  const storedKeys = new Set<string>();
  for (const k of await ctx.store.storedKeys(runId)) storedKeys.add(key(k.asset, k.channel, k.t));
  const rejectedAt = new Map<string, { field?: string; reason: string }[]>();
  for (const r of await ctx.store.rejected({ runId })) {
    let list = rejectedAt.get(r.position);
    if (!list) rejectedAt.set(r.position, (list = []));
    list.push({ ...(r.field !== undefined && { field: r.field }), reason: r.reason });
  }
  const results: RecordResult[] = reader.parsed.map((rec) => {
    const problems = rejectedAt.get(rec.position) ?? [];
    const keys =
      rec.kind === 'samples'
        ? rec.samples.map((s) => key(s.asset, s.channel, s.t))
        : rec.kind === 'waveform'
          ? [key(rec.waveform.asset, rec.waveform.channel, rec.waveform.t)]
          : [];
    let storedHere = 0;
    for (const k of keys) if (storedKeys.delete(k)) storedHere++; // the first record with a key stored it; later ones repeat it
    const fieldProblems =
      rec.kind === 'samples' ? (rec.problems?.length ?? 0) : rec.kind === 'rejected' ? 1 : 0;
    const duplicates = Math.max(0, keys.length + fieldProblems - storedHere - problems.length);
    const status: RecordResult['status'] =
      problems.length > 0
        ? storedHere + duplicates > 0
          ? 'partial'
          : 'rejected'
        : storedHere > 0
          ? 'stored'
          : 'duplicate';
    return {
      position: rec.position,
      status,
      stored: storedHere,
      duplicates,
      rejected: problems.length,
      ...(problems.length > 0 && { problems }),
    };
  });
  if (summary.stored > 0) {
    ctx.health.invalidate();
    // predictive tickets from the new rows, in the background (the answer does not wait for them)
    if (ctx.config.autoTickets)
      void ctx
        .ticketLock(() => evaluateFleet(ctx))
        .catch((err) => ctx.log(`auto tickets: ${(err as Error).message}`));
  }
  return {
    runId,
    records: summary.records,
    stored: summary.stored,
    duplicates: summary.duplicates,
    rejected: summary.rejected,
    results,
  };
}

export const telemetryRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  app.addSchema({ ...TelemetryRecord, $id: 'TelemetryRecord' });
  app.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const RejectedQuery = Type.Object({
    runId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'one ingest run (the runId of an ingest answer)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  });
  app.get(
    '/v1/telemetry/rejected',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['telemetry'],
        summary: 'dead letters: records that were not stored, with source, position, field and reason',
        querystring: RejectedQuery,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            rejected: Type.Array(
              Type.Object({
                id: Type.Integer(),
                runId: Type.Integer(),
                source: Type.String(),
                position: Type.String(),
                field: Type.Optional(Type.String()),
                reason: Type.String(),
                raw: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query as { runId?: number; limit?: number; offset?: number };
      return {
        total: await ctx.store.rejectedCount({ runId: q.runId }),
        rejected: await ctx.store.rejected({ runId: q.runId, limit: q.limit ?? 100, offset: q.offset ?? 0 }),
      };
    },
  );

  app.post(
    '/v1/telemetry',
    {
      bodyLimit: ctx.config.bodyLimit,
      onRequest: ctx.writeAuth,
      config: {
        rateLimit: { max: ctx.config.rateLimit.max, timeWindow: ctx.rateWindowMs },
      },
      schema: {
        tags: ['telemetry'],
        summary: 'ingest telemetry records',
        description:
          'Body: a JSON array of records (or one record) with Content-Type application/json, or NDJSON (one record per line) with Content-Type application/x-ndjson. ' +
          'Each record is a TelemetryRecord (see the schema): a sample, a wide row, or a waveform. Every record is accounted for in `results`: ' +
          'stored, duplicate (same key and value already stored), rejected (with the reason and field; kept in the store as a dead letter) or partial. ' +
          'Needs a bearer token; rate-limited per token.',
        security: [{ bearer: [] }],
        querystring: TelemetryQuery,
        body: Type.Unsafe<unknown>({
          description: 'a JSON array of TelemetryRecord, one TelemetryRecord, or NDJSON text',
        }),
        response: { 200: IngestAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const timeUnit = ((request.query as { timeUnit?: TimeUnit }).timeUnit ?? 'ms') as TimeUnit;
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const format = NDJSON_TYPES.includes(type) ? 'http-ndjson' : 'http-json';
      if (format === 'http-json' && (request.body === null || typeof request.body !== 'object'))
        throw new HttpError(400, 'body must be a JSON array of telemetry records or one record object');
      return ctx.writeLock(() => ingestBody(ctx, format, timeUnit, request.body));
    },
  );
};
