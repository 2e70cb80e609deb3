/**
 * `leadtime demo` (what `npm start` runs): the main job end to end on the embedded default, into
 * `<home>/demo/`. Each stage adds its step here as it lands.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createProgress, homeDir, parseDuration, validate } from '../../core/index.ts';
import {
  CsvReader,
  F32Reader,
  FleetConfig,
  ingest,
  storePath,
  TelemetryStore,
  writeFleet,
} from '../../ingest/index.ts';
import { loadScenario, runExperiment } from '../../simulation/index.ts';
import { action, globals } from '../cli-support.ts';
import { formatBacktest, runFleetBacktest } from './models.ts';
import { describe as describeSimulation } from './simulate.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline on generated data into <home>/demo (what npm start runs)')
    .action(
      action(async (_opts: unknown, cmd: Command) => {
        const g = globals(cmd);
        const out = homeDir(g.home, 'demo');
        const say = (s: string) => process.stderr.write(`${s}\n`);
        say(`leadtime demo: everything goes to ${out}`);

        say('[1/4] synthetic bearing fleet (run to failure, with ground truth)');
        const fleetConfig = validate(
          FleetConfig,
          { assets: 12, snapshotSeconds: 0.25, interval: '6h' },
          'demo fleet',
        );
        let bar: ReturnType<typeof createProgress> | undefined;
        const fleet = writeFleet(fleetConfig, join(out, 'fleet'), (done, total) => {
          bar ??= createProgress({ total, label: '  snapshots', quiet: g.quiet });
          bar.update(done);
        });
        bar?.stop();
        process.stdout.write(
          `fleet: ${fleet.assets} assets, ${fleet.snapshots} vibration snapshots + scalars in ${join(out, 'fleet')}\n`,
        );

        say(
          '[2/4] ingest the fleet into the telemetry store (scalars, and condition indicators per snapshot)',
        );
        const fleetDir = join(out, 'fleet');
        const store = await TelemetryStore.open(storePath(g.home));
        try {
          for (const reader of [
            new CsvReader(join(fleetDir, 'scalars.csv'), { layout: 'wide', timestampFormat: 'epoch-ms' }),
            new F32Reader(join(fleetDir, 'waveforms', 'index.csv')),
          ]) {
            const s = await ingest(reader, store, {});
            process.stdout.write(
              `ingest ${reader.format}: ${s.records} records -> ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected} rejected\n`,
            );
          }
          const counts = await store.counts();
          process.stdout.write(
            `store ${store.file}: ${counts.samples} samples, ${counts.features} feature rows\n`,
          );
        } finally {
          store.close();
        }

        say('[3/4] walk-forward backtest: anomaly alerts and similarity RUL on the condition indicators');
        const report = runFleetBacktest(fleetConfig, parseDuration('2d'), g.quiet);
        writeFileSync(join(out, 'backtest.json'), JSON.stringify(report, null, 2) + '\n');
        process.stdout.write(`backtest:\n${formatBacktest(report)}\n`);

        say('[4/4] staffing simulation: the service-desk scenario (tiers, shifts, escalation, preemption)');
        const { scenario, baseDir } = loadScenario(join(repo, 'data/scenarios/service-desk.yaml'));
        const sim = await runExperiment(
          { ...scenario, replications: Math.min(scenario.replications, 8) },
          { baseDir },
        );
        writeFileSync(join(out, 'simulation.json'), JSON.stringify(sim, null, 2) + '\n');
        process.stdout.write(`simulation:\n${describeSimulation(sim)}\n`);
        process.stdout.write(`\nresults: ${join(out, 'backtest.json')}, ${join(out, 'simulation.json')}\n`);
      }),
    );
}
