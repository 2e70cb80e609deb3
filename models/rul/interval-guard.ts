/**
 * Every RUL prediction states its uncertainty: an interval of zero width (lower == upper) claims
 * certainty no model has, and on the bearing fleet it was the symptom of a collapsed model (a
 * similarity library matching one unit at its end of life). The guard turns it into an error that
 * names the asset, the time and the model.
 */
import type { Prediction } from './model.ts';

export function assertIntervalWidth<
  P extends Pick<Prediction, 'asset' | 't' | 'model' | 'rul' | 'lower' | 'upper'>,
>(p: P): P {
  if (!(p.upper > p.lower) || !(p.lower <= p.rul && p.rul <= p.upper))
    throw new Error(
      `asset ${p.asset} at t=${p.t}: ${p.model} RUL ${p.rul} has the interval [${p.lower}, ${p.upper}]; an interval of zero width (or one that misses its own estimate) is a defect`,
    );
  return p;
}
