/**
 * Bearer-token auth. Writes always need `Authorization: Bearer <token>` with a configured token;
 * reads need one only when `readsOpen` is false. A refused request gets 401 before its body is
 * looked at, so it changes nothing. Tokens are compared in constant time. Failed attempts are
 * limited per client address (auth-failures.ts); the rate limit of authenticated requests is
 * keyed on the token itself (`tokenIdentity`), so respelling the header does not buy a new budget.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailureLimiter } from './auth-failures.ts';
import { errorBody } from './errors.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The token of an `Authorization: Bearer <token>` header (any case of "Bearer", any spacing), or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return /^\s*Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/** A short, stable identity of the request's token (its hash), or undefined without a bearer token. */
export function tokenIdentity(request: FastifyRequest): string | undefined {
  const token = bearerToken(request.headers.authorization);
  return token === undefined ? undefined : digest(token).toString('hex').slice(0, 16);
}

export function tokenChecker(tokens: string[]): (request: FastifyRequest) => string | null {
  const known = tokens.map(digest);
  return (request) => {
    const header = request.headers.authorization;
    if (!header) return 'missing Authorization header: send "Authorization: Bearer <token>"';
    const token = bearerToken(header);
    if (token === undefined) return 'Authorization header is not "Bearer <token>"';
    const d = digest(token);
    if (!known.some((k) => timingSafeEqual(k, d)))
      return known.length === 0
        ? 'no tokens are configured on this server (set LEADTIME_TOKENS or tokens in the server config)'
        : 'unknown token';
    return null;
  };
}

/**
 * An onRequest hook answering 401 when the request has no valid token, and 429 when its address
 * has failed too often in the current window.
 */
export function requireToken(
  check: (request: FastifyRequest) => string | null,
  failures?: AuthFailureLimiter,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const wait = failures?.blockedFor(request.ip) ?? 0;
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      await reply
        .code(429)
        .header('retry-after', String(seconds))
        .send(
          errorBody(
            429,
            `too many failed authentications from this address (at most ${failures!.max} per window); retry after ${seconds} s`,
          ),
        );
      return;
    }
    const problem = check(request);
    if (problem) {
      failures?.fail(request.ip);
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="leadtime"')
        .send(errorBody(401, problem));
    }
  };
}
