/**
 * Assets: the list with each asset's latest health, one series (a scalar channel or a condition
 * indicator) over a time range, an asset's whole history as the rows a model reads (so `leadtime
 * predict` works while the server holds the store), and the health detail (HI, anomaly score, RUL
 * with its interval and their histories).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { STORE_FEATURE_COLUMNS } from '../../ingest/index.ts';
import { finiteRows, storeTrajectories } from '../../models/index.ts';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';
import {
  AssetList,
  AssetParams,
  errorResponses,
  HealthAnswer,
  SeriesAnswer,
  SeriesQuery,
  TrajectoryAnswer,
  TrajectoryQuery,
} from './schemas.ts';

async function span(ctx: ServerContext, id: string) {
  const found = (await ctx.store.assets()).find((a) => a.asset === id);
  if (!found) throw new HttpError(404, `no asset "${id}" in the store`);
  return found;
}

export const assetRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  app.get(
    '/v1/assets',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['assets'],
        summary: 'stored assets with their time span, channels and latest health',
        response: { 200: AssetList, ...errorResponses },
      },
    },
    async (): Promise<Static<typeof AssetList>> => {
      const spans = await ctx.store.assets();
      const health = await ctx.health.get();
      return {
        health: { available: health.available, ...(health.reason && { reason: health.reason }) },
        assets: spans.map((s) => {
          const h = health.byAsset.get(s.asset);
          return {
            ...s,
            health: h
              ? {
                  healthIndex: h.healthIndex,
                  anomalyScore: h.anomaly.score,
                  alarm: h.anomaly.alarm,
                  rul: h.rul?.estimate ?? null,
                }
              : null,
          };
        }),
      };
    },
  );

  app.get(
    '/v1/assets/:id/series',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['assets'],
        summary: 'one channel of an asset over [from, to]',
        description:
          'channel: a scalar channel (e.g. temperature) or a condition indicator of the asset vibration snapshots (e.g. rms, kurtosis, env_bpfo)',
        params: AssetParams,
        querystring: SeriesQuery,
        response: { 200: SeriesAnswer, ...errorResponses },
      },
    },
    async (request): Promise<Static<typeof SeriesAnswer>> => {
      const { id } = request.params as Static<typeof AssetParams>;
      const q = request.query as Static<typeof SeriesQuery>;
      const limit = q.limit ?? 10_000;
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        throw new HttpError(400, `querystring.from (${q.from}) is after querystring.to (${q.to})`);
      const a = await span(ctx, id);
      const range = { from: q.from, to: q.to };
      if (
        a.channels.includes(q.channel) &&
        !(a.featureRows > 0 && STORE_FEATURE_COLUMNS.includes(q.channel))
      ) {
        const points = await ctx.store.series(id, q.channel, range);
        if (points.length > 0 || a.samples > 0)
          return {
            asset: id,
            channel: q.channel,
            kind: 'scalar',
            points: points.slice(0, limit),
            truncated: points.length > limit,
          };
      }
      const column = STORE_FEATURE_COLUMNS.indexOf(q.channel);
      if (column < 0 || a.featureRows === 0)
        throw new HttpError(
          404,
          `asset "${id}" has no channel "${q.channel}"; channels: ${a.channels.join(', ')}${a.featureRows > 0 ? `; indicators: ${STORE_FEATURE_COLUMNS.join(', ')}` : ''}`,
        );
      const m = await ctx.store.featureMatrix({ assets: [id], ...range });
      const counts = new Map<string, number>();
      for (const r of m.rows) counts.set(r.channel, (counts.get(r.channel) ?? 0) + 1);
      const vib = [...counts].sort((x, y) => y[1] - x[1])[0]?.[0];
      const points = m.rows
        .filter((r) => r.channel === vib && r.values[column] !== null)
        .map((r) => ({ t: r.t, value: r.values[column] as number }));
      return {
        asset: id,
        channel: q.channel,
        kind: 'indicator',
        points: points.slice(0, limit),
        truncated: points.length > limit,
      };
    },
  );

  app.get(
    '/v1/assets/:id/trajectory',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['assets'],
        summary: "an asset's whole history on the channels a model needs",
        description:
          'The rows where every asked-for channel is finite, as `leadtime predict` reads them from the store: condition indicators of the busiest vibration channel beside the scalar channels. An asset without some channel answers with those in `missing` and no rows.',
        params: AssetParams,
        querystring: TrajectoryQuery,
        response: { 200: TrajectoryAnswer, ...errorResponses },
      },
    },
    async (request): Promise<Static<typeof TrajectoryAnswer>> => {
      const { id } = request.params as Static<typeof AssetParams>;
      const channels = (request.query as Static<typeof TrajectoryQuery>).channels
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      if (channels.length === 0) throw new HttpError(400, 'querystring.channels names no channel');
      await span(ctx, id);
      const [traj] = (await storeTrajectories(ctx.store, [id])).trajs;
      const missing = channels.filter((c) => !traj || !(c in traj.columns));
      if (!traj || missing.length > 0) return { asset: id, channels, missing, t: [], columns: {} };
      const rows = finiteRows(traj, channels);
      return {
        asset: id,
        channels,
        missing,
        t: Array.from(rows.t),
        columns: Object.fromEntries(channels.map((c) => [c, Array.from(rows.columns[c])])),
      };
    },
  );

  app.get(
    '/v1/assets/:id/health',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['assets'],
        summary: 'latest health index, anomaly score and RUL with its interval, with their histories',
        params: AssetParams,
        response: { 200: HealthAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof AssetParams>;
      await span(ctx, id);
      const health = await ctx.health.get();
      if (!health.available) throw new HttpError(409, `no health model for the fleet: ${health.reason}`);
      const h = health.byAsset.get(id);
      if (!h)
        throw new HttpError(
          409,
          `asset "${id}" has too few rows with every channel (${health.channels.join(', ')})`,
        );
      return h;
    },
  );
};
