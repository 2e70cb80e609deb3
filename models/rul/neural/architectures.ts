/**
 * The windowed RUL networks. Every initialiser takes an explicit seed so a fit is reproducible.
 *   mlp:  flatten(window) -> dense 100 relu -> dense 50 relu -> dense 1
 *   cnn:  the deep CNN of Li, Ding & Sun, "Remaining useful life estimation in prognostics using
 *         deep convolution neural networks", RESS 172 (2018): four 1-D convolutions of 10 filters
 *         with 10 taps (tanh, 'same'), one of 1 filter with 3 taps, flatten, dense 100 tanh,
 *         dense 1; each convolution as a matrix product over in-graph unfolded windows
 *         (conv1d-matmul.ts).
 * Dropout (`dropout` > 0) follows each hidden dense layer of the MLP, and the flattened features
 * of the CNN (where Li et al. put theirs, at 0.5); its masks come from a seeded stream
 * (seeded-dropout.ts) so a fit stays reproducible.
 */
import * as tf from '@tensorflow/tfjs';
import { Conv1DMatMul } from './conv1d-matmul.ts';
import { SeededDropout } from './seeded-dropout.ts';

export type Architecture = 'mlp' | 'cnn';

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

export interface NetworkOptions {
  seed: number;
  learningRate?: number;
  /** L2 penalty on the hidden dense kernels */
  l2?: number;
  /** dropout rate after hidden dense layers (MLP) or before the dense layer (CNN) */
  dropout?: number;
}

/** inputShape = [window, channels] */
export function buildNetwork(arch: Architecture, inputShape: number[], o: NetworkOptions): tf.LayersModel {
  const { seed, learningRate = 1e-3, l2 = 0, dropout = 0 } = o;
  const drop = (s: number) => {
    if (dropout > 0) model.add(new SeededDropout({ rate: dropout, seed: s }));
  };
  const model = tf.sequential();
  const kernelRegularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  if (arch === 'mlp') {
    model.add(tf.layers.flatten({ inputShape }));
    model.add(
      tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: init(seed), kernelRegularizer }),
    );
    drop(seed + 10);
    model.add(
      tf.layers.dense({
        units: 50,
        activation: 'relu',
        kernelInitializer: init(seed + 1),
        kernelRegularizer,
      }),
    );
    drop(seed + 11);
    model.add(tf.layers.dense({ units: 1, kernelInitializer: init(seed + 2) }));
  } else {
    model.add(new Conv1DMatMul({ filters: 10, kernelSize: 10, activation: 'tanh', seed, inputShape }));
    for (let i = 1; i < 4; i++)
      model.add(new Conv1DMatMul({ filters: 10, kernelSize: 10, activation: 'tanh', seed: seed + i }));
    model.add(new Conv1DMatMul({ filters: 1, kernelSize: 3, activation: 'tanh', seed: seed + 4 }));
    model.add(tf.layers.flatten());
    drop(seed + 10);
    model.add(tf.layers.dense({ units: 100, activation: 'tanh', kernelInitializer: init(seed + 5) }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: init(seed + 6) }));
  }
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return model;
}
