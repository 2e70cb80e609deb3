/**
 * Resolving a field path (`--vary`, `--ratio`, an API sweep) against a scenario BEFORE anything
 * runs: every segment must be a field the scenario schema has, every pool / index must exist in
 * this scenario, and the path must end on a value (a number, a duration, a name), not on an
 * object. An unknown path is an InputError (exit 2, HTTP 400) naming it and listing the nearest
 * valid paths: a sweep of a field the simulator does not read would run identical points and
 * "recommend" a plan that changes nothing.
 *
 * The walk reads the TypeBox schema (the same one that validates scenario files), so a field added
 * to the schema is variable without touching this file.
 */
import { InputError, nearestNames } from '../../core/index.ts';
import { parsePath } from './scenario-path.ts';
import { STAFF_PATH } from './pool-staff.ts';
import { Scenario } from './scenario.ts';

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

const isObjectSchema = (s: SchemaNode) =>
  s.type === 'object' || s.properties !== undefined || s.patternProperties !== undefined;
const isLeafSchema = (s: SchemaNode): boolean =>
  s.anyOf ? s.anyOf.every(isLeafSchema) : !isObjectSchema(s) && s.type !== 'array';
const asRecord = (v: unknown): Record<string | number, unknown> | undefined =>
  v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>) : undefined;

/** The member of a union that can hold the next segment (an object for a name, an array for an index). */
function memberFor(schema: SchemaNode, key: string | number): SchemaNode {
  if (!schema.anyOf) return schema;
  const want = typeof key === 'number' ? 'array' : 'object';
  return schema.anyOf.find((m) => (want === 'array' ? m.type === 'array' : isObjectSchema(m))) ?? schema;
}

/**
 * Records whose keys are pool names (a peak's staff changes): a key may be new there, as long as
 * it names a pool, so that `peaks[0].staff.field.add` can give a peak a staff change.
 */
const POOL_KEYED = new Set(['staff']);

/** Every path the scenario can vary, for "did you mean" lists (leaves of what exists, plus optional leaves of objects that exist). */
export function scenarioPaths(scenario: Scenario): string[] {
  const out: string[] = [];
  const visit = (schema: SchemaNode, value: unknown, path: string) => {
    if (schema.anyOf && !isLeafSchema(schema)) {
      const v = asRecord(value);
      if (Array.isArray(value)) return visit(memberFor(schema, 0), value, path);
      if (v) return visit(memberFor(schema, 'x'), value, path);
      return;
    }
    if (isLeafSchema(schema)) {
      if (path) out.push(path);
      return;
    }
    if (schema.type === 'array') {
      if (!Array.isArray(value) || !schema.items || isLeafSchema(schema.items)) return;
      value.forEach((item, i) => visit(schema.items!, item, `${path}[${i}]`));
      return;
    }
    const v = asRecord(value);
    if (!v) return;
    for (const [key, child] of Object.entries(schema.properties ?? {}))
      if (v[key] !== undefined || isLeafSchema(child)) visit(child, v[key], path ? `${path}.${key}` : key);
    const pattern = Object.values(schema.patternProperties ?? {})[0];
    if (pattern) for (const key of Object.keys(v)) visit(pattern, v[key], path ? `${path}.${key}` : key);
  };
  visit(Scenario as unknown as SchemaNode, scenario, '');
  for (const pool of Object.keys(scenario.pools)) out.push(`pools.${pool}.staff`);
  return out.filter((p) => !/^(name|description|seed|replications)$/.test(p));
}

/**
 * Throws unless `path` names a value field of `scenario` (see the file comment). `flag` names where
 * the path came from in the message (`--vary`, `body.staffing`).
 */
export function resolveScenarioPath(scenario: Scenario, path: string, flag = '--vary'): void {
  const staff = STAFF_PATH.exec(path);
  if (staff && scenario.pools[staff[1]]) return; // the pool's staff level (pool-staff.ts)
  const parts = parsePath(path);
  const fail = (why: string, suggest = true): never => {
    const near = suggest ? nearestNames(path, scenarioPaths(scenario)) : [];
    throw new InputError(
      `${flag} ${path}: ${why}; nothing was run.${near.length ? ` Nearest valid paths: ${near.join(', ')}` : ''}`,
    );
  };
  let schema = Scenario as unknown as SchemaNode;
  let value: unknown = scenario;
  let parentKey: string | number | undefined;
  let here = ''; // the path up to and including this segment
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i];
    here += typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`;
    schema = memberFor(schema, key);
    const node = asRecord(value);
    if (typeof key === 'number') {
      if (schema.type !== 'array' || !schema.items) fail(`${here}: not a list`);
      const length = Array.isArray(value) ? value.length : 0;
      if (key >= length) fail(`${here}: the list has ${length} item${length === 1 ? '' : 's'}`);
      schema = schema.items!;
    } else if (schema.properties?.[key]) {
      schema = schema.properties[key];
    } else if (schema.patternProperties) {
      const known = node ? Object.keys(node) : [];
      const poolKeyed = parentKey !== undefined && POOL_KEYED.has(String(parentKey));
      if (!known.includes(key) && !(poolKeyed && key in scenario.pools))
        fail(
          `the scenario has no ${here}${known.length ? ` (there: ${known.join(', ')})` : poolKeyed ? ` (pools: ${Object.keys(scenario.pools).join(', ')})` : ''}`,
        );
      schema = Object.values(schema.patternProperties)[0];
    } else if (isLeafSchema(schema)) {
      fail(`${here.slice(0, here.lastIndexOf('.'))} is a value, not an object`);
    } else {
      fail(i === 0 ? `a scenario has no field "${key}"` : `unknown field "${key}" at ${here}`);
    }
    value = node?.[key];
    parentKey = key;
  }
  if (!isLeafSchema(schema)) {
    const fields = scenarioPaths(scenario).filter(
      (p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`),
    );
    fail(
      `is an object, not a value${fields.length ? `; vary one of its fields (${fields.slice(0, 6).join(', ')})` : ''}`,
      fields.length === 0,
    );
  }
}
