// `node --import ./preload.mjs ...`: records every module the process loads into the file named by
// $LEADTIME_TRACE_MODULES, one URL or path a line, for test/api/startup-imports.test.ts. ES modules
// (and the CommonJS files they import) through a load hook; the CommonJS files those require
// from require.cache at exit. Worker threads inherit --import, so their modules are recorded too.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.LEADTIME_TRACE_MODULES;
if (out) {
  register(new URL('./hooks.mjs', import.meta.url), { data: { out } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => appendFileSync(out, Object.keys(cache).join('\n') + '\n'));
}
