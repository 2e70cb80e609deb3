/**
 * The windowed RUL networks. Every initialiser takes an explicit seed so a fit is reproducible.
 *   mlp:  flatten(window) -> dense 100 relu -> dense 50 relu -> dense 1
 *   cnn:  unfolded patches -> 1-D convolution as one matrix product (16 filters of `kernel` taps
 *         over all channels, relu; see unfolded-conv1d.ts) -> dense 64 relu -> dense 1
 *         (after Babu et al. 2016)
 */
import * as tf from '@tensorflow/tfjs';
import { UnfoldedConv1D } from './unfolded-conv1d.ts';

export type Architecture = 'mlp' | 'cnn';

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

export function buildNetwork(
  arch: Architecture,
  inputShape: number[],
  seed: number,
  learningRate = 1e-3,
): tf.LayersModel {
  const model = tf.sequential();
  if (arch === 'mlp') {
    model.add(tf.layers.flatten({ inputShape }));
    model.add(tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: init(seed) }));
    model.add(tf.layers.dense({ units: 50, activation: 'relu', kernelInitializer: init(seed + 1) }));
  } else {
    // inputShape = [patches, kernel * channels]
    model.add(new UnfoldedConv1D(16, seed, { inputShape }));
    model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(seed + 1) }));
  }
  model.add(tf.layers.dense({ units: 1, kernelInitializer: init(seed + 2) }));
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return model;
}
