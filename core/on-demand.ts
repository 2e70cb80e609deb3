/**
 * A package loaded the first time it is used, not when the module naming it is imported. For heavy
 * libraries behind barrels that most importers never call: mathjs (about 1.5 s of CPU to import),
 * mqtt.js and the PostgreSQL client; ajv's compiler, yaml and cli-progress, which a run with a cached
 * validator, an object config or no terminal never needs. Each is loaded by `require` (its CommonJS build, synchronously,
 * so callers stay synchronous); mqtt.js and pg are CommonJS under their ESM entries anyway, and
 * mathjs's two builds are the same code.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function onDemand<T>(name: string): () => T {
  let module: T | undefined;
  return () => (module ??= load(name) as T);
}
