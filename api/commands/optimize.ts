/**
 * `leadtime optimize SCENARIO --target 'P1.respond.sla>=0.95' --vary pools.engineers.size=6..14`:
 * the cheapest staffing in the grid that meets every target with confidence, found from an Erlang
 * C start and refined by simulation (simulation/optimizer.ts). Reports the explored frontier.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { LeadtimeError, UsageError } from '../../core/errors.ts';
import type { Progress } from '../../core/index.ts';
import { money, perWeek, periodWords, scenarioMeasuredMinutes } from '../report/plan-words.ts';
import type { OptimizeResult, Scenario, Target, Variation } from '../../simulation/index.ts';
import { parseTarget } from '../../simulation/experiments/targets.ts';
import { parseVariation, valuesText } from '../../simulation/scenario/scenario-path.ts';
import { describeWarnings } from '../text/experiment-text.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';
import { queueOptions, withQueue, type QueueOptions } from '../queue-option.ts';

interface OptimizeOptions extends QueueOptions {
  target?: Target[];
  vary: Variation[];
  replications?: number;
  seed?: number;
  workers?: number;
  json?: string | boolean;
  html?: string;
  ratio?: string;
  scale?: string;
}

const collect =
  <T>(parse: (text: string) => T) =>
  (value: string, previous: T[] = []) => {
    try {
      return [...previous, parse(value)];
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined ? '-' : x.toFixed(digits);

/**
 * The optimiser's answer as text; with the scenario, costs carry its currency, per week and over
 * the measured window, and targets taken from the scenario say so.
 */
export function describeOptimum(
  r: OptimizeResult,
  scenario?: Pick<Scenario, 'horizon' | 'warmup' | 'currency'>,
  targetsFrom: 'option' | 'scenario' = 'option',
): string {
  const minutes = scenario ? scenarioMeasuredMinutes(scenario) : null;
  const cost = (c: number) =>
    minutes === null
      ? c.toFixed(0)
      : `${money(perWeek(c, minutes), scenario?.currency)} per week (${money(c, scenario?.currency)} over the ${periodWords(minutes)} measured)`;
  const lines = [
    `${r.scenario}: ${r.explored.length} points explored, ${r.replications} replications each, seed ${r.seed}, in ${r.wallSeconds.toFixed(1)} s`,
    `  targets${targetsFrom === 'scenario' ? " (the scenario's, no --target given)" : ''}: ${r.targets.join(', ')}`,
    `  Erlang C start: ${valuesText(r.start.values)} (offered load ${Object.entries(r.start.offeredLoad)
      .map(([p, a]) => `${p} ${a.toFixed(2)} Erlangs`)
      .join(', ')})`,
  ];
  if (r.best) {
    lines.push(`  cheapest meeting every target: ${valuesText(r.best.values)}, cost ${cost(r.best.cost)}`);
    for (const t of r.best.targets)
      lines.push(`    ${t.target}: ${fmt(t.value?.mean)} [${fmt(t.value?.lower)}, ${fmt(t.value?.upper)}]`);
  } else lines.push('  no point of the grid meets every target with confidence');
  lines.push(...describeWarnings(r.warnings));
  lines.push('  explored (cost, targets met):');
  for (const p of [...r.explored].sort((a, b) => a.cost - b.cost))
    lines.push(
      `    ${valuesText(p.values).padEnd(30)} cost ${p.cost.toFixed(0).padStart(10)}  ${p.feasible ? 'meets all' : 'misses'}  ` +
        p.targets.map((t) => `${t.target.split(/[<>]=/)[0]} ${fmt(t.value?.mean)}`).join(', ') +
        `  (${p.reason})`,
    );
  return lines.join('\n');
}

