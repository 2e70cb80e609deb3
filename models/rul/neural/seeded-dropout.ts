/**
 * Dropout (Srivastava et al., JMLR 15, 2014) with a fresh mask every training batch drawn from a
 * seeded stream, so a fit is reproducible. tfjs's own `tf.layers.dropout({ seed })` passes the same
 * seed to every call and so draws the same masks every batch; without a seed it uses Math.random.
 * At inference the layer is the identity.
 */
import * as tf from '@tensorflow/tfjs';
import { RandomStream } from '../../../core/index.ts';

export interface SeededDropoutConfig {
  rate: number;
  seed: number;
  name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  private readonly rate: number;
  private readonly seed: number;
  private readonly stream: RandomStream;

  constructor(config: SeededDropoutConfig) {
    super(config);
    this.rate = config.rate;
    this.seed = config.seed;
    this.stream = new RandomStream(config.seed, 'dropout');
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    return tf.dropout(x, this.rate, undefined, this.stream.int(2 ** 31));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);
