/**
 * A 1-D convolution layer for inputs already unfolded into patches ([batch, patches, kernel x
 * channels], see windows.ts `unfold`), computed as ONE matrix product: the patches of the whole
 * batch are stacked into a [batch x patches, kernel x channels] matrix and multiplied by the
 * [kernel x channels, filters] kernel. The WASM backend has no conv1d/conv2d gradient kernels, and a
 * dense layer on a rank-3 input is much slower there than this 2-D product.
 */
import * as tf from '@tensorflow/tfjs';

export class UnfoldedConv1D extends tf.layers.Layer {
  static className = 'UnfoldedConv1D';
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(
    private readonly filters: number,
    private readonly seed: number,
    config?: { inputShape?: number[] },
  ) {
    super(config ?? {});
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as number[];
    const patchSize = shape[shape.length - 1];
    this.kernel = this.addWeight(
      'kernel',
      [patchSize, this.filters],
      'float32',
      tf.initializers.glorotUniform({ seed: this.seed }),
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as number[];
    return [shape[0], shape[1] * this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [batch, patches, patchSize] = x.shape as number[];
      const flat = tf.reshape(x, [batch * patches, patchSize]);
      const y = tf.relu(tf.add(tf.matMul(flat, this.kernel.read()), this.bias.read()));
      // feature maps of a window side by side, as the dense head expects
      return tf.reshape(y, [batch, patches * this.filters]);
    });
  }
}
