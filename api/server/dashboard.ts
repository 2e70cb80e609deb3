/**
 * The dashboard: static pages under `/` (api/server/dashboard/), and the chart libraries served
 * from the installed packages under `/vendor/` so the dashboard works offline (no CDN).
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { packageRoot } from '../../core/index.ts';

const require = createRequire(import.meta.url);

/** package/file pairs served as /vendor/<name> */
export const VENDOR: Record<string, { pkg: string; file: string; browserGlobal?: boolean }> = {
  'vega.min.js': { pkg: 'vega', file: 'build/vega.min.js' },
  'vega-lite.min.js': { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  'vega-embed.min.js': { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
  // Vega's expression interpreter: charts without eval, so the page's CSP can forbid it
  'vega-interpreter.js': { pkg: 'vega-interpreter', file: 'build/vega-interpreter.js', browserGlobal: true },
};

let interpreterScript: string | undefined;

/**
 * vega-interpreter ships only as an ES module importing vega-util; the page has Vega as the global
 * `vega` (which re-exports vega-util), so its one import and its export become global look-ups.
 */
export function asBrowserScript(moduleText: string): string {
  const imp = /^import \{([^}]*)\} from 'vega-util';$/m;
  const exp = /^export \{ expression as expressionInterpreter \};$/m;
  if (!imp.test(moduleText) || !exp.test(moduleText))
    throw new Error('vega-interpreter: unexpected module shape; update asBrowserScript');
  return (
    '(function () {\n' +
    moduleText
      .replace(imp, (_m, names: string) => `const {${names}} = window.vega;`)
      .replace(exp, 'window.vegaInterpreter = { expressionInterpreter: expression };') +
    '\n})();\n'
  );
}

/** The installed package's folder (its exports map hides package.json from require.resolve). */
function packageDir(pkg: string): string {
  for (const dir of require.resolve.paths(pkg) ?? [])
    if (existsSync(join(dir, pkg, 'package.json'))) return join(dir, pkg);
  throw new Error(`package ${pkg} is not installed (npm install)`);
}

export const dashboardRoutes: FastifyPluginAsync = async (app: FastifyInstance) => {
  await app.register(fastifyStatic, {
    root: join(packageRoot, 'api/server/dashboard'),
    prefix: '/',
    index: 'index.html',
  });
  app.get('/vendor/:name', { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { name: string }).name;
    // own keys only: `__proto__` or `constructor` must not reach Object.prototype
    const v = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
    if (!v) return reply.callNotFound();
    if (v.browserGlobal) {
      interpreterScript ??= asBrowserScript(readFileSync(join(packageDir(v.pkg), v.file), 'utf8'));
      return reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(interpreterScript);
    }
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(createReadStream(join(packageDir(v.pkg), v.file)));
  });
};
