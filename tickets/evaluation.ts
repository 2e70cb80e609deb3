/**
 * What the ticket policy reads: one evaluation of one asset at one time, a Prediction (as
 * `leadtime predict --json` writes it) optionally with the anomaly detector's score and threshold,
 * the indicators that drove it, and the fault mode it concerns. Validated with a TypeBox schema so a
 * bad record is named by its position and field while the rest of the batch goes on.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError, InputError, parseConfigText, validate } from '../core/index.ts';

export const EvaluationSchema = Type.Object(
  {
    asset: Type.String({ minLength: 1 }),
    /** time of the evaluated history's last row, in the asset's time unit */
    t: Type.Number(),
    /** wall-clock time of the evaluation (epoch ms or ISO); default: t for ms assets, now for cycles */
    at: Type.Optional(Type.Union([Type.Number(), Type.String({ format: 'date-time' })])),
    faultMode: Type.Optional(Type.String({ minLength: 1 })),
    /** "name@version" */
    model: Type.Optional(Type.String({ minLength: 1 })),
    rul: Type.Optional(Type.Number({ minimum: 0 })),
    lower: Type.Optional(Type.Number({ minimum: 0 })),
    upper: Type.Optional(Type.Number({ minimum: 0 })),
    coverage: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    /**
     * the RUL model's first predicting time as of this evaluation: null while the asset shows no
     * degradation yet (the RUL is then the fleet's remaining life at its age; the policy's
     * rulBeforeFpt decides whether it counts); absent when the model has no such time
     */
    firstPredictingT: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    /** null: not available (a NaN written as JSON) */
    healthIndex: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    /** the Prediction contract's bare anomaly score; without a threshold it is kept as evidence only */
    anomalyScore: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    anomaly: Type.Optional(
      Type.Object(
        {
          score: Type.Number(),
          threshold: Type.Number({ exclusiveMinimum: 0 }),
          detector: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    /** the indicators that drove the evaluation, largest first */
    indicators: Type.Optional(
      Type.Array(
        Type.Object({ channel: Type.String(), contribution: Type.Number() }, { additionalProperties: false }),
      ),
    ),
    timeUnit: Type.Optional(Type.Union([Type.Literal('ms'), Type.Literal('cycle')])),
    /** hours per cycle for a cycle-based asset (else the policy's cycleHours) */
    cycleHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type Evaluation = Static<typeof EvaluationSchema>;

export interface EvaluationBatch {
  evaluations: Evaluation[];
  /** where each evaluation came from, e.g. `preds.json[3]` or `preds.ndjson:4` */
  positions: string[];
  /** records that failed validation: their position and why, naming the field */
  rejected: { position: string; reason: string }[];
}

/** Defaults for records that do not say: e.g. `leadtime predict --json` on C-MAPSS data is in cycles. */
export interface EvaluationDefaults {
  timeUnit?: 'ms' | 'cycle';
  cycleHours?: number;
  faultMode?: string;
}

/** Parses a JSON array, a single object, or NDJSON of evaluations; invalid records are set aside. */
export function parseEvaluations(
  text: string,
  source: string,
  defaults: EvaluationDefaults = {},
): EvaluationBatch {
  let records: { value: unknown; position: string }[];
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n{'))) {
    const { value } = parseConfigText(trimmed, source);
    const list = Array.isArray(value) ? value : [value];
    records = list.map((v, i) => ({ value: v, position: `${source}[${i}]` }));
  } else {
    records = [];
    trimmed.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        records.push({ value: JSON.parse(line), position: `${source}:${i + 1}` });
      } catch (err) {
        records.push({
          value: Symbol.for('bad'),
          position: `${source}:${i + 1} (${(err as Error).message})`,
        });
      }
    });
  }
  const out: EvaluationBatch = { evaluations: [], positions: [], rejected: [] };
  for (const r of records) {
    if (typeof r.value === 'symbol') {
      out.rejected.push({ position: r.position, reason: 'not valid JSON' });
      continue;
    }
    try {
      const e = validate(EvaluationSchema, r.value, r.position);
      out.evaluations.push({
        ...e,
        ...(e.timeUnit === undefined && defaults.timeUnit ? { timeUnit: defaults.timeUnit } : {}),
        ...(e.cycleHours === undefined && defaults.cycleHours ? { cycleHours: defaults.cycleHours } : {}),
        ...(e.faultMode === undefined && defaults.faultMode ? { faultMode: defaults.faultMode } : {}),
      });
      out.positions.push(r.position);
    } catch (err) {
      if (err instanceof ConfigError)
        out.rejected.push({
          position: r.position,
          reason: err.problems
            .map(
              (p) =>
                `${p.field || '(record)'}: expected ${p.expected}${p.got === undefined ? '' : `, got ${JSON.stringify(p.got)}`}`,
            )
            .join('; '),
        });
      else if (err instanceof InputError) out.rejected.push({ position: r.position, reason: err.message });
      else throw err;
    }
  }
  return out;
}
