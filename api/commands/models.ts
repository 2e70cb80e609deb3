/**
 * Model commands: `evaluate cmapss`, `features rank`, `train`, `models list|show`, `predict`.
 */
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { formatDuration } from '../../core/duration.ts';
import { InputError } from '../../core/errors.ts';
import { homeDir } from '../../core/home.ts';
import type {
  CalibratedModel,
  EvaluationReport,
  FitControl,
  NeuralOptions,
  Trajectory,
} from '../../models/index.ts';
import { RUL_FAMILY_NAMES } from '../../models/rul/family-names.ts';
import { action, emit, globals, intOption } from '../cli-support.ts';
import { requireInputPath } from './input-path.ts';
import { localOrServer } from './through-server.ts';

const numberOption =
  (name: string, min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} expects a number in [${min}, ${max}], got "${v}"`);
    return n;
  };

interface CommonModelOptions {
  cap: number;
  coverage: number;
  seed: number;
  window?: number;
  members?: number;
  epochs?: number;
  smoothing?: number;
}

async function modelOptions(o: CommonModelOptions): Promise<NeuralOptions> {
  const { CMAPSS_SENSORS, CMAPSS_SETTINGS } = await import('../../models/index.ts');
  // the neural settings are ignored by the classical families
  return {
    settings: CMAPSS_SETTINGS,
    channels: CMAPSS_SENSORS,
    cap: o.cap,
    coverage: o.coverage,
    seed: o.seed,
    ...(o.window !== undefined && { window: o.window }),
    ...(o.members !== undefined && { members: o.members }),
    ...(o.epochs !== undefined && { epochs: o.epochs }),
    ...(o.smoothing !== undefined && { smoothing: o.smoothing }),
  };
}

async function loadTraining(file: string, quiet: boolean): Promise<Trajectory[]> {
  const { readCmapss } = await import('../../models/index.ts');
  const { trajectories, rejected } = await readCmapss(file, true);
  if (rejected.length && !quiet) {
    process.stderr.write(
      `leadtime: ${rejected.length} rows of ${file} rejected and left out, e.g. ${rejected[0].position}: ${rejected[0].reason}\n`,
    );
  }
  if (trajectories.length < 3)
    throw new InputError(`${file}: needs at least 3 run-to-failure units, found ${trajectories.length}`);
  return trajectories;
}

function addModelOptions(cmd: Command): Command {
  return cmd
    .option('--cap <cycles>', 'RUL target cap (piecewise-linear target)', numberOption('--cap', 1, 1e9), 125)
    .option('--coverage <p>', 'nominal interval coverage', numberOption('--coverage', 0.5, 0.999), 0.9)
    .option('--seed <n>', 'random seed', intOption('--seed'), 1)
    .option('--window <cycles>', 'neural models: window length (default 40)', intOption('--window', 2))
    .option('--members <n>', 'neural models: ensemble size (default 5)', intOption('--members', 1))
    .option(
      '--epochs <n>',
      'neural models: most epochs per network (default 60; early stopping)',
      intOption('--epochs', 1),
    )
    .option(
      '--smoothing <alpha>',
      'neural models: EWMA weight on the normalised sensors, 0 for none (default 0.2)',
      numberOption('--smoothing', 0, 1),
    );
}

export function registerModels(program: Command): void {
  const evaluate = program.command('evaluate').description('evaluate models by published protocols');
  addModelOptions(
    evaluate
      .command('cmapss')
      .description(
        'C-MAPSS protocol: train on TRAIN, score RUL at the last cycle of every TEST engine, or engine-wise --cv K',
      )
      .requiredOption('--train <file>', 'run-to-failure training file (e.g. train_FD001.txt)')
      .option('--test <file>', 'truncated test file')
      .option('--truth <file>', 'true RULs of the test engines, one per line')
      .option('--cv <k>', 'engine-wise K-fold cross-validation on the training file', intOption('--cv', 2))
      .option('--cuts <n>', 'random truncations per held-out engine in --cv', intOption('--cuts', 1), 1)
      .option(
        '--model <family>',
        `model family: ${RUL_FAMILY_NAMES.join(', ')}, a comma list, or all (default with --cv: the classical families; otherwise the family best on CV so far, else similarity)`,
      )
      .option('--json [file]', 'write the report as JSON'),
  ).action(
    action(
      async (
        o: CommonModelOptions & {
          train: string;
          test?: string;
          truth?: string;
          cv?: number;
          cuts: number;
          model?: string;
          json?: string | boolean;
        },
        cmd: Command,
      ) => {
        const { createProgress } = await import('../../core/index.ts');
        const {
          crossValidate,
          evaluateTestSplit,
          formatReports,
          labelledReport,
          readCmapss,
          readRulTruth,
          rulFamily,
        } = await import('../../models/index.ts');
        const g = globals(cmd);
        if (!o.cv && !(o.test && o.truth))
          throw new InputError('evaluate cmapss: give --test and --truth, or --cv K');
        for (const f of [o.train, o.test, o.truth]) if (f !== undefined) requireInputPath(f, 'file');
        const train = await loadTraining(o.train, g.quiet);
        const options = await modelOptions(o);
        const { families, selection } = await chooseFamilies(o.model, Boolean(o.cv), g.home, o.train, train);
        await announceBackend(families, g.quiet);
        const reports: EvaluationReport[] = [];
        const { control, done } = fitControl(g.quiet);
        try {
          for (const name of families) {
            if (o.cv) {
              const bar = createProgress({ total: o.cv, label: `cv ${name}`, quiet: g.quiet });
              reports.push(
                await crossValidate(
                  rulFamily(name),
                  train,
                  o.cv,
                  options,
                  { seed: o.seed, cutsPerUnit: o.cuts },
                  (d) => bar.update(d),
                  control,
                ),
              );
              bar.stop();
            } else {
              const test = (await readCmapss(o.test!, false)).trajectories;
              reports.push(
                await evaluateTestSplit(
                  rulFamily(name),
                  train,
                  test,
                  readRulTruth(o.truth!),
                  options,
                  { seed: o.seed },
                  control,
                ),
              );
            }
          }
        } finally {
          done();
        }
        if (o.cv) await recordLeaderboard(g.home, o.train, train, o.cv, o.cuts, reports);
        const best = reports.reduce((a, b) => (b.rmse < a.rmse ? b : a));
        const labelled = reports.map(labelledReport);
        const result =
          reports.length === 1
            ? { ...labelled[0], ...(selection && { selection }) }
            : {
                best: best.model,
                ranking: 'rmseRawTruth',
                protocol: `${o.cv}-fold engine-wise CV`,
                reports: labelled,
              };
        emit(o.json, result, () =>
          [formatReports(reports), reports.length > 1 ? `best (RMSE vs raw truth): ${best.model}` : '']
            .join('\n')
            .trimEnd(),
        );
      },
    ),
  );

  const features =
    program.commands.find((c) => c.name() === 'features') ??
    program.command('features').description('condition indicators');
  features
    .command('rank <file>')
    .description(
      'rank candidate indicators (and the fused HI) of a run-to-failure C-MAPSS file by monotonicity, trendability and prognosability (Coble & Hines 2009)',
    )
    .option('--smooth <rows>', 'trailing smoothing window before scoring', intOption('--smooth', 1), 5)
    .option('--json [file]', 'print the ranking as JSON')
    .action(
      // the parent `features` command owns --in/--format, so the file is a positional argument here
      action(async (file: string, o: { smooth: number; json?: string | boolean }, cmd: Command) => {
        const {
          CMAPSS_SENSORS,
          CMAPSS_SETTINGS,
          HealthIndicator,
          RegimeNormalizer,
          rankChannels,
          scoreIndicator,
        } = await import('../../models/index.ts');
        const train = await loadTraining(file, globals(cmd).quiet);
        const normalizer = RegimeNormalizer.fit(train, CMAPSS_SETTINGS, CMAPSS_SENSORS);
        const ranked = rankChannels(
          train.map((t) => normalizer.transform(t)),
          CMAPSS_SENSORS,
          o.smooth,
        );
        const hi = HealthIndicator.fit(train, {
          settings: CMAPSS_SETTINGS,
          channels: CMAPSS_SENSORS,
          smoothWindow: o.smooth,
        });
        const fused = scoreIndicator(
          'HI (fused)',
          train.map((t) => hi.transform(t)),
        );
        const rows = [fused, ...ranked];
        emit(o.json, { regimes: normalizer.regimes, selected: hi.state.selected, ranking: rows }, () =>
          [
            `${normalizer.regimes} operating regime(s); fused HI uses ${hi.state.selected.join(', ')}`,
            'indicator      monotonicity  trendability  prognosability  fitness',
            ...rows.map(
              (r) =>
                `${r.name.padEnd(14)} ${r.monotonicity.toFixed(3).padStart(12)} ${r.trendability.toFixed(3).padStart(13)} ${r.prognosability.toFixed(3).padStart(15)} ${r.fitness.toFixed(3).padStart(8)}`,
            ),
          ].join('\n'),
        );
      }),
    );

  addModelOptions(
    program
      .command('train')
      .description('train a RUL model on run-to-failure data and save it in the registry')
      .requiredOption('--in <file>', 'run-to-failure C-MAPSS training file')
      .option(
        '--model <family>',
        `model family: ${RUL_FAMILY_NAMES.join(', ')} (default: the family best on CV of this training data, else similarity)`,
      )
      .option('--name <name>', 'registry name (default: the family)')
      .option('--cv <k>', 'also cross-validate and store the metrics in the manifest', intOption('--cv', 2))
      .option('--json [file]', 'print the manifest as JSON'),
  ).action(
    action(
      async (
        o: CommonModelOptions & {
          in: string;
          model?: string;
          name?: string;
          cv?: number;
          json?: string | boolean;
        },
        cmd: Command,
      ) => {
        const { CalibratedModel, crossValidate, fingerprint, ModelRegistry, rulFamily } =
          await import('../../models/index.ts');
        const g = globals(cmd);
        const train = await loadTraining(o.in, g.quiet);
        const name = o.model ?? (await chooseFamilies(undefined, false, g.home, o.in, train)).families[0];
        const family = rulFamily(name);
        await announceBackend([name], g.quiet);
        const options = await modelOptions(o);
        const { control, done } = fitControl(g.quiet);
        let metrics: Awaited<ReturnType<typeof crossValidate>> | undefined;
        let model: CalibratedModel;
        const t0 = performance.now();
        try {
          metrics = o.cv
            ? await crossValidate(family, train, o.cv, options, { seed: o.seed }, () => {}, control)
            : undefined;
          model = await CalibratedModel.fitAny(family, train, options, { seed: o.seed }, control);
        } finally {
          done();
        }
        const trainSeconds = (performance.now() - t0) / 1000;
        const fitted = model.state.model as {
          hi?: { selected?: string[] };
          sensors?: string[];
          backend?: string;
          training?: { workers?: number; epochs?: number[] };
        };
        const selected = fitted.hi?.selected ?? fitted.sensors;
        const manifest = ModelRegistry.inHome(g.home).save(o.name ?? name, model, {
          parameters: {
            ...options,
            ...model.calibrationManifest(),
            ...(fitted.backend && { backend: fitted.backend }),
            ...(fitted.training?.workers && { workerThreads: fitted.training.workers }),
          },
          features: { channels: options.channels, settings: options.settings, ...(selected && { selected }) },
          trainingData: {
            source: o.in,
            assets: train.length,
            rows: train.reduce((s, t) => s + t.t.length, 0),
            fingerprint: fingerprint(train),
          },
          metrics: {
            trainSeconds,
            ...(metrics && {
              cv: {
                folds: o.cv,
                rmse: metrics.rmse,
                rmseCappedTruth: metrics.cappedRmse,
                cap: metrics.cap,
                score: metrics.score,
                mae: metrics.mae,
                coverage: metrics.coverage,
                n: metrics.n,
              },
            }),
          },
        });
        emit(
          o.json,
          manifest,
          () =>
            `saved ${manifest.name}@${manifest.version} (${manifest.family}) in ${trainSeconds.toFixed(1)} s${fitted.backend ? ` on the ${fitted.backend} backend${fitted.training?.workers ? `, ${fitted.training.workers} worker thread(s)` : ''}` : ''}${metrics ? `; CV RMSE ${metrics.rmse.toFixed(2)}` : ''}`,
        );
      },
    ),
  );

  const models = program.command('models').description('the model registry');
  models
    .command('list')
    .description('list saved models')
    .option('--json [file]', 'print as JSON')
    .action(
      action(async (o: { json?: string | boolean }, cmd: Command) => {
        const { ModelRegistry } = await import('../../models/index.ts');
        const list = ModelRegistry.inHome(globals(cmd).home).list();
        emit(o.json, list, () =>
          list.length === 0
            ? 'no models yet (leadtime train ...)'
            : list
                .map(
                  (m) =>
                    `${m.name}@${m.version}  ${m.family.padEnd(24)} ${m.created}  ${m.trainingData.source}`,
                )
                .join('\n'),
        );
      }),
    );
  models
    .command('design-prior')
    .description(
      "learn the fleet RUL model's design prior from stored assets of one bearing type that ran to failure, as the file serve --design-prior and tickets evaluate --design-prior read",
    )
    .requiredOption('--failures <csv>', 'asset,failureT of the stored assets that ran to failure')
    .requiredOption('-o, --out <file>', 'the design-prior file to write (JSON)')
    .option('-s, --seed <n>', 'random seed of the model', intOption('--seed'), 1)
    .option('--json [file]', 'print a summary as JSON')
    .action(
      action(
        async (o: { failures: string; out: string; seed: number; json?: string | boolean }, cmd: Command) => {
          const { withTelemetryStore } = await import('../../ingest/index.ts');
          const { readFailures } = await import('../../app/fleet-health.ts');
          const { designPriorFromStore } = await import('../../app/design-prior.ts');
          const g = globals(cmd);
          const failures = readFailures(o.failures);
          const prior = await withTelemetryStore(
            g.home,
            (store) =>
              designPriorFromStore(store, failures, { out: o.out, seed: o.seed, source: store.location }),
            g.store,
          );
          const summary = {
            file: o.out,
            source: prior.source,
            assets: prior.assets.length,
            indicators: prior.index.channels,
            rowInterval: prior.rowInterval,
            heldOutAssets: prior.heldOutAssets,
          };
          emit(o.json, summary, () =>
            [
              `design prior written to ${o.out}: ${prior.source}`,
              `  indicators ${prior.index.channels.join(', ')}; rows ${prior.rowInterval} time units apart (a fleet it is used on must be sampled alike)`,
              `  use it on other assets of the same type: leadtime serve --design-prior ${o.out}`,
            ].join('\n'),
          );
        },
      ),
    );
  models
    .command('show <ref>')
    .description('show a model manifest (NAME or NAME@VERSION)')
    .action(
      action(async (ref: string, _o: unknown, cmd: Command) => {
        const { ModelRegistry } = await import('../../models/index.ts');
        emit(true, ModelRegistry.inHome(globals(cmd).home).manifest(ref), () => '');
      }),
    );

  program
    .command('predict')
    .description('predict RUL with a saved model for stored assets (or a C-MAPSS file with --in)')
    .requiredOption('--model <ref>', 'NAME or NAME@VERSION')
    .option('--in <file>', 'C-MAPSS file of histories (default: the telemetry store)')
    .option('--assets <list>', 'comma-separated assets (default: all)')
    .option('--json [file]', 'print predictions as JSON')
    .action(
      action(
        async (o: { model: string; in?: string; assets?: string; json?: string | boolean }, cmd: Command) => {
          const { ModelRegistry, readCmapss, trajectoriesFromStore } = await import('../../models/index.ts');
          const { openTelemetryStore } = await import('../../ingest/index.ts');
          const g = globals(cmd);
          const { model, manifest } = ModelRegistry.inHome(g.home).load(o.model);
          const wanted = o.assets?.split(',').map((s) => s.trim());
          const channels = [...manifest.features.settings, ...manifest.features.channels];
          let histories: Trajectory[];
          if (o.in)
            histories = (await readCmapss(o.in, false)).trajectories.filter(
              (t) => !wanted || wanted.includes(t.asset),
            );
          else
            histories = await localOrServer(
              g.home,
              async () => {
                const store = await openTelemetryStore(g.home, g.store);
                try {
                  return await trajectoriesFromStore(store, channels, wanted);
                } finally {
                  store.close();
                }
              },
              async (get) => {
                const { trajectoriesThroughServer } = await import('./server-trajectories.ts');
                return trajectoriesThroughServer(get, channels, wanted);
              },
            );
          if (histories.length === 0)
            throw new InputError(
              `no assets with the channels ${manifest.name}@${manifest.version} needs (${channels.join(', ')})`,
            );
          const predictions = histories.map((h) => ({
            ...model.predict(h),
            model: `${manifest.name}@${manifest.version}`,
          }));
          emit(o.json, predictions, () =>
            predictions.map((p) => `${p.asset.padEnd(16)} ${describePrediction(p)}`).join('\n'),
          );
        },
      ),
    );
}

const CLASSICAL = ['similarity', 'exponential-degradation', 'linear-degradation', 'weibull'];

/** The leaderboard of CV results per training file, kept in the registry folder. */
function leaderboardPath(home: string): string {
  return join(homeDir(home, 'models'), 'cv-leaderboard.json');
}

async function recordLeaderboard(
  home: string,
  source: string,
  train: Trajectory[],
  folds: number,
  cuts: number,
  reports: EvaluationReport[],
): Promise<void> {
  const { fingerprint, readLeaderboard, recordReports, writeLeaderboard } =
    await import('../../models/index.ts');
  const board = readLeaderboard(leaderboardPath(home));
  writeLeaderboard(
    leaderboardPath(home),
    recordReports(board, { source, fingerprint: fingerprint(train) }, folds, cuts, reports),
  );
}

/**
 * `--model NAME[,NAME]` or `all`; without it, CV runs the classical families (the others train for
 * minutes) and a test-split evaluation uses the family best on CV of this training data, from the
 * home's leaderboard and the shipped one (models/evaluate/leaderboard.ts), else similarity; it
 * says which and why on stderr.
 */
async function chooseFamilies(
  model: string | undefined,
  cv: boolean,
  home: string,
  source: string,
  train: Trajectory[],
): Promise<{ families: string[]; selection?: { family: string; reason: string; from: string } }> {
  const { chooseFamily, fingerprint, readLeaderboard, RUL_FAMILIES, rulFamily, SHIPPED_LEADERBOARD } =
    await import('../../models/index.ts');
  let names: string[];
  let selection: { family: string; reason: string; from: string } | undefined;
  if (model === 'all') names = Object.keys(RUL_FAMILIES);
  else if (model) names = model.split(',').map((m) => m.trim());
  else if (cv) names = CLASSICAL;
  else {
    const choice = chooseFamily(
      { source, fingerprint: fingerprint(train) },
      { home: readLeaderboard(leaderboardPath(home)), shipped: readLeaderboard(SHIPPED_LEADERBOARD) },
      Object.keys(RUL_FAMILIES),
    );
    selection = { family: choice.family, reason: choice.reason, from: choice.from };
    names = [choice.family];
    process.stderr.write(`leadtime: using ${choice.family} (${choice.reason})\n`);
  }
  names.forEach((f) => rulFamily(f));
  return { families: names, ...(selection && { selection }) };
}

/**
 * A progress line in a log (stderr not a terminal): the first at once, then at most one per this;
 * LEADTIME_PROGRESS_LOG_MS sets another spacing (the tests that wait on a line use a short one).
 */
const logProgressMs = (): number => {
  const ms = Number(process.env.LEADTIME_PROGRESS_LOG_MS);
  return process.env.LEADTIME_PROGRESS_LOG_MS && Number.isFinite(ms) && ms >= 0 ? ms : 5_000;
};

/**
 * Training progress on stderr unless --quiet: redrawn in place on a terminal, a plain line at most
 * logProgressMs() into a log (a long training in CI or under nohup is not silent); Ctrl-C
 * stops training keeping the best weights.
 */
function fitControl(quiet: boolean): { control: FitControl; done: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nleadtime: stopping training after this batch, keeping the best weights so far (Ctrl-C again to quit)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY && !quiet;
  let logged = -Infinity;
  const spacing = logProgressMs();
  const toLog = (m: string) => {
    const now = performance.now();
    if (now - logged < spacing) return;
    logged = now;
    process.stderr.write(`leadtime: ${m}\n`);
  };
  return {
    control: {
      signal: controller.signal,
      onProgress: quiet ? undefined : tty ? (m) => process.stderr.write(`\r\x1b[K${m}`) : toLog,
    },
    done: () => {
      process.off('SIGINT', onSigint);
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Neural families print the TensorFlow.js backend they train on. */
async function announceBackend(families: string[], quiet: boolean): Promise<void> {
  const { rulFamily, selectBackend, wasmThreads } = await import('../../models/index.ts');
  if (quiet || !families.some((f) => rulFamily(f).fitAsync)) return;
  const backend = await selectBackend();
  process.stderr.write(
    `leadtime: TensorFlow.js backend ${backend}${backend === 'wasm' ? ` (threads: ${wasmThreads() ? 'yes' : 'no'})` : ''}\n`,
  );
}

/** Cycle-based predictions print as cycles; epoch-ms ones as dates and durations. */
function describePrediction(p: {
  t: number;
  rul: number;
  lower: number;
  upper: number;
  coverage: number;
}): string {
  const cov = `(${(100 * p.coverage).toFixed(0)}%)`;
  if (p.t < 1e11)
    return `cycle ${p.t}  RUL ${p.rul.toFixed(1)} cycles [${p.lower.toFixed(1)}, ${p.upper.toFixed(1)}] ${cov}`;
  return `at ${new Date(p.t).toISOString()}  RUL ${formatDuration(p.rul)} [${formatDuration(p.lower)}, ${formatDuration(p.upper)}] ${cov}`;
}