export function registerOptimize(program: Command): void {
  const cmd = program
    .command('optimize')
    .description('find the cheapest staffing that meets every service target with confidence')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option(
      '--target <metric>',
      "a target such as 'P1.respond.sla>=0.95', 'P2.resolve.mean<=4h', 'P1.pAbandon<=0.05'; repeatable (default: the scenario's `targets`)",
      collect(parseTarget),
    )
    .option(
      '--vary <path=lo..hi>',
      'a field to search, e.g. pools.engineers.size=6..14 (or =lo..hi:step, =a,b,c); repeatable',
      collect(parseVariation),
    )
    .option('--ratio <pools>', 'search pools together in a ratio, e.g. engineers:agents:experts=10:3:1')
    .option('--scale <lo..hi:step>', 'with --ratio: the scales of the ratio to search (e.g. 0.5..2:0.1)')
    .option(
      '-r, --replications <n>',
      "replications per point (default: the scenario's)",
      intOption('--replications', 1),
    )
    .option('-s, --seed <n>', "random seed (default: the scenario's)", intOption('--seed'))
    .option('-w, --workers <n>', 'worker threads (default: one per core)', intOption('--workers', 0))
    .option('--json [file]', 'write the result as JSON: best.values, best.cost, explored, frontier')
    .option(
      '--html <file>',
      'also write an HTML report: the explored plans in a table (cost per week, targets met), cost against every target with its goal line, warnings',
    );
  queueOptions(cmd)
    .addHelpText(
      'after',
      "\nWithout --target, the targets are the scenario's own `targets` (e.g. targets: ['P1.respond.sla>=0.95']);" +
        ' with neither, optimize exits 2.' +
        "\n\nExamples:\n  leadtime optimize data/scenarios/service-center.yaml --target 'P1.respond.sla>=0.95' \\\n    --target 'P2.resolve.sla>=0.9' --vary pools.engineers.size=6..14 --vary pools.agents.size=2..5 --json best.json" +
        '\n  leadtime optimize data/scenarios/service-center.yaml --vary pools.engineers.size=8..14 --html best.html   # its own targets',
    )
    .action(
      action(async (file: string, opts: OptimizeOptions, cmd: Command) => {
        const { createProgress } = await import('../../core/index.ts');
        const { loadScenario, optimize, parseRatio, ratioAxis, scenarioTargets } =
          await import('../../simulation/index.ts');
        const g = globals(cmd);
        const { scenario, baseDir } = loadScenario(file);
        if (opts.scale && !opts.ratio) throw new UsageError('--scale needs --ratio');
        if (!opts.vary && !opts.ratio)
          throw new UsageError('give --vary (a field to search) or --ratio with --scale');
        const targets = opts.target ?? scenarioTargets(scenario, file);
        if (targets.length === 0)
          throw new UsageError(
            "give --target (e.g. --target 'P1.respond.sla>=0.95') or set `targets` in the scenario",
          );
        const targetsFrom = opts.target ? 'option' : 'scenario';
        const axes = opts.ratio ? [ratioAxis(parseRatio(opts.ratio, opts.scale ?? '1'), scenario)] : [];
        let bar: Progress | null = null;
        let label = '';
        const result = await withQueue(opts, g.quiet, (workerPool) =>
          optimize(scenario, opts.vary ?? [], targets, {
            workerPool,
            axes,
            replications: opts.replications,
            seed: opts.seed,
            workers: opts.workers,
            baseDir,
            onProgress: (what, done, total) => {
              if (what !== label) {
                bar?.stop();
                label = what;
                bar = createProgress({ total: total * 100, label: what, quiet: g.quiet });
              }
              bar!.update(Math.round(done * 100));
            },
          }),
        );
        (bar as Progress | null)?.stop();
        const text = () => describeOptimum(result, scenario, targetsFrom);
        emit(opts.json, result, text);
        if (typeof opts.json === 'string' && opts.json !== '-')
          process.stdout.write(`${text()}\nwrote ${opts.json}\n`);
        if (opts.html) {
          const { optimizeReport } = await import('../report/simulation-report.ts'); // Vega: only for --html
          (await optimizeReport(result, scenario, targets)).writeTo(opts.html);
          if (opts.json !== true && opts.json !== '-') process.stdout.write(`wrote ${opts.html}\n`);
        }
        if (!result.best) throw new LeadtimeError('no point of the grid meets every target');
      }),
    );
}
