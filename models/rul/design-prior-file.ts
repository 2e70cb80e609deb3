/**
 * A design prior as a file: what `leadtime demo` writes beside its fleet and `leadtime serve
 * --design-prior` (or the server config's `designPrior`) reads, so the server's fleet health and
 * ticket opening start the RUL model from the same bearing type's failures as the demo's backtest
 * and ticket walk. JSON with a format tag; read back through a schema, so a damaged or foreign file
 * is refused naming the field instead of predicting from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { InputError, validate } from '../../core/index.ts';
import type { FptDesignPrior } from './fpt-exponential.ts';

export const DESIGN_PRIOR_FORMAT = 'leadtime/fpt-design-prior@1';

const Num = Type.Number();
const Nums = Type.Array(Num);
const Obj = <T extends Parameters<typeof Type.Object>[0]>(p: T) =>
  Type.Object(p, { additionalProperties: false });

const DesignPriorSchema = Obj({
  source: Type.String(),
  index: Obj({
    channels: Type.Array(Type.String(), { minItems: 1 }),
    groups: Type.Optional(
      Type.Array(Obj({ name: Type.String(), members: Type.Array(Type.String()), scales: Nums })),
    ),
    baselineRows: Type.Integer({ minimum: 1 }),
    scale: Nums,
    weights: Nums,
    noiseSd: Num,
  }),
  fptLevel: Num,
  hysteresis: Type.Integer({ minimum: 1 }),
  noise: Obj({ rowVar: Num, multVar: Num, offsetVar: Num }),
  timeScale: Type.Number({ exclusiveMinimum: 0 }),
  assets: Type.Array(Obj({ slope: Num, end: Num, span: Num, ageAtFpt: Num, fptToFailure: Num }), {
    minItems: 1,
  }),
  below: Nums,
  above: Nums,
  scoresPerAsset: Type.Number({ minimum: 0 }),
  heldOutAssets: Type.Integer({ minimum: 0 }),
  bins: Type.Optional(
    Type.Array(Obj({ from: Type.Integer({ minimum: 0 }), below: Nums, above: Nums, cases: Num })),
  ),
});

const DesignPriorFile = Obj({ format: Type.Literal(DESIGN_PRIOR_FORMAT), prior: DesignPriorSchema });

// the schema and the model's type must describe the same object
const _sameShape: (p: Static<typeof DesignPriorSchema>) => FptDesignPrior = (p) => p;
const _sameShapeBack: (p: FptDesignPrior) => Static<typeof DesignPriorSchema> = (p) => p;
void _sameShape;
void _sameShapeBack;

export function writeDesignPrior(file: string, prior: FptDesignPrior): void {
  writeFileSync(file, JSON.stringify({ format: DESIGN_PRIOR_FORMAT, prior }) + '\n');
}

/** Reads a design-prior file; a file that is not one is refused, naming the file and the field. */
export function readDesignPrior(file: string): FptDesignPrior {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: cannot read the design prior: ${(err as Error).message}`);
  }
  return validate(DesignPriorFile, parsed, file).prior;
}
