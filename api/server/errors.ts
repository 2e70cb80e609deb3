/**
 * Every error answer is JSON `{ statusCode, error, message, problems? }`, with a message that names
 * the field or record: schema failures say which part of the request (body, querystring, params)
 * and which field; config errors from the stages list their problems.
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
    if (err.validation) return reply.code(400).send(errorBody(400, validationMessage(err)));
    if (err instanceof ConfigError)
      return reply.code(400).send(
        errorBody(400, err.message, {
          problems: err.problems.map(({ field, expected, got }) => ({ field, expected, got })),
        }),
      );
    if (err instanceof HttpError)
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.message));
    if (err instanceof LeadtimeError) return reply.code(400).send(errorBody(400, err.message));
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (code === 413)
      return reply
        .code(413)
        .send(
          errorBody(
            413,
            `request body is larger than the ${app.initialConfig.bodyLimit}-byte limit; split it`,
          ),
        );
    if (code >= 500) request.log.error(err);
    return reply
      .code(code)
      .send(errorBody(code, code >= 500 ? `internal error: ${err.message}` : err.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
