import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleReason } from '../../bin/dist-stamp.js';
import { RandomStream } from '../../core/index.ts';
import {
  CalibratedModel,
  ModelRegistry,
  RUL_FAMILIES,
  rmse,
  truncateAtRandom,
  type NeuralOptions,
  type Trajectory,
} from '../../models/index.ts';
import { selectBackend } from '../../models/rul/neural/backend.ts';
import * as tf from '@tensorflow/tfjs';
import { Conv1DMatMul } from '../../models/rul/neural/conv1d-matmul.ts';
import { buildNetwork } from '../../models/rul/neural/architectures.ts';
import { fileIOHandler, setNetworkWeights } from '../../models/rul/neural/tfjs-files.ts';
import { predictFlat } from '../../models/rul/neural/train.ts';
import { trainMembers, type MemberJob } from '../../models/rul/neural/member-training.ts';
import type { NeuralState } from '../../models/rul/neural/neural-family.ts';

/**
 * Units whose sensors are known functions of the remaining life: a = exp(-RUL/30), b = RUL/100
 * (both with noise), c pure noise. A network on windows must learn RUL from them.
 */
function units(n: number, seed: number): Trajectory[] {
  const rng = new RandomStream(seed, 'neural-units');
  return Array.from({ length: n }, (_, u) => {
    const life = 80 + Math.floor(80 * rng.uniform());
    const t = Float64Array.from({ length: life }, (_, i) => i + 1);
    const rul = (i: number) => life - (i + 1);
    return {
      asset: `u${u}`,
      t,
      failureT: life,
      columns: {
        op: new Float64Array(life), // one operating regime
        a: Float64Array.from(t, (_, i) => Math.exp(-rul(i) / 30) + 0.02 * rng.normal()),
        b: Float64Array.from(t, (_, i) => rul(i) / 100 + 0.02 * rng.normal()),
        c: Float64Array.from(t, () => rng.normal()),
      },
    };
  });
}

const options: NeuralOptions = {
  settings: ['op'],
  channels: ['a', 'b', 'c'],
  seed: 3,
  cap: 125,
  window: 10,
  members: 2,
  epochs: 40,
  patience: 6,
  batchSize: 128,
  learningRate: 3e-3,
};

