/** `leadtime simulate SCENARIO`: runs a staffing scenario's replications and reports waits, SLAs and utilisation. */
import { InvalidArgumentError, type Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { createProgress, parseDuration, UsageError } from '../../core/index.ts';
import { Report } from '../report/html-report.ts';
import {
  differenceChart,
  frontierChart,
  slaChart,
  sweepAsExplored,
  sweepChart,
  timeSeriesChart,
  waitChart,
} from '../report/simulation-charts.ts';
import type { Interval } from '../../core/index.ts';
import {
  axisOf,
  comparePlans,
  loadScenario,
  parseRatio,
  parseVariation,
  ratioAxis,
  runExperiment,
  runExperiments,
  runSweep,
  type Axis,
  type ExperimentResult,
  type PlanDifference,
  type SweepPoint,
  type Variation,
} from '../../simulation/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';
import { queueOptions, withQueue, type QueueOptions } from '../queue-option.ts';
import type { ReplicationExecutor } from '../../simulation/index.ts';

interface SimulateOptions extends QueueOptions {
  replications?: number;
  seed?: number;
  workers?: number;
  json?: string | boolean;
  vary?: Variation[];
  ratio?: string;
  scale?: string;
  compare?: string;
  html?: string;
}

/** A bin for the report's time series when the scenario asks for none: hours, about 400 bins. */
export function reportSeries<T extends { horizon: number | string; series?: { bin: number | string } }>(
  scenario: T,
): T {
  if (scenario.series) return scenario;
  const horizon = parseDuration(scenario.horizon, 'horizon', 'm') / 60_000;
  return { ...scenario, series: { bin: `${Math.max(1, Math.ceil(horizon / 60 / 400))}h` } };
}

async function writeReport(file: string, title: string, build: (r: Report) => Promise<void>): Promise<void> {
  const report = new Report('simulation', title);
  await build(report);
  report.writeTo(file);
}

const collectVariation = (value: string, previous: Variation[] = []) => {
  try {
    return [...previous, parseVariation(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description(
      'simulate a service scenario: per-priority waits and SLA attainment, pool utilisation, with 95% CIs',
    )
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option(
      '-r, --replications <n>',
      "replications (default: the scenario's)",
      intOption('--replications', 1),
    )
    .option('-s, --seed <n>', "random seed (default: the scenario's)", intOption('--seed'))
    .option(
      '-w, --workers <n>',
      'worker threads (default: one per core; 0 or 1 runs inline)',
      intOption('--workers', 0),
    )
    .option('--json [file]', 'write the full result as JSON (to stdout, or to a file)')
    .option(
      '--vary <path=lo..hi>',
      'sweep a field over a range or list (pools.engineers.size=6..14, =6..14:2, =6,8,12); repeatable: a grid',
      collectVariation,
    )
    .option('--ratio <pools>', 'sweep pools together in a ratio, e.g. engineers:agents:experts=10:3:1')
    .option('--scale <lo..hi:step>', 'with --ratio: the scales of the ratio to run (default 1)')
    .option('--compare <scenario>', 'run a second plan with the same seed and report paired differences')
    .option(
      '--html <file>',
      'also write an HTML report with charts (SLA, waits, queue and utilisation over time)',
    );
  queueOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  leadtime simulate data/scenarios/mmc.yaml --replications 20 --seed 1 --json mmc.json --html mmc.html' +
        '\n  leadtime simulate data/scenarios/mmc.yaml --vary pools.engineers.size=9..13 --vary arrivals[0].poisson.perHour=8,9,10' +
        '\n  leadtime simulate data/scenarios/service-center.yaml --ratio engineers:agents:experts=10:3:1 --scale 0.8..1.2:0.1' +
        '\n  leadtime simulate data/scenarios/service-center.yaml --compare data/scenarios/service-center-predictive.yaml',
    )
    .action(
      action(async (file: string, opts: SimulateOptions, cmd: Command) => {
        const g = globals(cmd);
        const { scenario, baseDir } = loadScenario(file);
        if (opts.scale && !opts.ratio) throw new UsageError('--scale needs --ratio');
        if (opts.compare && (opts.vary || opts.ratio))
          throw new UsageError('--compare runs two plans; sweep one of them with --vary/--ratio separately');
        if (opts.vary || opts.ratio)
          return withQueue(opts, g.quiet, (pool) => sweep(scenario, baseDir, opts, g.quiet, pool));
        if (opts.compare)
          return withQueue(opts, g.quiet, (pool) => compare(scenario, baseDir, opts, g.quiet, pool));
        const replications = opts.replications ?? scenario.replications;
        const run = opts.html ? reportSeries(scenario) : scenario;
        const bar = createProgress({
          total: replications * 100,
          label: `simulating ${replications} replications`,
          quiet: g.quiet,
        });
        const result = await withQueue(opts, g.quiet, (workerPool) =>
          runExperiment(run, {
            workerPool,
            replications,
            seed: opts.seed,
            workers: opts.workers,
            baseDir,
            onProgress: (done) => bar.update(Math.round(done * 100)),
          }),
        );
        bar.stop();
        emit(opts.json, result, () => describe(result));
        if (typeof opts.json === 'string' && opts.json !== '-') {
          process.stdout.write(`${describe(result)}\nwrote ${opts.json}\n`);
        }
        if (opts.html) {
          await writeReport(opts.html, `Simulation: ${result.scenario}`, async (rep) => {
            rep.p(describe(result).split('\n')[0]);
            await rep.chart(slaChart(result) as unknown as TopLevelSpec);
            await rep.chart(waitChart(result) as unknown as TopLevelSpec);
            const series = timeSeriesChart(result);
            if (series)
              await rep.chart(series as unknown as TopLevelSpec, series.description as string | undefined);
          });
          if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
        }
      }),
    );
}

const num = (v: number | null, digits = 1) => (v === null ? '-' : v.toFixed(digits));
const ci = (i: Interval, digits = 1) =>
  i.halfWidth === null ? num(i.mean, digits) : `${num(i.mean, digits)} ±${num(i.halfWidth, digits)}`;
const pct = (i: Interval) =>
  i.mean === null
    ? '-'
    : `${(100 * i.mean).toFixed(1)}%${i.halfWidth === null ? '' : ` ±${(100 * i.halfWidth).toFixed(1)}`}`;

/** The human summary: one line per priority and per pool, means ± 95% CI half-widths. */
export function describe(r: ExperimentResult): string {
  const lines = [
    `${r.scenario}: ${r.replications} replications, seed ${r.seed}, ${r.tickets.toLocaleString('en')} tickets in ${r.wallSeconds.toFixed(2)} s ` +
      `(${Math.round(r.ticketsPerSecond).toLocaleString('en')} tickets/s), times in ${r.timeUnit}, mean ±95% CI half-width`,
  ];
  for (const [p, t] of Object.entries(r.priorities)) {
    const sla = (c: typeof t.respond, name: string) =>
      c.sla ? `  ${name} SLA ${pct(c.sla.attainment)}` : '';
    lines.push(
      `  ${p}: ${ci(t.count, 0)} tickets | respond mean ${ci(t.respond.mean)} p90 ${ci(t.respond.p90)}${sla(t.respond, 'respond')}` +
        (t.onsite ? ` | on site mean ${ci(t.onsite.mean)}${sla(t.onsite, 'on-site')}` : '') +
        ` | resolve mean ${ci(t.resolve.mean)} p90 ${ci(t.resolve.p90)}${sla(t.resolve, 'resolve')}` +
        ` | open at horizon ${ci(t.openAtHorizon.count, 1)}` +
        ((t.abandoned.mean ?? 0) > 0 ? ` | abandoned ${pct(t.pAbandon)}` : ''),
    );
  }
  if (r.windows) {
    for (const [name, tiers] of Object.entries(r.windows)) {
      const parts = Object.entries(tiers).map(
        ([p, t]) =>
          `${p} ${ci(t.count, 0)} tickets, respond SLA ${t.respond.sla ? pct(t.respond.sla.attainment) : '-'}, resolve SLA ${t.resolve.sla ? pct(t.resolve.sla.attainment) : '-'}`,
      );
      lines.push(
        `  ${name === 'peak' ? 'inside peak windows' : 'outside peak windows'}: ${parts.join(' | ')}`,
      );
    }
  }
  for (const input of r.inputs) {
    lines.push(
      `  replayed ${input.file}: ${input.tickets} tickets from ${input.rows} rows (${input.duplicates} duplicate rows merged, ${input.rejectedCount} rejected)` +
        input.rejected
          .slice(0, 5)
          .map((x) => `\n    line ${x.line}: ${x.reason}`)
          .join(''),
    );
  }
  for (const [name, p] of Object.entries(r.pools)) {
    lines.push(
      `  pool ${name}: utilisation ${pct(p.utilisation)}, on duty ${ci(p.meanOnDuty)}, queue ${ci(p.meanQueue)}, cost ${ci(p.cost, 0)}`,
    );
  }
  return lines.join('\n');
}

type LoadedScenarioValue = ReturnType<typeof loadScenario>['scenario'];

async function sweep(
  scenario: LoadedScenarioValue,
  baseDir: string,
  opts: SimulateOptions,
  quiet: boolean,
  workerPool?: ReplicationExecutor,
) {
  const axes: Axis[] = (opts.vary ?? []).map(axisOf);
  if (opts.ratio) axes.push(ratioAxis(parseRatio(opts.ratio, opts.scale ?? '1'), scenario));
  const replications = opts.replications ?? scenario.replications;
  const points = axes.reduce((n, a) => n * a.length, 1);
  const bar = createProgress({
    total: points * replications * 100,
    label: `sweeping ${points} points x ${replications} replications`,
    quiet,
  });
  const result = await runSweep(scenario, axes, {
    workerPool,
    replications,
    seed: opts.seed,
    workers: opts.workers,
    baseDir,
    onProgress: (done) => bar.update(Math.round(done * 100)),
  });
  bar.stop();
  const json = {
    scenario: scenario.name,
    seed: opts.seed ?? scenario.seed,
    replications,
    points: result.map((p) => ({
      values: p.values,
      cost: p.cost,
      priorities: p.result.priorities,
      pools: p.result.pools,
      windows: p.result.windows,
    })),
  };
  emit(opts.json, json, () => describeSweep(result));
  if (typeof opts.json === 'string' && opts.json !== '-')
    process.stdout.write(`${describeSweep(result)}\nwrote ${opts.json}\n`);
  if (opts.html) {
    await writeReport(opts.html, `Sweep: ${scenario.name}`, async (rep) => {
      rep.p(`${result.length} plans, ${replications} replications each, common random numbers.`);
      await rep.chart(sweepChart(result) as unknown as TopLevelSpec);
      await rep.chart(frontierChart(sweepAsExplored(result)) as unknown as TopLevelSpec);
    });
    if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
  }
}

/** One line per point: the values, cost, each tier's respond and resolve SLA, each pool's utilisation. */
export function describeSweep(points: SweepPoint[]): string {
  const lines = [`${points.length} points, common random numbers (mean ±95% CI half-width)`];
  for (const p of points) {
    const values = Object.entries(p.values)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const tiers = Object.entries(p.result.priorities)
      .map(
        ([name, t]) =>
          `${name} respond ${t.respond.sla ? pct(t.respond.sla.attainment) : '-'} resolve ${t.resolve.sla ? pct(t.resolve.sla.attainment) : '-'}`,
      )
      .join(' | ');
    const pools = Object.entries(p.result.pools)
      .map(([name, q]) => `${name} ${pct(q.utilisation)}`)
      .join(', ');
    lines.push(`  ${values}: cost ${p.cost.toFixed(0)} | ${tiers} | utilisation ${pools}`);
  }
  return lines.join('\n');
}

async function compare(
  scenario: LoadedScenarioValue,
  baseDir: string,
  opts: SimulateOptions,
  quiet: boolean,
  workerPool?: ReplicationExecutor,
) {
  const other = loadScenario(opts.compare!);
  const replications = opts.replications ?? scenario.replications;
  const seed = opts.seed ?? scenario.seed;
  const bar = createProgress({ total: 2 * replications * 100, label: 'simulating two plans', quiet });
  // each plan's own relative paths resolve against its own file
  const [a] = await runExperiments([scenario], {
    workerPool,
    replications,
    seed,
    workers: opts.workers,
    baseDir,
  });
  bar.update(replications * 100);
  const [b] = await runExperiments([other.scenario], {
    workerPool,
    replications,
    seed,
    workers: opts.workers,
    baseDir: other.baseDir,
    onProgress: (done) => bar.update(Math.round((replications + done) * 100)),
  });
  bar.stop();
  const difference = comparePlans(a, b);
  const text = () =>
    `${describe(a)}\n${describe(b)}\n${describeDifference(a.scenario, b.scenario, difference)}`;
  emit(opts.json, { base: a, other: b, difference }, text);
  if (opts.html) {
    await writeReport(opts.html, `${b.scenario} against ${a.scenario}`, async (rep) => {
      rep.p(
        `Both plans: ${replications} replications, seed ${seed}, the same tickets where their arrivals agree.`,
      );
      await rep.chart(differenceChart(difference, a.scenario, b.scenario) as unknown as TopLevelSpec);
      rep.h2(a.scenario);
      await rep.chart(slaChart(a) as unknown as TopLevelSpec);
      rep.h2(b.scenario);
      await rep.chart(slaChart(b) as unknown as TopLevelSpec);
    });
    if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
  }
  if (typeof opts.json === 'string' && opts.json !== '-')
    process.stdout.write(`${text()}\nwrote ${opts.json}\n`);
}

export function describeDifference(base: string, other: string, d: PlanDifference): string {
  const lines = [`${other} minus ${base} (paired over replications, common random numbers):`];
  for (const [p, t] of Object.entries(d.priorities)) {
    lines.push(
      `  ${p}: respond mean ${ci(t.respondMean)} min, respond SLA ${pct(t.respondAttainment)}, resolve mean ${ci(t.resolveMean)} min, resolve SLA ${pct(t.resolveAttainment)}`,
    );
  }
  lines.push(`  cost ${ci(d.cost, 0)}`);
  return lines.join('\n');
}
