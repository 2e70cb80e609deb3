/**
 * Windowed neural RUL networks (MLP or deep 1-D CNN) behind the RUL model interface.
 *
 * Fit: per-regime normalisation of the sensors (constant ones dropped), windows of `window` cycles
 * with the piecewise-linear target (cap 125), engines split into training and validation (early
 * stopping), an ensemble of `members` networks that differ only in their seeds. Predict: the
 * ensemble mean; the interval is the ensemble spread scaled by split-conformal calibration on the
 * validation engines truncated at random (as the test set is), to the stated coverage.
 */
import * as tf from '@tensorflow/tfjs';
import { RandomStream } from '../../../core/index.ts';
import type { Trajectory } from '../../data/trajectory.ts';
import { RegimeNormalizer, type RegimeNormalizerState } from '../../features/regime-normalizer.ts';
import { normalisedScore } from '../calibrated-model.ts';
import { quantile, type FitControl, type RulFamily, type RulModel, type RulModelOptions } from '../model.ts';
import { truncateAtRandom } from '../truncation.ts';
import { buildNetwork, type Architecture } from './architectures.ts';
import { selectBackend, type BackendName } from './backend.ts';
import { predictFlat, saveWeights, loadWeights, trainNetwork, type SavedTensor } from './train.ts';
import { lastWindows, trainingWindows, type WindowSet } from './windows.ts';

export interface NeuralOptions extends RulModelOptions {
  window?: number;
  members?: number;
  epochs?: number;
  batchSize?: number;
  patience?: number;
  learningRate?: number;
  validationFraction?: number;
}

export interface NeuralState {
  arch: Architecture;
  normalizer: RegimeNormalizerState;
  sensors: string[];
  window: number;
  cap: number;
  coverage: number;
  seed: number;
  learningRate: number;
  members: SavedTensor[][];
  intervalScale: number;
  backend: BackendName;
  training: {
    seconds: number;
    epochs: number[];
    bestValRmse: number[];
    windows: number;
    validationEngines: string[];
  };
}

/** Windows in the networks' input layout, [window, channels]. */
function inputs(set: WindowSet): { x: Float32Array; shape: number[] } {
  return { x: set.x, shape: [set.length, set.channels] };
}

class NeuralModel implements RulModel {
  readonly family: string;
  private readonly nets: tf.LayersModel[];
  private readonly normalizer: RegimeNormalizer;
  constructor(readonly state: NeuralState) {
    this.family = `${state.arch}-window`;
    this.normalizer = new RegimeNormalizer(state.normalizer);
    const shape = [state.window, state.sensors.length];
    this.nets = state.members.map((w, i) => {
      const net = buildNetwork(state.arch, shape, state.seed + 100 * i, state.learningRate);
      loadWeights(net, w);
      return net;
    });
  }

  /** Ensemble mean and spread at the last row of each history, in one batch per member. */
  predictMany(histories: Trajectory[]): { mean: number; sd: number }[] {
    const { sensors, window, cap } = this.state;
    const set = lastWindows(
      histories.map((h) => this.normalizer.transform(h)),
      sensors,
      window,
    );
    const { x, shape } = inputs(set);
    const xt = tf.tensor(x, [set.n, ...shape]);
    const preds = this.nets.map((net) => predictFlat(net, xt));
    xt.dispose();
    return histories.map((_, i) => {
      const v = preds.map((p) => Math.min(cap, Math.max(0, p[i])));
      const mean = v.reduce((s, a) => s + a, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / Math.max(1, v.length - 1));
      return { mean, sd };
    });
  }

  predictRaw(history: Trajectory) {
    return rawInterval(this.predictMany([history])[0], this.state.intervalScale, this.state.coverage);
  }
}

/** The ensemble's interval before calibration: mean +- z sd (sd floored at 1 cycle), scaled. */
function rawInterval(p: { mean: number; sd: number }, scale: number, coverage: number) {
  const z = 1.6448536269514722 * (coverage / 0.9); // the 90% normal quantile, stretched with the target
  const half = z * Math.max(p.sd, 1) * scale;
  return { rul: p.mean, lower: Math.max(0, p.mean - half), upper: p.mean + half };
}