describe('windowed neural RUL networks (TensorFlow.js)', () => {
  const train = units(40, 1);
  const test = truncateAtRandom(units(20, 2), { minHistory: 10, cutsPerUnit: 3, seed: 5 });

  it('picks the WASM backend here (tfjs-node is not installed) and falls back to CPU when asked', async () => {
    expect(await selectBackend()).toBe('wasm');
    // the compiled module when dist/ is fresh (a tsx start costs 1-3 s of CPU), else the source
    const [loader, module] =
      staleReason() === null
        ? [[], './dist/models/rul/neural/backend.js']
        : [['--import', 'tsx'], './models/rul/neural/backend.ts'];
    const r = spawnSync(
      process.execPath,
      [...loader, '-e', `import('${module}').then(async (b) => console.log(await b.selectBackend()))`],
      {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
        env: { ...process.env, LEADTIME_TF_BACKEND: 'cpu' },
      },
    );
    expect(r.stdout.trim()).toBe('cpu');
  });

  it('the matrix-product convolution equals a direct same-padded 1-D convolution', () => {
    // 1 window, 5 steps, 2 channels; 1 filter of 3 taps with known weights, linear activation
    const layer = new Conv1DMatMul({
      filters: 1,
      kernelSize: 3,
      activation: 'linear',
      seed: 1,
      inputShape: [5, 2],
    });
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
        [9, 10],
      ],
    ]);
    layer.apply(x); // builds the weights
    // kernel rows: tap 0 (step t-1) ch0, ch1; tap 1 (step t) ch0, ch1; tap 2 (step t+1) ch0, ch1
    const w = [0.5, -1, 2, 0.25, -0.5, 1];
    layer.setWeights([tf.tensor2d(w, [6, 1]), tf.tensor1d([0.1])]);
    const y = Array.from((layer.apply(x) as tf.Tensor).dataSync());
    const input = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ];
    const at = (t: number, c: number) => (t < 0 || t > 4 ? 0 : input[t][c]);
    const direct = [0, 1, 2, 3, 4].map((t) =>
      [-1, 0, 1].reduce((s, d, j) => s + w[2 * j] * at(t + d, 0) + w[2 * j + 1] * at(t + d, 1), 0.1),
    );
    y.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 5));
  });

  it.each(['mlp-window', 'cnn-window'])(
    '%s learns the planted RUL relation, reloads identically, covers about its nominal share',
    async (family) => {
      // the deep CNN costs ~10x the MLP per epoch: one member and 4 epochs of batches of 32 (the
      // gradient steps of 16 epochs of 128, at a quarter of the cost) keep the test short; it still
      // learns the relation at about the same error (RMSE 0.205x the baseline's, against 0.20x with
      // 15 x 128); the MLP's 12 epochs of 64 reach 0.066x (40 of 128: the same), coverage 0.85
      const fitOptions: NeuralOptions =
        family === 'cnn-window'
          ? { ...options, members: 1, epochs: 4, batchSize: 32 }
          : { ...options, epochs: 12, batchSize: 64 };
      const model = await CalibratedModel.fitAny(RUL_FAMILIES[family], train, fitOptions);
      const preds = test.map((c) => model.predict(c.history));
      const truth = test.map((c) => Math.min(125, c.truth));
      const err = rmse(
        preds.map((p) => p.rul),
        truth,
      );
      const mean = truth.reduce((s, v) => s + v, 0) / truth.length;
      const baseline = rmse(
        truth.map(() => mean),
        truth,
      );
      expect(err).toBeLessThan(0.35 * baseline);
      const covered =
        preds.filter((p, i) => truth[i] >= p.lower && truth[i] <= p.upper).length / preds.length;
      expect(covered).toBeGreaterThan(0.7);
      // save and reload through the registry: identical predictions
      const registry = new ModelRegistry(mkdtempSync(join(tmpdir(), 'lt-nn-')));
      registry.save('nn', model, {
        parameters: options,
        features: { channels: options.channels, settings: options.settings },
        trainingData: { source: 'test', assets: 40, rows: 0, fingerprint: 'x' },
      });
      const { model: loaded } = registry.load('nn');
      for (const c of test.slice(0, 10)) expect(loaded.predict(c.history)).toEqual(model.predict(c.history));
      // each network is a TensorFlow.js layers model on disk: tfjs's own loader rebuilds it (topology
      // and weights) and it computes what our rebuild from the architecture computes
      const state = model.state.model as NeuralState;
      const folder = join(registry.root, 'nn', 'v1', 'net-1');
      expect(statSync(join(folder, 'weights.bin')).size).toBe(
        4 * state.members[0].specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0),
      );
      const byTfjs = await tf.loadLayersModel(fileIOHandler(folder));
      const ours = buildNetwork(state.arch, [state.window, state.sensors.length + 1], {
        seed: 99,
        dropout: state.dropout,
      });
      setNetworkWeights(ours, state.members[0]);
      const x = tf.randomNormal([8, state.window, state.sensors.length + 1], 0, 1, 'float32', 7);
      expect(Array.from(predictFlat(byTfjs, x))).toEqual(Array.from(predictFlat(ours, x)));
      // and tfjs's save goes through the same handler
      const again = join(folder, '..', 'resaved');
      await byTfjs.save(fileIOHandler(again));
      const reread = await tf.loadLayersModel(fileIOHandler(again));
      expect(Array.from(predictFlat(reread, x))).toEqual(Array.from(predictFlat(ours, x)));
      expect((model.state.model as { backend: string }).backend).toBe('wasm');
    },
  );

  it('members trained side by side on worker threads equal members trained in this thread', async () => {
    const backend = await selectBackend();
    const rng = new RandomStream(9, 'member-jobs');
    const data = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const jobs: MemberJob[] = [0, 1].map((member) => ({
      member,
      arch: 'mlp',
      shape: [5, 3],
      network: { seed: 10 + member, learningRate: 1e-2, l2: 0, dropout: 0.2 },
      backend,
      x: data(200 * 15),
      y: data(200),
      xVal: data(50 * 15),
      yVal: data(50),
      train: { epochs: 3, batchSize: 32, patience: 9 },
    }));
    const epochs: number[] = [];
    const onThreads = await trainMembers(jobs, { workers: 2, onEpoch: (m) => epochs.push(m) });
    const inProcess = await trainMembers(jobs, { workers: 1 });
    expect(epochs.sort()).toEqual([0, 0, 0, 1, 1, 1]);
    expect(onThreads.map((r) => r.member)).toEqual([0, 1]);
    for (const m of [0, 1]) {
      expect(onThreads[m].result.bestValRmse).toBe(inProcess[m].result.bestValRmse);
      expect(new Float32Array(onThreads[m].weights.data)).toEqual(
        new Float32Array(inProcess[m].weights.data),
      );
    }
    // the two members differ (their own seeds and data)
    expect(new Float32Array(onThreads[0].weights.data)).not.toEqual(
      new Float32Array(onThreads[1].weights.data),
    );
    // the stop signal reaches members running on workers: each ends with the weights it had
    const controller = new AbortController();
    const long = jobs.map((j) => ({ ...j, train: { ...j.train, epochs: 500, patience: 500 } }));
    let seen = 0;
    const stopped = await trainMembers(long, {
      workers: 2,
      signal: controller.signal,
      onEpoch: () => {
        if (++seen === 4) controller.abort();
      },
    });
    expect(stopped).toHaveLength(2);
    for (const r of stopped) {
      expect(r.result.stoppedBy).toBe('signal');
      expect(r.result.epochsRun).toBeLessThan(500);
    }
  });

  it('stops on the signal between batches and keeps the best weights so far', async () => {
    const controller = new AbortController();
    let epochs = 0;
    const oneLongMember: NeuralOptions = { ...options, members: 1, epochs: 50 };
    const model = await CalibratedModel.fitAny(
      RUL_FAMILIES['mlp-window'],
      train,
      oneLongMember,
      {},
      {
        signal: controller.signal,
        onProgress: () => {
          if (++epochs === 3) controller.abort();
        },
      },
    );
    const state = model.state.model as { training: { epochs: number[] } };
    expect(state.training.epochs).toEqual([3]);
    expect(Number.isFinite(model.predict(test[0].history).rul)).toBe(true);
  });

  it('leadtime train stops on Ctrl-C (SIGINT) and saves the best weights so far', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-sigint-'));
    const fd001 = join(import.meta.dirname, '../../../shared/data/cmapss/train_FD001.txt');
    const tenEngines = readFileSync(fd001, 'utf8')
      .split('\n')
      .filter((l) => Number(l.trim().split(/\s+/)[0]) <= 10);
    writeFileSync(join(dir, 'ten.txt'), tenEngines.join('\n') + '\n');
    const child = spawn(
      process.execPath,
      [
        join(import.meta.dirname, '../../bin/leadtime.js'),
        'train',
        '--in',
        join(dir, 'ten.txt'),
        '--model',
        'mlp-window',
        '--members',
        '2',
        '--epochs',
        '100000',
        '--json',
      ],
      // a progress line every 100 ms instead of every 5 s: the wait below ends as soon as every member
      // has an epoch behind it, rather than training both members for 5 s to print the second line
      { env: { ...process.env, LEADTIME_HOME: dir, LEADTIME_PROGRESS_LOG_MS: '100' } },
    );
    let stderr = '',
      stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // into a log (stderr is a pipe) the progress comes as plain lines, at most one per 100 ms here: press
    // Ctrl-C once every member has an epoch behind it (done, or running at epoch 1 or later)
    const everyMemberTrained = (line: string) => {
      const done = /members (\d+)\/2 done/.exec(line);
      const running = line.match(/#\d+ epoch [1-9]\d*\//g) ?? [];
      return done !== null && Number(done[1]) + running.length >= 2;
    };
    const ready = await new Promise<boolean>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.split('\n').some(everyMemberTrained)) resolve(true);
      });
      void exited.then(() => resolve(false));
    });
    expect(ready, `training ended before every member had trained an epoch:\n${stderr}`).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopping training after this batch, keeping the best weights so far');
    const manifest = JSON.parse(stdout);
    expect(manifest.name).toBe('mlp-window');
    const { model } = new ModelRegistry(join(dir, 'models')).load('mlp-window');
    const state = model.state.model as NeuralState;
    expect(state.members).toHaveLength(2);
    for (const e of state.training.epochs) {
      expect(e).toBeGreaterThan(0);
      expect(e).toBeLessThan(100000);
    }
  }, 60_000);
});
