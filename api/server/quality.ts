/**
 * Data quality: the stored series that skip or stop (ingest/quality/series-gaps.ts, any source and
 * any store backend) per asset and channel, with totals over every series checked, and, while the
 * server runs the live loop (serve --mqtt), the sequence numbers each publisher sent that never
 * arrived.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { seriesGaps } from '../../ingest/index.ts';
import type { ServerContext } from './context.ts';
import { errorResponses, QualityGapsAnswer, QualityGapsQuery } from './schemas.ts';

const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');

export const qualityRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  app.get(
    '/v1/quality/gaps',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['quality'],
        summary: 'series that skip or stop, per asset and channel; publisher sequence gaps of the live loop',
        description:
          "A series' usual interval is the median of the intervals between its samples; an interval over k x that median is a gap, and a series whose last sample is over k intervals older than the fleet's newest sample (in its time unit) has stopped.",
        querystring: QualityGapsQuery,
        response: { 200: QualityGapsAnswer, ...errorResponses },
      },
    },
    async (request): Promise<Static<typeof QualityGapsAnswer>> => {
      const q = request.query as Static<typeof QualityGapsQuery>;
      const k = q.k ?? 3;
      const every = await seriesGaps(ctx.store, {
        k,
        assets: list(q.assets),
        channels: list(q.channels),
        maxGaps: q.maxGaps ?? 20,
      });
      const problems = every.filter((r) => r.gapCount > 0 || r.stopped);
      const live = ctx.live?.status();
      return {
        k,
        totals: {
          series: every.length,
          withGaps: every.filter((r) => r.gapCount > 0).length,
          stopped: every.filter((r) => r.stopped).length,
          missingEstimate: every.reduce((n, r) => n + r.missingEstimate, 0),
        },
        series: q.all ? every : problems,
        ...(live && { publishers: live.publishers }),
      };
    },
  );
};
