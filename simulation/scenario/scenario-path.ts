/**
 * Scenario fields named by path (`pools.engineers.size`, `arrivals[0].poisson.perHour`,
 * `peaks[0].staff.field.percent`), and the `--vary` specs of sweeps and the optimiser:
 * `PATH=LO..HI` (step 1), `PATH=LO..HI:STEP`, or `PATH=A,B,C` (numbers or strings such as
 * durations). Setting a path creates missing objects, so a peak can gain a staff change.
 */
import { InputError } from '../../core/errors.ts'; // not index.ts: --vary is parsed before any command runs
import { STAFF_PATH, withPoolStaff } from './pool-staff.ts';
import type { Scenario } from './scenario.ts';

export interface Variation {
  path: string;
  values: (number | string)[];
}

export function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const piece of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(piece);
    if (!m || (m[1] === '' && m[2] === ''))
      throw new InputError(`${path}: not a field path (like pools.engineers.size)`);
    if (m[1] !== '') parts.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

export function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of parsePath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `target` with the field at `path` set to `value`. */
export function withPath<T>(target: T, path: string, value: unknown): T {
  const copy = structuredClone(target);
  const parts = parsePath(path);
  let node = copy as Record<string | number, unknown>;
  parts.forEach((key, i) => {
    if (i === parts.length - 1) {
      node[key] = value;
      return;
    }
    if (node[key] === undefined) node[key] = typeof parts[i + 1] === 'number' ? [] : {};
    const next = node[key];
    if (next === null || typeof next !== 'object')
      throw new InputError(`${path}: ${parts.slice(0, i + 1).join('.')} is not an object`);
    node = next as Record<string | number, unknown>;
  });
  return copy;
}

const asValue = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

export function parseVariation(spec: string): Variation {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InputError(`--vary ${spec}: expected PATH=LO..HI, PATH=LO..HI:STEP or PATH=A,B,C`);
  const path = spec.slice(0, eq).trim();
  parsePath(path);
  const rhs = spec.slice(eq + 1).trim();
  const range = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(rhs);
  if (range) {
    const [lo, hi, step] = [
      Number(range[1]),
      Number(range[2]),
      range[3] === undefined ? 1 : Number(range[3]),
    ];
    if (!(hi >= lo) || !(step > 0)) throw new InputError(`--vary ${spec}: expected LO <= HI and a step > 0`);
    const values: number[] = [];
    for (let k = 0; lo + k * step <= hi + 1e-9; k++) values.push(Math.round((lo + k * step) * 1e9) / 1e9);
    return { path, values };
  }
  const values = rhs.split(',').map((v) => asValue(v.trim()));
  if (values.some((v) => v === '')) throw new InputError(`--vary ${spec}: empty value in the list`);
  return { path, values };
}

/** Every combination of the variations' values (the grid), first variation slowest. */
export function grid(variations: readonly Variation[]): Record<string, number | string>[] {
  let points: Record<string, number | string>[] = [{}];
  for (const v of variations)
    points = points.flatMap((p) => v.values.map((value) => ({ ...p, [v.path]: value })));
  return points;
}

/** A point's values as written on the command line: `pools.agents.size=4 arrivals[0].poisson.perHour=9`. */
export const valuesText = (values: Record<string, number | string>, separator = ' '): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(separator);

/** The scenario with each path set to its value (`pools.<pool>.staff` scales the whole pool). */
export function applyValues(scenario: Scenario, values: Record<string, unknown>): Scenario {
  let out = scenario;
  for (const [path, value] of Object.entries(values)) {
    const staff = STAFF_PATH.exec(path);
    out = staff ? withPoolStaff(out, staff[1], Number(value)) : withPath(out, path, value);
  }
  return out;
}
