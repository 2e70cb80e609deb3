/**
 * Simulations as jobs: `POST /v1/simulations` validates the scenario (an object, or a shipped
 * example by name) and answers 202 with a job id; `GET /v1/simulations/:id` gives status, progress
 * and, when done, the result (per priority and pool, 95% CIs). With `staffing`, the scenario runs
 * once per staff level of one pool (its peak on-duty count, shifts scaled together): SLA attainment
 * against staffing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { MS, nearestNames, packageRoot, parseDuration } from '../../core/index.ts';
import {
  loadScenario,
  parseScenario,
  poolStaff,
  runExperiment,
  withPoolStaff,
  Scenario,
  SimulationWorkers,
  type ExperimentResult,
} from '../../simulation/index.ts';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';
import { resolveInside } from './inside-dir.ts';
import { errorResponses, JobParams, JobStatus, SimulationRequest } from './schemas.ts';

export const SCENARIO_DIR = join(packageRoot, 'data/scenarios');

export function exampleScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

/**
 * Files a posted scenario refers to (ticket-log replays, empirical distributions) must lie under
 * data/scenarios: a client with a write token must not make the server read its other files.
 */
export function fileFieldsOutside(value: unknown, root: string, path = 'body.scenario'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => fileFieldsOutside(v, root, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = `${path}.${k}`;
    if (k === 'file' && typeof v === 'string')
      return resolveInside(root, v) ? [] : [`${here}: "${v}" is outside data/scenarios`];
    return fileFieldsOutside(v, root, here);
  });
}

/**
 * A simulation job's size in replication-days: replications x horizon (days) x staffing points.
 * Simulated time is what a run costs (events per day are bounded by the scenario's rates), so
 * this is checked against the server's limit before the job is queued.
 */
export function jobWork(replications: number, horizon: number | string, points: number): number {
  return replications * (parseDuration(horizon, 'horizon', 'm') / MS.d) * points;
}

/** The result without the per-replication detail (kept in the job file). */
function compact(r: ExperimentResult): Omit<ExperimentResult, 'perReplication'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { perReplication, ...rest } = r;
  return rest;
}

