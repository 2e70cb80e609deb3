/**
 * Distributions written in config files, e.g. `{ exponential: { mean: 1h } }`, `{ fixed: 30m }`,
 * `{ weibull: { shape: 1.5, scale: 40h } }`, `{ empirical: { file: times.csv, column: minutes } }`.
 * Time-like values may be durations ("15m") or numbers; `unitMs` says what a number means and
 * what unit the built distribution samples in.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { Type, type Static } from '@sinclair/typebox';
import { InputError } from '../errors.ts';
import { parseDuration } from '../duration.ts';
import type { Distribution } from './distributions/distribution.ts';
import { Fixed } from './distributions/fixed.ts';
import { Uniform } from './distributions/uniform.ts';
import { Exponential } from './distributions/exponential.ts';
import { Normal } from './distributions/normal.ts';
import { Lognormal } from './distributions/lognormal.ts';
import { Gamma } from './distributions/gamma.ts';
import { Weibull } from './distributions/weibull.ts';
import { Triangular } from './distributions/triangular.ts';
import { Empirical } from './distributions/empirical.ts';

/** A number, or a duration string such as "90s", "15m", "2h". */
export const Quantity = Type.Union([Type.Number(), Type.String({ pattern: '^\\s*[0-9.]' })], {
  description: 'a number or a duration such as "30s", "15m", "2h", "1d"',
});
const MeanSd = Type.Object({ mean: Quantity, sd: Quantity }, { additionalProperties: false });

export const DistributionSpec = Type.Object(
  {
    fixed: Type.Optional(Quantity),
    uniform: Type.Optional(Type.Object({ min: Quantity, max: Quantity }, { additionalProperties: false })),
    exponential: Type.Optional(Type.Object({ mean: Quantity }, { additionalProperties: false })),
    normal: Type.Optional(MeanSd),
    lognormal: Type.Optional(MeanSd),
    gamma: Type.Optional(MeanSd),
    weibull: Type.Optional(
      Type.Object(
        { shape: Type.Number({ exclusiveMinimum: 0 }), scale: Quantity },
        { additionalProperties: false },
      ),
    ),
    triangular: Type.Optional(
      Type.Object({ min: Quantity, mode: Quantity, max: Quantity }, { additionalProperties: false }),
    ),
    empirical: Type.Optional(
      Type.Object(
        {
          file: Type.Optional(Type.String()),
          column: Type.Optional(Type.String()),
          values: Type.Optional(Type.Array(Quantity, { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description:
      'one of fixed, uniform, exponential, normal, lognormal, gamma, weibull, triangular, empirical',
  },
);
export type DistributionSpec = Static<typeof DistributionSpec>;

export interface SpecOptions {
  /** milliseconds per unit of the sampled values, and the unit of bare numbers (default 1: ms) */
  unitMs?: number;
  /** directory that relative `empirical.file` paths resolve against */
  baseDir?: string;
  /** field path used in error messages */
  field?: string;
}

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;

/** Builds a sampler from a spec; every error names the field. */
export function distributionFromSpec(spec: DistributionSpec, options: SpecOptions = {}): Distribution {
  const unitMs = options.unitMs ?? 1;
  const field = options.field ?? 'distribution';
  const keys = Object.keys(spec);
  if (keys.length !== 1) {
    throw new InputError(`${field}: expected exactly one distribution kind, got ${JSON.stringify(keys)}`);
  }
  const kind = keys[0] as keyof DistributionSpec;
  const at = `${field}.${kind}`;
  const q = (v: unknown, name: string): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && NUMBER.test(v)) return Number(v);
    return parseDuration(v, `${at}.${name}`) / unitMs;
  };
  try {
    switch (kind) {
      case 'fixed':
        return new Fixed(q(spec.fixed, 'value'));
      case 'uniform':
        return new Uniform(q(spec.uniform!.min, 'min'), q(spec.uniform!.max, 'max'));
      case 'exponential':
        return new Exponential(q(spec.exponential!.mean, 'mean'));
      case 'normal':
        return new Normal(q(spec.normal!.mean, 'mean'), q(spec.normal!.sd, 'sd'));
      case 'lognormal':
        return new Lognormal(q(spec.lognormal!.mean, 'mean'), q(spec.lognormal!.sd, 'sd'));
      case 'gamma':
        return new Gamma(q(spec.gamma!.mean, 'mean'), q(spec.gamma!.sd, 'sd'));
      case 'weibull':
        return new Weibull(spec.weibull!.shape, q(spec.weibull!.scale, 'scale'));
      case 'triangular': {
        const t = spec.triangular!;
        return new Triangular(q(t.min, 'min'), q(t.mode, 'mode'), q(t.max, 'max'));
      }
      case 'empirical': {
        const e = spec.empirical!;
        const raw = e.values ?? readColumn(e.file, e.column, options.baseDir, at);
        return new Empirical(raw.map((v, i) => q(v, `values[${i}]`)));
      }
      default:
        throw new InputError(`${field}: unknown distribution "${String(kind)}"`);
    }
  } catch (err) {
    if (err instanceof RangeError) throw new InputError(`${at}: ${err.message}`);
    throw err;
  }
}

function readColumn(
  file: string | undefined,
  column: string | undefined,
  baseDir = '.',
  at: string,
): string[] {
  if (!file || !column) throw new InputError(`${at}: expected either "values" or both "file" and "column"`);
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new InputError(`${at}.file: cannot read ${path}: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new InputError(`${at}.file: ${path} has no data rows`);
  if (!(column in rows[0])) {
    throw new InputError(
      `${at}.column: "${column}" is not a column of ${path} (has ${Object.keys(rows[0]).join(', ')})`,
    );
  }
  return rows.map((r, i) => {
    const v = r[column];
    if (v === '' || v === undefined)
      throw new InputError(`${path} line ${i + 2}: column "${column}" is empty`);
    return v;
  });
}
