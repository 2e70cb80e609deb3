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
/** conformal scores as quantiles: an empty list would calibrate nothing */
const Scores = Type.Array(Num, { minItems: 1 });
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
  below: Scores,
  above: Scores,
  scoresPerAsset: Type.Number({ minimum: 0 }),
  heldOutAssets: Type.Integer({ minimum: 0 }),
  bins: Type.Optional(
    // a bin may hold no scores (no design asset lived that many rows past its FPT)
    Type.Array(Obj({ from: Type.Integer({ minimum: 0 }), below: Nums, above: Nums, cases: Num })),
  ),
  rowInterval: Type.Number({ exclusiveMinimum: 0 }),
});

const DesignPriorFile = Obj({ format: Type.Literal(DESIGN_PRIOR_FORMAT), prior: DesignPriorSchema });

// the schema and the model's type must describe the same object
const _sameShape: (p: Static<typeof DesignPriorSchema>) => FptDesignPrior = (p) => p;
const _sameShapeBack: (p: FittedPrior) => Static<typeof DesignPriorSchema> = (p) => p;
void _sameShape;
void _sameShapeBack;

/** A prior as fitDesignPrior returns it (older model states may lack the row interval; a file never does). */
type FittedPrior = FptDesignPrior & { rowInterval: number };

export function writeDesignPrior(file: string, prior: FptDesignPrior): void {
  if (prior.rowInterval === undefined)
    throw new InputError(`${file}: the design prior has no row interval (fit it again with this version)`);
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
  const { prior } = validate(DesignPriorFile, parsed, file);
  // the fused index has one scale and one weight per input: shorter lists would predict nothing
  const { channels, scale, weights } = prior.index;
  for (const [field, list] of [
    ['prior.index.scale', scale],
    ['prior.index.weights', weights],
  ] as const)
    if (list.length !== channels.length)
      throw new InputError(
        `${file}: ${field}: expected one value per index channel (${channels.length}), got ${list.length}`,
      );
  return prior;
}
