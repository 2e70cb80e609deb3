/**
 * A 1-D convolution ('same' padding) computed as one matrix product over windows unfolded inside
 * the graph: the k time-shifted copies of the zero-padded input are concatenated along the channel
 * axis (im2col), giving [batch x time, k x channels], which is multiplied by the
 * [k x channels, filters] kernel. Every op used (pad, slice, concat, reshape, matMul) has gradients
 * on the WASM backend, which has none for conv1d/conv2d.
 */
import * as tf from '@tensorflow/tfjs';

export type Activation = 'tanh' | 'relu' | 'linear';

export interface Conv1DMatMulConfig {
  filters: number;
  kernelSize: number;
  activation: Activation;
  /** seed of the kernel's Glorot initialiser */
  seed: number;
  inputShape?: number[];
  name?: string;
}

export class Conv1DMatMul extends tf.layers.Layer {
  static className = 'Conv1DMatMul';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly activation: Activation;
  private readonly seed: number;
  private kernelWeights!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  /** One config object, as tfjs deserialisation (`new cls(config)`) calls it. */
  constructor(config: Conv1DMatMulConfig) {
    super(config);
    this.filters = config.filters;
    this.kernelSize = config.kernelSize;
    this.activation = config.activation;
    this.seed = config.seed;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      activation: this.activation,
      seed: this.seed,
    };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const channels = (inputShape as number[])[2];
    this.kernelWeights = this.addWeight(
      'kernel',
      [this.kernelSize * channels, this.filters],
      'float32',
      tf.initializers.glorotUniform({ seed: this.seed }),
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as number[];
    return [s[0], s[1], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, time, channels] = x.shape;
      const k = this.kernelSize;
      const before = Math.floor((k - 1) / 2);
      const padded = tf.pad(x, [
        [0, 0],
        [before, k - 1 - before],
        [0, 0],
      ]);
      // tap j of output step t reads input step t + j - before
      const taps = Array.from({ length: k }, (_, j) => tf.slice(padded, [0, j, 0], [batch, time, channels]));
      const cols = tf.reshape(tf.concat(taps, 2), [batch * time, k * channels]);
      let y = tf.add(tf.matMul(cols, this.kernelWeights.read()), this.bias.read());
      if (this.activation === 'tanh') y = tf.tanh(y);
      else if (this.activation === 'relu') y = tf.relu(y);
      return tf.reshape(y, [batch, time, this.filters]);
    });
  }
}

// saved topologies name the layer by its class: register it so tf.loadLayersModel can rebuild it
tf.serialization.registerClass(Conv1DMatMul);
