/** `leadtime simulate SCENARIO`: runs a staffing scenario's replications and reports waits, SLAs and utilisation. */
import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../../core/duration.ts';
import { UsageError } from '../../core/errors.ts';
import type { Axis, loadScenario, Variation } from '../../simulation/index.ts';
import { parseVariation } from '../../simulation/scenario/scenario-path.ts';
import { describe, describeDifference, describeSweep } from '../text/experiment-text.ts';
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

/** The HTML reports, loaded only when one is asked for (they bring in Vega). */
const reports = () => import('../report/simulation-report.ts');

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
      "also write an HTML report: warnings, result tables, charts (SLA with the scenario's goals, waits with time targets, queue and utilisation over time)",
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
        const { createProgress } = await import('../../core/index.ts');
        const { loadScenario, runExperiment } = await import('../../simulation/index.ts');
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
          (await (await reports()).simulationReport(result)).writeTo(opts.html);
          if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
        }
      }),
    );
}

type LoadedScenarioValue = ReturnType<typeof loadScenario>['scenario'];

async function sweep(
  scenario: LoadedScenarioValue,
  baseDir: string,
  opts: SimulateOptions,
  quiet: boolean,
  workerPool?: ReplicationExecutor,
) {
  const { createProgress } = await import('../../core/index.ts');
  const { axisOf, parseRatio, ratioAxis, runSweep } = await import('../../simulation/index.ts');
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
    (await (await reports()).sweepReport(scenario, result, replications)).writeTo(opts.html);
    if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
  }
}

async function compare(
  scenario: LoadedScenarioValue,
  baseDir: string,
  opts: SimulateOptions,
  quiet: boolean,
  workerPool?: ReplicationExecutor,
) {
  const { createProgress } = await import('../../core/index.ts');
  const { comparePlans, loadScenario, runExperiments } = await import('../../simulation/index.ts');
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
  // a tier timed 24/7 in one plan and in business time in the other: its differences mix the two
  const mixed = Object.entries(a.priorities).flatMap(([p, t]) => {
    const other = b.priorities[p as keyof typeof b.priorities];
    return other && other.clock !== t.clock
      ? [
          `  note: ${p} SLA clocks differ (${t.clock} against ${other.clock}): its time and SLA differences compare unlike minutes`,
        ]
      : [];
  });
  const text = () =>
    [describe(a), describe(b), describeDifference(a.scenario, b.scenario, difference, a), ...mixed].join(
      '\n',
    );
  emit(opts.json, { base: a, other: b, difference }, text);
  if (opts.html) {
    (await (await reports()).comparisonReport(a, b, difference, replications, seed)).writeTo(opts.html);
    if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
  }
  if (typeof opts.json === 'string' && opts.json !== '-')
    process.stdout.write(`${text()}\nwrote ${opts.json}\n`);
}
