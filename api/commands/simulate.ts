/** `leadtime simulate SCENARIO`: runs a staffing scenario's replications and reports waits, SLAs and utilisation. */
import type { Command } from 'commander';
import { createProgress } from '../../core/index.ts';
import { loadScenario, runExperiment, type ExperimentResult, type Interval } from '../../simulation/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';

interface SimulateOptions {
  replications?: number;
  seed?: number;
  workers?: number;
  json?: string | boolean;
}

export function registerSimulate(program: Command): void {
  program
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
    .addHelpText(
      'after',
      '\nExample:\n  leadtime simulate data/scenarios/mmc.yaml --replications 20 --seed 1 --json mmc.json',
    )
    .action(
      action(async (file: string, opts: SimulateOptions, cmd: Command) => {
        const g = globals(cmd);
        const { scenario, baseDir } = loadScenario(file);
        const replications = opts.replications ?? scenario.replications;
        const bar = createProgress({
          total: replications * 100,
          label: `simulating ${replications} replications`,
          quiet: g.quiet,
        });
        const result = await runExperiment(scenario, {
          replications,
          seed: opts.seed,
          workers: opts.workers,
          baseDir,
          onProgress: (done) => bar.update(Math.round(done * 100)),
        });
        bar.stop();
        emit(opts.json, result, () => describe(result));
        if (typeof opts.json === 'string' && opts.json !== '-') {
          process.stdout.write(`${describe(result)}\nwrote ${opts.json}\n`);
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
        ` | open at horizon ${ci(t.openAtHorizon.count, 1)}`,
    );
  }
  for (const [name, p] of Object.entries(r.pools)) {
    lines.push(
      `  pool ${name}: utilisation ${pct(p.utilisation)}, on duty ${ci(p.meanOnDuty)}, queue ${ci(p.meanQueue)}, cost ${ci(p.cost, 0)}`,
    );
  }
  return lines.join('\n');
}
