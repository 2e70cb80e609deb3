/** The RUL family names, for the CLI's help without loading the models (families.ts must have exactly these). */
export const RUL_FAMILY_NAMES = [
  'similarity',
  'exponential-degradation',
  'linear-degradation',
  'weibull',
  'fpt-exponential',
  'mlp-window',
  'cnn-window',
  'gbt-window',
] as const;

export type RulFamilyName = (typeof RUL_FAMILY_NAMES)[number];
