/**
 * Bearer-token auth. Writes always need `Authorization: Bearer <token>` with a configured token;
 * reads need one only when `readsOpen` is false. A refused request gets 401 before its body is
 * looked at, so it changes nothing. Tokens are compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors.ts';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function tokenChecker(tokens: string[]): (request: FastifyRequest) => string | null {
  const known = tokens.map(digest);
  return (request) => {
    const header = request.headers.authorization;
    if (!header) return 'missing Authorization header: send "Authorization: Bearer <token>"';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return 'Authorization header is not "Bearer <token>"';
    const d = digest(m[1]);
    if (!known.some((k) => timingSafeEqual(k, d)))
      return known.length === 0
        ? 'no tokens are configured on this server (set LEADTIME_TOKENS or tokens in the server config)'
        : 'unknown token';
    return null;
  };
}

/** A preHandler-style hook answering 401 when the request has no valid token. */
export function requireToken(check: (request: FastifyRequest) => string | null) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const problem = check(request);
    if (problem) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="leadtime"')
        .send(errorBody(401, problem));
    }
  };
}