export const simulationRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (
  app: FastifyInstance,
  { ctx },
) => {
  app.get(
    '/v1/schemas/scenario',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['simulations'],
        summary: 'the JSON schema of a scenario',
        response: { ...errorResponses },
      },
    },
    async () => Scenario,
  );

  app.get(
    '/v1/scenarios',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['simulations'],
        summary: 'the shipped example scenarios, with their pools',
        response: {
          200: Type.Array(
            Type.Object({ name: Type.String(), pools: Type.Record(Type.String(), Type.Integer()) }),
          ),
        },
      },
    },
    async () =>
      exampleScenarios().map((name) => {
        const { scenario } = loadScenario(join(SCENARIO_DIR, `${name}.yaml`));
        return {
          name,
          // each pool's staff level: its peak on-duty count (what a staffing sweep scales)
          pools: Object.fromEntries(Object.keys(scenario.pools).map((p) => [p, poolStaff(scenario, p)])),
        };
      }),
  );

  app.post(
    '/v1/simulations',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['simulations'],
        summary: 'run a staffing scenario as a job',
        security: [{ bearer: [] }],
        body: SimulationRequest,
        response: { 202: JobStatus, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as SimulationRequest;
      if ((body.scenario === undefined) === (body.example === undefined))
        throw new HttpError(400, 'body: give exactly one of `scenario` (an object) or `example` (a name)');
      let scenario: Scenario;
      let baseDir: string;
      if (body.example !== undefined) {
        const names = exampleScenarios();
        if (!names.includes(body.example))
          throw new HttpError(
            404,
            `body.example: no scenario "${body.example}"; examples: ${names.join(', ')}`,
          );
        const file = join(SCENARIO_DIR, `${body.example}.yaml`);
        if (!existsSync(file)) throw new HttpError(404, `body.example: ${file} is missing`);
        ({ scenario, baseDir } = loadScenario(file));
      } else {
        const outside = fileFieldsOutside(body.scenario, SCENARIO_DIR);
        if (outside.length) throw new HttpError(400, outside.join('; '));
        scenario = parseScenario(body.scenario, 'body.scenario');
        baseDir = SCENARIO_DIR;
      }
      const replications = body.replications ?? scenario.replications;
      const seed = body.seed ?? scenario.seed;
      const staffing = body.staffing;
      if (staffing && !(staffing.pool in scenario.pools))
        throw new HttpError(
          400,
          `body.staffing.pool: no pool "${staffing.pool}" in the scenario; nothing was run. Nearest pools: ${nearestNames(staffing.pool, Object.keys(scenario.pools)).join(', ')}`,
        );
      const points = staffing ? staffing.sizes.length : 1;
      const work = jobWork(replications, scenario.horizon, points);
      if (work > ctx.config.limits.jobWork)
        throw new HttpError(
          400,
          `body: ${replications} replications x ${(work / replications / points).toFixed(0)} days x ${points} staffing point(s) = ${Math.round(work)} replication-days, over the limit of ${ctx.config.limits.jobWork} (limits.jobWork in the server config); ask for fewer replications, points or a shorter horizon`,
        );
      const job = ctx.jobs.submit('simulation', body, async (progress, signal) => {
        // always on worker threads: the server's event loop stays free, and a cancel terminates them
        const pool = new SimulationWorkers(Math.max(1, Math.min(availableParallelism(), replications)));
        try {
          const options = { replications, seed, baseDir, signal, workerPool: pool };
          if (!staffing) {
            const r = await runExperiment(scenario, { ...options, onProgress: (d, t) => progress(d, t) });
            return compact(r);
          }
          const runs: { size: number; result: ReturnType<typeof compact> }[] = [];
          const total = replications * staffing.sizes.length;
          for (const [k, size] of staffing.sizes.entries()) {
            const variant = withPoolStaff(scenario, staffing.pool, size);
            const r = await runExperiment(variant, {
              ...options,
              onProgress: (d) => progress(k * replications + d, total),
            });
            runs.push({ size, result: compact(r) });
          }
          return { staffing: { pool: staffing.pool, runs } };
        } finally {
          await pool.close();
        }
      });
      return reply.code(202).header('location', `/v1/simulations/${job.id}`).send(job);
    },
  );

  app.get(
    '/v1/simulations',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['simulations'],
        summary: 'simulation jobs (without results)',
        response: { 200: Type.Array(Type.Omit(JobStatus, ['result'])) },
      },
    },
    async () =>
      ctx.jobs.list('simulation').map((j) => {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { result, ...rest } = j;
        return rest;
      }),
  );

  app.delete(
    '/v1/simulations/:id',
    {
      onRequest: ctx.writeAuth,
      schema: {
        tags: ['simulations'],
        summary: 'cancel a queued or running simulation job (its worker threads are stopped)',
        security: [{ bearer: [] }],
        params: JobParams,
        response: { 202: JobStatus, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as Static<typeof JobParams>;
      const job = ctx.jobs.get(id);
      if (!job || job.kind !== 'simulation') throw new HttpError(404, `no simulation job "${id}"`);
      if (!ctx.jobs.cancel(id))
        throw new HttpError(409, `simulation job "${id}" has already finished (${job.status})`);
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/v1/simulations/:id',
    {
      onRequest: ctx.readAuth,
      schema: {
        tags: ['simulations'],
        summary: 'a simulation job: status, progress, and the result when done',
        params: JobParams,
        response: { 200: JobStatus, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as Static<typeof JobParams>;
      const job = ctx.jobs.get(id);
      if (!job || job.kind !== 'simulation') throw new HttpError(404, `no simulation job "${id}"`);
      return job;
    },
  );
};
