/**
 * The dashboard: static pages under `/` (api/server/dashboard/), and the chart libraries served
 * from the installed packages under `/vendor/` so the dashboard works offline (no CDN).
 */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** package/file pairs served as /vendor/<name> */
export const VENDOR: Record<string, { pkg: string; file: string }> = {
  'vega.min.js': { pkg: 'vega', file: 'build/vega.min.js' },
  'vega-lite.min.js': { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  'vega-embed.min.js': { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
};

/** The installed package's folder (its exports map hides package.json from require.resolve). */
function packageDir(pkg: string): string {
  for (const dir of require.resolve.paths(pkg) ?? [])
    if (existsSync(join(dir, pkg, 'package.json'))) return join(dir, pkg);
  throw new Error(`package ${pkg} is not installed (npm install)`);
}

export const dashboardRoutes: FastifyPluginAsync = async (app: FastifyInstance) => {
  await app.register(fastifyStatic, { root: join(here, 'dashboard'), prefix: '/', index: 'index.html' });
  app.get('/vendor/:name', { schema: { hide: true } }, async (request, reply) => {
    const v = VENDOR[(request.params as { name: string }).name];
    if (!v) return reply.callNotFound();
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(createReadStream(join(packageDir(v.pkg), v.file)));
  });
};
