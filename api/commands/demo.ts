/**
 * `leadtime demo` (what `npm start` runs): the main job end to end on the embedded default, into
 * `<home>/demo/`: fleet, ingest, backtest, predictive tickets, the service desk simulated reactive
 * and predictive, an HTML report; then the dashboard is served (`--no-serve` stops after the report).
 * Each stage adds its step here as it lands.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { createProgress, homeDir, MS, parseDuration, validate } from '../../core/index.ts';
import { fleetReaders, FleetConfig, ingest, openTelemetryStore, writeFleet } from '../../ingest/index.ts';
import {
  CalibratedModel,
  fingerprint,
  FLEET_CHANNELS,
  fleetRulModel,
  ModelRegistry,
} from '../../models/index.ts';
import {
  fleetEvaluations,
  playTickets,
  ticketPolicy,
  openTicketStore,
  type TicketBacktestOptions,
} from '../../tickets/index.ts';
import { loadScenario, runExperiment } from '../../simulation/index.ts';
import { toPredictive } from '../report/predictive-scenario.ts';
import { action, globals } from '../cli-support.ts';
import { writeDemoReport } from './demo-report.ts';
import { fleetIndicators, formatBacktest, runFleetBacktest } from './models.ts';
import { startServer } from './serve.ts';
import { describe as describeSimulation } from './simulate.ts';
import { formatTicketBacktest } from './tickets.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole pipeline on generated data into <home>/demo, write the report, then serve the dashboard (what npm start runs)',
    )
    .option('--no-serve', 'stop after the report')
    .option('-p, --port <n>', 'dashboard port (default 8080; 0 picks a free one)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535)
        throw new InvalidArgumentError(`--port expects an integer in [0, 65535], got "${v}"`);
      return n;
    })
    .action(
      action(async (opts: { serve: boolean; port?: number }, cmd: Command) => {
        const g = globals(cmd);
        const started = performance.now();
        const out = homeDir(g.home, 'demo');
        const say = (s: string) => process.stderr.write(`${s}\n`);
        say(`leadtime demo: everything goes to ${out}`);

        say('[1/7] synthetic bearing fleet (run to failure, with ground truth)');
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
          '[2/7] ingest the fleet into the telemetry store (scalars, and condition indicators per snapshot)',
        );
        const fleetDir = join(out, 'fleet');
        let storedRows = 0;
        const store = await openTelemetryStore(g.home, g.store);
        try {
          for (const reader of fleetReaders(fleetDir)) {
            const s = await ingest(reader, store, {});
            process.stdout.write(
              `ingest ${reader.format}: ${s.records} records -> ${s.stored} stored, ${s.duplicates} duplicates, ${s.rejected} rejected\n`,
            );
          }
          const counts = await store.counts();
          storedRows = counts.samples + counts.features;
          process.stdout.write(
            `store ${store.location}: ${counts.samples} samples, ${counts.features} feature rows\n`,
          );
        } finally {
          store.close();
        }

        say('[3/7] walk-forward backtest: anomaly alerts and similarity RUL on the condition indicators');
        const assets = fleetIndicators(fleetConfig, g.quiet, '  condition indicators');
        const report = runFleetBacktest(assets, fleetConfig.seed, parseDuration('2d'));
        writeFileSync(join(out, 'backtest.json'), JSON.stringify(report, null, 2) + '\n');
        process.stdout.write(`backtest:\n${formatBacktest(report)}\n`);

        say(
          "[4/7] predictive tickets: the models' evaluations through the ticket policy, walking forward in time",
        );
        const policy = ticketPolicy({}, 'defaults');
        const ticketOptions: TicketBacktestOptions = {
          policy,
          leadTimeMs: MS.d,
          channels: FLEET_CHANNELS,
          rul: fleetRulModel(assets, fleetConfig.seed),
        };
        // the model the fleet would run from here on: similarity RUL trained on every failed bearing, in the registry
        const rulOptions = ticketOptions.rul!.options;
        const trained = CalibratedModel.fit(ticketOptions.rul!.family, assets, rulOptions, {
          calibrationFolds: 3,
          minHistory: 3,
          maxRul: Infinity,
        });
        const manifest = ModelRegistry.inHome(g.home).save('bearing-similarity', trained, {
          parameters: { ...rulOptions, intervalScale: trained.state.intervalScale },
          features: { channels: FLEET_CHANNELS, settings: [] },
          trainingData: {
            source: join(out, 'fleet'),
            assets: assets.length,
            rows: assets.reduce((n, a) => n + a.t.length, 0),
            fingerprint: fingerprint(assets),
          },
          metrics: {
            backtest: {
              detectionRate: report.detectionRate,
              falseAlarmsPerAssetMonth: report.falseAlarmsPerAssetMonth,
              meanPrognosticHorizonMs: report.meanPrognosticHorizon,
            },
          },
        });
        process.stdout.write(
          `model: saved ${manifest.name}@${manifest.version} (${manifest.family}) in the registry\n`,
        );
        const evaluations = fleetEvaluations(assets, ticketOptions);
        const ticketReport = playTickets(
          evaluations,
          assets.map((a) => ({ asset: a.asset, onsetT: a.onsetT, failureT: a.failureT, startT: a.t[0] })),
          policy,
          MS.d,
        );
        const { ticketList: _played, ...ticketSummary } = ticketReport;
        writeFileSync(join(out, 'tickets.json'), JSON.stringify(ticketSummary, null, 2) + '\n');
        process.stdout.write(`tickets:\n${formatTicketBacktest(ticketReport)}\n`);
        // the ticket store (what the dashboard and GET /v1/tickets show): "now" is when half the fleet
        // has failed; evaluations up to then go through the policy, and the ticket of a bearing that
        // failed before now is resolved at its failure (fault confirmed)
        const now = assets.length
          ? assets.map((a) => a.failureT).sort((x, y) => x - y)[Math.floor(assets.length / 2)]
          : 0;
        const tickets = await openTicketStore(g.home, g.store);
        try {
          const upTo = evaluations.filter((e) => e.at <= now);
          await tickets.apply(upTo, policy, { positions: upTo.map((e) => `${e.asset} t=${e.t}`) });
          for (const a of assets.filter((x) => x.failureT <= now))
            for (const t of await tickets.list({ asset: a.asset, status: 'active' }))
              await tickets.setStatus(t.id, {
                status: 'resolved',
                faultConfirmed: true,
                at: a.failureT,
                note: 'bearing replaced at failure',
              });
          const active = await tickets.list({ status: 'active' });
          process.stdout.write(
            `ticket store ${tickets.location}: ${(await tickets.list()).length} tickets as of ${new Date(now).toISOString()}, ${active.length} open\n`,
          );
        } finally {
          tickets.close();
        }

        say(
          '[5/7] staffing simulation, reactive: the service-desk scenario (tiers, shifts, escalation, preemption)',
        );
        const { scenario, baseDir } = loadScenario(join(repo, 'data/scenarios/service-desk.yaml'));
        const simulate = async (sc: typeof scenario, label: string) => {
          const bar = createProgress({ total: sc.replications, label, quiet: g.quiet });
          try {
            return await runExperiment(sc, { baseDir, onProgress: (d) => bar.update(d) });
          } finally {
            bar.stop();
          }
        };
        const sim = await simulate(
          { ...scenario, replications: Math.min(scenario.replications, 8) },
          '  replications',
        );
        writeFileSync(join(out, 'simulation.json'), JSON.stringify(sim, null, 2) + '\n');
        process.stdout.write(`simulation:\n${describeSimulation(sim)}\n`);

        const detection = ticketReport.failures > 0 ? ticketReport.ticketedAhead / ticketReport.failures : 0;
        say(
          `[6/7] staffing simulation, predictive: ${Math.round(100 * detection)}% of hardware faults announced ahead as planned P3 work`,
        );
        const predictiveScenario = toPredictive(
          { ...scenario, replications: Math.min(scenario.replications, 8) },
          detection,
        );
        const predictive = predictiveScenario ? await simulate(predictiveScenario, '  replications') : sim;
        writeFileSync(join(out, 'simulation-predictive.json'), JSON.stringify(predictive, null, 2) + '\n');
        process.stdout.write(`simulation (predictive):\n${describeSimulation(predictive)}\n`);

        say('[7/7] the report');
        const reportFile = await writeDemoReport(join(out, 'report.html'), {
          started,
          assets: fleet.assets,
          snapshots: fleet.snapshots,
          stored: storedRows,
          backtest: report,
          tickets: ticketReport,
          detection,
          reactive: sim,
          predictive,
        });
        const share = (r: typeof sim, p: 'P1' | 'P2') => r.priorities[p]?.count.mean ?? 0;
        process.stdout.write(
          [
            '',
            'summary:',
            `  alerts: detection ${Math.round(100 * report.detectionRate)}%, ${report.falseAlarmsPerAssetMonth.toFixed(3)} false alarms per asset-month`,
            `  tickets: ${ticketReport.tickets} opened, ${ticketReport.ticketedAhead}/${ticketReport.failures} failures ticketed >= 24 h ahead`,
            `  service desk: P1+P2 tickets ${Math.round(share(sim, 'P1') + share(sim, 'P2'))} reactive -> ${Math.round(share(predictive, 'P1') + share(predictive, 'P2'))} predictive`,
            `  report: ${reportFile}`,
            `  results: ${['backtest.json', 'tickets.json', 'simulation.json', 'simulation-predictive.json'].map((f) => join(out, f)).join(', ')}`,
            '',
          ].join('\n'),
        );
        if (!opts.serve) return;
        const server = await startServer({
          home: g.home,
          store: g.store,
          port: opts.port ?? 8080,
          host: '127.0.0.1',
          failures: join(fleetDir, 'truth.csv'),
          generateToken: true,
        });
        process.stdout.write(
          `open ${server.url}/ in a browser; Ctrl-C stops (npm start -- --no-serve skips serving)\n`,
        );
        await new Promise<void>((resolveStop) => {
          const stop = () => server.close().then(resolveStop, resolveStop);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}
