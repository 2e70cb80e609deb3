/**
 * The training loop: seeded mini-batch shuffling (tfjs's own shuffle uses Math.random), Adam,
 * early stopping on the validation RMSE with the best weights kept, progress after every epoch
 * (loss, validation RMSE, seconds, time left), and a stop signal (Ctrl-C) that ends training
 * between batches keeping the best weights so far.
 */
import * as tf from '@tensorflow/tfjs';
import { RandomStream } from '../../../core/index.ts';

export interface EpochInfo {
  epoch: number;
  epochs: number;
  loss: number;
  valRmse: number;
  bestValRmse: number;
  seconds: number;
  /** estimated seconds left at the current pace, if training runs all epochs */
  etaSeconds: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** epochs without validation improvement before stopping */
  patience: number;
  seed: number;
  signal?: AbortSignal;
  onEpoch?: (info: EpochInfo) => void;
}

export interface TrainResult {
  epochsRun: number;
  bestEpoch: number;
  bestValRmse: number;
  stoppedBy: 'epochs' | 'early-stopping' | 'signal';
  seconds: number;
}

/** Shapes: x [n, ...inputShape] as a flat Float32Array. */
export async function trainNetwork(
  model: tf.LayersModel,
  x: Float32Array,
  y: Float32Array,
  inputShape: number[],
  xVal: Float32Array,
  yVal: Float32Array,
  o: TrainOptions,
): Promise<TrainResult> {
  const per = inputShape.reduce((a, b) => a * b, 1);
  const n = y.length;
  const rng = new RandomStream(o.seed, 'neural/shuffle');
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const xb = new Float32Array(o.batchSize * per);
  const yb = new Float32Array(o.batchSize);
  const valX = tf.tensor(xVal, [yVal.length, ...inputShape]);
  let best = Infinity,
    bestEpoch = 0,
    bestWeights: tf.Tensor[] | null = null,
    stoppedBy: TrainResult['stoppedBy'] = 'epochs',
    completed = 0;
  const t0 = performance.now();
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      let lossSum = 0,
        batches = 0;
      for (let start = 0; start < n; start += o.batchSize) {
        if (o.signal?.aborted) break;
        const m = Math.min(o.batchSize, n - start);
        for (let b = 0; b < m; b++) {
          const idx = order[start + b];
          xb.set(x.subarray(idx * per, (idx + 1) * per), b * per);
          yb[b] = y[idx];
        }
        const bx = tf.tensor(xb.subarray(0, m * per), [m, ...inputShape]);
        const by = tf.tensor(yb.subarray(0, m), [m, 1]);
        lossSum += (await model.trainOnBatch(bx, by)) as number;
        batches++;
        bx.dispose();
        by.dispose();
        // on the WASM and CPU backends trainOnBatch settles in microtasks; without this yield a
        // SIGINT (Ctrl-C) or a worker's stop message would wait for the whole fit to finish
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (o.signal?.aborted) {
        stoppedBy = 'signal';
        break;
      }
      completed = epoch;
      const valRmse = rmseOf(model, valX, yVal);
      if (valRmse < best) {
        best = valRmse;
        bestEpoch = epoch;
        bestWeights?.forEach((w) => w.dispose());
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      const seconds = (performance.now() - t0) / 1000;
      o.onEpoch?.({
        epoch,
        epochs: o.epochs,
        loss: lossSum / Math.max(1, batches),
        valRmse,
        bestValRmse: best,
        seconds,
        etaSeconds: (seconds / epoch) * (o.epochs - epoch),
      });
      if (epoch - bestEpoch >= o.patience) {
        stoppedBy = 'early-stopping';
        break;
      }
    }
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    bestWeights?.forEach((w) => w.dispose());
    valX.dispose();
  }
  return {
    epochsRun: completed,
    bestEpoch,
    bestValRmse: best,
    stoppedBy,
    seconds: (performance.now() - t0) / 1000,
  };
}

export function predictFlat(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

function rmseOf(model: tf.LayersModel, x: tf.Tensor, y: Float32Array): number {
  const p = predictFlat(model, x);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}
