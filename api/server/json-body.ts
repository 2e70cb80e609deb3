/**
 * The `application/json` body parser: fastify's own (which refuses `__proto__` and `constructor`
 * keys), behind a depth check that scans the text's brackets first, so a deeply nested body is a
 * 400 naming the limit, never a stack overflow in a later recursive walk. A leading byte-order
 * mark is dropped.
 */
import type { FastifyInstance } from 'fastify';
import { jsonDepth } from '../../core/index.ts';
import { HttpError } from './errors.ts';

export function installJsonParser(app: FastifyInstance, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    let text = body as string;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const depth = jsonDepth(text, maxDepth);
    if (depth > maxDepth)
      return done(
        new HttpError(400, `body: JSON nested deeper than ${maxDepth} levels; telemetry records need 4`),
        undefined,
      );
    parse(request, text, done);
  });
}
