/** `leadtime backtest`: walk-forward backtest of alerts and RUL on a synthetic run-to-failure fleet (app/fleet-backtest.ts). */
import type { Command } from 'commander';
import { parseDuration } from '../../core/duration.ts';
import type { FleetConfig } from '../../ingest/index.ts';
import type { FleetTrajectory } from '../../models/index.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';
/** The fleet's condition indicators per snapshot, with a progress bar (shared with `demo` and `tickets backtest`). */
export async function fleetIndicators(
  config: FleetConfig,
  quiet: boolean,
  label = 'condition indicators',
): Promise<FleetTrajectory[]> {
  const { createProgress } = await import('../../core/index.ts');
  const { generatedFleet } = await import('../../app/fleet-backtest.ts');
  const bar = createProgress({ total: config.assets, label, quiet });
  const assets = generatedFleet(config, (d) => bar.update(d));
  bar.stop();
  return assets;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'walk-forward backtest of anomaly alerts and RUL on a synthetic run-to-failure fleet with ground truth',
    )
    .option('-c, --config <file>', 'fleet config (YAML or JSON); see data/fleet.example.yaml')
    .option('-n, --assets <n>', 'number of assets', intOption('--assets', 3), 12)
    .option('-s, --seed <n>', 'random seed', intOption('--seed'), 1)
    .option('--lead-time <duration>', 'warning an alert must give to count as a detection', '2d')
    .option(
      '--design-prior',
      'start the RUL model from the design fleet (the default; kept for earlier scripts)',
    )
    .option(
      '--no-design-prior',
      "fit the RUL model on this fleet's own failures only, without the design fleet of the same bearing type (seeds 101-105, never this fleet) it starts from by default",
    )
    .option('--json [file]', 'write the report as JSON')
    .action(
      action(
        async (
          o: {
            config?: string;
            assets: number;
            seed: number;
            leadTime: string;
            json?: string | boolean;
            designPrior?: boolean;
          },
          cmd: Command,
        ) => {
          const { backtestFleet, backtestFleetConfig } = await import('../../app/fleet-backtest.ts');
          const { designFleetPrior, rulBacktestChart } = await import('../../models/index.ts');
          const { formatBacktest } = await import('../text/backtest-text.ts');
          const g = globals(cmd);
          const config = backtestFleetConfig(o);
          // the RUL model starts from the same bearing type's failures on a design fleet (other
          // seeds, never this fleet's assets), updated by this fleet's failures as they happen
          const prior = o.designPrior === false ? undefined : designFleetPrior(config);
          const report = backtestFleet(
            await fleetIndicators(config, g.quiet),
            config.seed,
            parseDuration(o.leadTime, '--lead-time'),
            prior,
          );
          const designPrior = prior?.source ?? null;
          emit(o.json, { ...report, designPrior, chart: rulBacktestChart(report) }, () =>
            formatBacktest(report, designPrior),
          );
        },
      ),
    );
}