function neuralFamily(arch: Architecture): RulFamily<NeuralState> {
  return {
    family: `${arch}-window`,
    description:
      arch === 'mlp'
        ? 'ensemble of MLPs on sliding sensor windows (TensorFlow.js)'
        : 'ensemble of deep 1-D CNNs (Li et al. 2018) on sliding sensor windows, convolutions as matrix products over unfolded windows (TensorFlow.js)',
    async fitAsync(train: Trajectory[], o: NeuralOptions, control: FitControl = {}): Promise<RulModel> {
      const backend = await selectBackend();
      const seed = o.seed ?? 1;
      const cap = o.cap ?? 125;
      const window = o.window ?? 30;
      const coverage = o.coverage ?? 0.9;
      const learningRate = o.learningRate ?? 1e-3;
      const normalizer = RegimeNormalizer.fit(train, o.settings, o.channels, undefined, seed);
      const sensors = o.channels.filter((_, j) => normalizer.state.sd.every((r) => r[j] > 0));
      // a seeded engine split: validation engines drive early stopping and interval calibration
      const rng = new RandomStream(seed, 'neural/split');
      const shuffled = train
        .map((t) => ({ t, k: rng.uniform() }))
        .sort((a, b) => a.k - b.k)
        .map((e) => e.t);
      const nVal = Math.max(1, Math.round(train.length * (o.validationFraction ?? 0.2)));
      const val = shuffled.slice(0, nVal);
      const fitSet = shuffled.slice(nVal);
      const norm = (ts: Trajectory[]) => ts.map((t) => normalizer.transform(t));
      const trainSet = trainingWindows(norm(fitSet), sensors, window, cap);
      const valSet = trainingWindows(norm(val), sensors, window, cap);
      const tIn = inputs(trainSet);
      const vIn = inputs(valSet);
      const members: SavedTensor[][] = [];
      const epochsRun: number[] = [];
      const bestVal: number[] = [];
      const t0 = performance.now();
      const count = o.members ?? 5;
      for (let m = 0; m < count && !control.signal?.aborted; m++) {
        const net = buildNetwork(arch, tIn.shape, seed + 100 * m, learningRate);
        const r = await trainNetwork(net, tIn.x, trainSet.y, tIn.shape, vIn.x, valSet.y, {
          epochs: o.epochs ?? 60,
          batchSize: o.batchSize ?? 256,
          patience: o.patience ?? 8,
          seed: seed + 100 * m,
          signal: control.signal,
          onEpoch: (e) =>
            control.onProgress?.(
              `${arch} member ${m + 1}/${count} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(1)} val RMSE ${e.valRmse.toFixed(2)} (best ${e.bestValRmse.toFixed(2)}) ${e.seconds.toFixed(0)} s, <= ${e.etaSeconds.toFixed(0)} s left`,
            ),
        });
        if (Number.isFinite(r.bestValRmse)) {
          members.push(saveWeights(net));
          epochsRun.push(r.epochsRun);
          bestVal.push(r.bestValRmse);
        }
        net.dispose();
      }
      if (members.length === 0) throw new Error(`${arch}: training stopped before the first epoch finished`);
      const state: NeuralState = {
        arch,
        normalizer: normalizer.state,
        sensors,
        window,
        cap,
        coverage,
        seed,
        learningRate,
        members,
        intervalScale: 1,
        backend,
        training: {
          seconds: (performance.now() - t0) / 1000,
          epochs: epochsRun,
          bestValRmse: bestVal,
          windows: trainSet.n,
          validationEngines: val.map((v) => v.asset),
        },
      };
      const model = new NeuralModel(state);
      // split-conformal: scale the raw interval to cover the validation engines' truncated truths
      const cases = truncateAtRandom(val, { seed: seed + 17, cutsPerUnit: 5 });
      const preds = model.predictMany(cases.map((c) => c.history));
      const scores = cases.map((c, i) => normalisedScore(rawInterval(preds[i], 1, coverage), c.truth));
      const level = Math.min(1, Math.ceil((scores.length + 1) * coverage) / Math.max(1, scores.length));
      state.intervalScale = scores.length ? quantile(scores, level) : 1;
      return model;
    },
    load: (state) => new NeuralModel(state),
  };
}

export const mlpWindow = neuralFamily('mlp');
export const cnnWindow = neuralFamily('cnn');
