/**
 * Models: the registry list, and C-MAPSS evaluation as a job (engine-wise K-fold cross-validation
 * of one or more RUL families on a training file under the configured data directory; the job
 * reports fold progress and, when done, RMSE, PHM08 score, MAE, coverage and per-engine results).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import {
  CMAPSS_SENSORS,
  CMAPSS_SETTINGS,
  crossValidate,
  ModelRegistry,
  readCmapss,
  RUL_FAMILIES,
  rulFamily,
  type EvaluationReport,
} from '../../models/index.ts';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';
import { resolveInside } from './inside-dir.ts';
import { errorResponses, JobParams, JobStatus } from './schemas.ts';

const EvaluationRequest = Type.Object(
  {
    train: Type.String({
      minLength: 1,
      description:
        'a run-to-failure C-MAPSS file, relative to the server config dataDir (e.g. cmapss/train_FD001.txt)',
    }),
    folds: Type.Integer({ minimum: 2, maximum: 20, default: 5 }),
    models: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 10, default: ['similarity'] }),
    units: Type.Optional(Type.Integer({ minimum: 3, description: 'use the first N engines only' })),
    cap: Type.Number({ exclusiveMinimum: 0, default: 125 }),
    seed: Type.Integer({ default: 1 }),
  },
  { additionalProperties: false },
);

export const modelRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  app.get(
    '/v1/models',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['models'],
        summary: 'saved models (the registry under the home)',
        response: { 200: Type.Array(Type.Unknown()), ...errorResponses },
      },
    },
    async () => ModelRegistry.inHome(ctx.home).list(),
  );

  app.post(
    '/v1/models/evaluations',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['models'],
        summary: 'cross-validate RUL model families on a C-MAPSS training file, as a job',
        security: [{ bearer: [] }],
        body: EvaluationRequest,
        response: { 202: JobStatus, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof EvaluationRequest>;
      if (!ctx.config.dataDir)
        throw new HttpError(
          409,
          'no dataDir in the server config: evaluations read training files from there',
        );
      const file = resolveInside(ctx.config.dataDir, body.train);
      if (!file) throw new HttpError(400, `body.train: "${body.train}" is outside the data directory`);
      for (const m of body.models)
        if (!(m in RUL_FAMILIES))
          throw new HttpError(
            400,
            `body.models: unknown model "${m}"; models: ${Object.keys(RUL_FAMILIES).join(', ')}`,
          );
      const { trajectories, rejected } = await readCmapss(file, true).catch((err: Error) => {
        throw new HttpError(400, `body.train: ${err.message}`);
      });
      const trajs = body.units ? trajectories.slice(0, body.units) : trajectories;
      if (trajs.length < body.folds)
        throw new HttpError(400, `body.train: ${trajs.length} engines, fewer than the ${body.folds} folds`);
      const job = ctx.jobs.submit('evaluation', body, async (progress, signal) => {
        const reports: (EvaluationReport & { folds: number })[] = [];
        const total = body.folds * body.models.length;
        for (const [k, m] of body.models.entries())
          reports.push(
            await crossValidate(
              rulFamily(m),
              trajs,
              body.folds,
              {
                settings: CMAPSS_SETTINGS,
                channels: CMAPSS_SENSORS,
                cap: body.cap,
                coverage: 0.9,
                seed: body.seed,
              },
              { seed: body.seed },
              (done) => progress(k * body.folds + done, total),
              { signal },
            ),
          );
        reports.sort((a, b) => a.rmse - b.rmse);
        return {
          train: body.train,
          engines: trajs.length,
          rejectedRows: rejected.length,
          best: reports[0].model,
          reports,
        };
      });
      return reply.code(202).header('location', `/v1/models/evaluations/${job.id}`).send(job);
    },
  );

  app.get(
    '/v1/models/evaluations/:id',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['models'],
        summary: 'an evaluation job: status, fold progress, and the reports when done',
        params: JobParams,
        response: { 200: JobStatus, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof JobParams>;
      const job = ctx.jobs.get(id);
      if (!job || job.kind !== 'evaluation') throw new HttpError(404, `no evaluation job "${id}"`);
      return job;
    },
  );
};
