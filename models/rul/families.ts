/** The RUL model families by name. */
import { exponentialDegradation, linearDegradation } from './degradation.ts';
import { fptExponential } from './fpt-exponential.ts';
import type { RulFamily } from './model.ts';
import type { RulFamilyName } from './family-names.ts';
import { similarity } from './similarity.ts';
import { weibull } from './weibull-survival.ts';
import { cnnWindow, mlpWindow } from './neural/neural-family.ts';
import { gbtWindow } from './gbt/gbt-family.ts';

export const RUL_FAMILIES: Record<string, RulFamily<never>> = {
  similarity: similarity as RulFamily<never>,
  'exponential-degradation': exponentialDegradation as RulFamily<never>,
  'linear-degradation': linearDegradation as RulFamily<never>,
  weibull: weibull as RulFamily<never>,
  // the bearing fleet's model (fleetRulModel); registered so a saved fleet model reloads
  'fpt-exponential': fptExponential as RulFamily<never>,
  'mlp-window': mlpWindow as RulFamily<never>,
  'cnn-window': cnnWindow as RulFamily<never>,
  'gbt-window': gbtWindow as RulFamily<never>,
} satisfies Record<RulFamilyName, RulFamily<never>>;

export function rulFamily(name: string): RulFamily<never> {
  const f = RUL_FAMILIES[name];
  if (!f) throw new Error(`unknown model "${name}": expected one of ${Object.keys(RUL_FAMILIES).join(', ')}`);
  return f;
}
