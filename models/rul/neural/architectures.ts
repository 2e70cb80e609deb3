/**
 * The windowed RUL networks. Every initialiser takes an explicit seed so a fit is reproducible.
 *   mlp:  flatten(window) -> dense 100 relu -> dense 50 relu -> dense 1
 *   cnn:  the deep CNN of Li, Ding & Sun, "Remaining useful life estimation in prognostics using
 *         deep convolution neural networks", RESS 172 (2018): four 1-D convolutions of 10 filters
 *         with 10 taps (tanh, 'same'), one of 1 filter with 3 taps, flatten, dense 100 tanh,
 *         dense 1; each convolution as a matrix product over in-graph unfolded windows
 *         (conv1d-matmul.ts). Li et al. also use dropout 0.5 before the dense layer; it is left out
 *         so that a fit stays reproducible from its seed.
 */
import * as tf from '@tensorflow/tfjs';
import { Conv1DMatMul } from './conv1d-matmul.ts';

export type Architecture = 'mlp' | 'cnn';

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** inputShape = [window, channels] */
export function buildNetwork(
  arch: Architecture,
  inputShape: number[],
  seed: number,
  learningRate = 1e-3,
  l2 = 0,
): tf.LayersModel {
  const model = tf.sequential();
  const kernelRegularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  if (arch === 'mlp') {
    model.add(tf.layers.flatten({ inputShape }));
    model.add(
      tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: init(seed), kernelRegularizer }),
    );
    model.add(
      tf.layers.dense({
        units: 50,
        activation: 'relu',
        kernelInitializer: init(seed + 1),
        kernelRegularizer,
      }),
    );
    model.add(tf.layers.dense({ units: 1, kernelInitializer: init(seed + 2) }));
  } else {
    model.add(new Conv1DMatMul({ filters: 10, kernelSize: 10, activation: 'tanh', seed, inputShape }));
    for (let i = 1; i < 4; i++)
      model.add(new Conv1DMatMul({ filters: 10, kernelSize: 10, activation: 'tanh', seed: seed + i }));
    model.add(new Conv1DMatMul({ filters: 1, kernelSize: 3, activation: 'tanh', seed: seed + 4 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 100, activation: 'tanh', kernelInitializer: init(seed + 5) }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: init(seed + 6) }));
  }
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return model;
}
