/**
 * The condition-indicator columns, in the order of the reference `numpy_features.py`:
 * 8 time-domain indicators, 16 spectral band energies, the spectral centroid, then one envelope
 * amplitude per defect frequency.
 */
export const TIME_DOMAIN_COLUMNS = [
  'rms',
  'peak',
  'p2p',
  'crest',
  'kurtosis',
  'skewness',
  'shape',
  'impulse',
] as const;
export const BAND_COUNT = 16;
export const BAND_COLUMNS: readonly string[] = Array.from(
  { length: BAND_COUNT },
  (_, k) => `band${String(k).padStart(2, '0')}`,
);
export const SPECTRAL_COLUMNS: readonly string[] = [...BAND_COLUMNS, 'centroid'];

/** A frequency at which the envelope spectrum is read, with the column suffix it is reported under. */
export interface DefectFrequency {
  /** column name suffix: `f0`, `f1`, ... on the command line; `bpfo`, `bpfi`, `bsf`, `ftf` from geometry */
  name: string;
  hz: number;
}

export function featureColumns(defects: readonly DefectFrequency[]): string[] {
  return [...TIME_DOMAIN_COLUMNS, ...SPECTRAL_COLUMNS, ...defects.map((d) => `env_${d.name}`)];
}

/** `--defects 87.3,130.1` -> env_f0, env_f1 (the reference script's names). */
export function numberedDefects(hz: readonly number[]): DefectFrequency[] {
  return hz.map((f, k) => ({ name: `f${k}`, hz: f }));
}
