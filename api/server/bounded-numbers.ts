/**
 * Every number a request may carry in its query string, path or body is bounded by its schema: an
 * onRoute hook gives each `number`/`integer` schema without limits the range +-MAX_REQUEST_NUMBER,
 * so `offset=1e20` or `since=1e300` is a 400 naming the field, never a database conversion error.
 * One mechanism for every route, present and future; a schema's own tighter bounds are kept.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * The largest magnitude a request number may have: the JavaScript Date range in milliseconds
 * (8.64e15, ECMA-262 §21.4.1.1), which every time, cursor, offset and count fits, and which DuckDB's
 * BIGINT and TIMESTAMP and JavaScript's integers all represent exactly.
 */
export const MAX_REQUEST_NUMBER = 8.64e15;

type Schema = Record<string, unknown>;

/** A copy of the schema with bounds on every unbounded number (TypeBox's own objects stay untouched). */
export function boundNumbers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundNumbers);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema))
    // `properties` and `patternProperties` hold schemas by name; `default`, `examples`, `enum` hold values
    out[k] = k === 'default' || k === 'examples' || k === 'enum' || k === 'const' ? v : boundNumbers(v);
  // keep TypeBox's symbol keys (its Kind marks), which Object.entries skips
  for (const sym of Object.getOwnPropertySymbols(schema))
    out[sym as unknown as string] = (schema as Schema)[sym as unknown as string];
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('number') || types.includes('integer')) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = MAX_REQUEST_NUMBER;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = -MAX_REQUEST_NUMBER;
  }
  return out;
}

export function boundRequestNumbers(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    for (const part of ['querystring', 'params', 'body', 'headers'])
      if (schema[part] !== undefined) schema[part] = boundNumbers(schema[part]);
  });
}
