/**
 * Security headers on every answer (@fastify/helmet): a Content-Security-Policy that lets pages load
 * scripts, styles and data only from this server (no inline scripts, no eval: the dashboard's charts
 * use Vega's expression interpreter instead of generated code), frame-ancestors 'none' and
 * X-Frame-Options DENY against framing, nosniff, no referrer. Inline style attributes stay allowed:
 * Vega and the dashboard set element styles, and styles cannot run code. /docs (Swagger UI)
 * sets its own, looser policy on its pages.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // a plain-http local server: no HSTS, no cross-origin isolation that would block the docs' assets
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
}
