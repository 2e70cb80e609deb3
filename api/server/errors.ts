/**
 * Every error answer is JSON `{ statusCode, error, message, problems?, requestId }`, with a message
 * that names the field or record: schema failures say which part of the request (body,
 * querystring, params) and which field; config errors from the stages list their problems. An
 * internal error's text (SQL, a stack, absolute paths) never reaches the client: the body says
 * "internal error" with the request id, and the server log has the details under that id.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ConfigError, LeadtimeError } from '../../core/index.ts';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(statusCode: number, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** Absolute paths (two or more segments, not part of a relative path or a word) cut to their file name. */
export function redactPaths(text: string): string {
  return text.replace(/(?<![\w.~\-/\\])(?:[A-Za-z]:)?(?:[\\/][^\\/\s:'"`,;()]+){2,}/g, (path) =>
    path.split(/[\\/]/).pop()!,
  );
}

/**
 * A message fit for a client: its first line only (later lines of file errors quote content),
 * with absolute paths cut to their file name.
 */
export function publicMessage(message: string): string {
  return redactPaths(message.split('\n')[0]);
}

function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  const parts = (err.validation ?? []).map((v) => {
    const path = (v.instancePath ?? '').split('/').filter(Boolean).join('.');
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const extra = (v.params as { additionalProperty?: string }).additionalProperty;
    const field = [where, path, missing].filter(Boolean).join('.');
    if (extra) return `${field}: unknown field "${extra}"`;
    return `${field}: ${missing ? 'is required' : v.message}`;
  });
  return parts.length ? parts.join('; ') : err.message;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const id = { requestId: String(request.id) };
    if (err.validation) return reply.code(400).send(errorBody(400, validationMessage(err), id));
    if (err instanceof ConfigError)
      return reply.code(400).send(
        errorBody(400, redactPaths(err.message), {
          problems: err.problems.map(({ field, expected, got }) => ({ field, expected, got })),
          ...id,
        }),
      );
    // our own answers, which may quote the client's input back (a path it sent) but no internals
    if (err instanceof HttpError)
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message, id));
    if (err instanceof LeadtimeError) {
      request.log.warn({ err, requestId: request.id }, 'request refused');
      return reply.code(400).send(errorBody(400, publicMessage(err.message), id));
    }
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (code === 413)
      return reply
        .code(413)
        .send(
          errorBody(
            413,
            `request body is larger than the ${app.initialConfig.bodyLimit}-byte limit; split it`,
            id,
          ),
        );
    if (code >= 500) {
      // the details (SQL, stack, paths) stay in the log, found by the id the client is given
      request.log.error({ err, requestId: request.id }, 'internal error');
      return reply
        .code(code)
        .send(
          errorBody(
            code,
            `internal error (request ${request.id}); the server log has the details under this id`,
            id,
          ),
        );
    }
    // fastify's own 4xx (bad JSON, bad content type, timeouts) carry no internals
    return reply.code(code).send(errorBody(code, publicMessage(err.message), id));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
