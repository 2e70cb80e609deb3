/**
 * The one HTTP call every connector makes, with node:http(s) and no kept-alive connection (a
 * finished dispatch exits at once), and how an answer becomes a delivery outcome: 2xx delivered;
 * network errors, timeouts, 408, 429 and 5xx retryable (with the receiver's `Retry-After`); other
 * 4xx permanent. Errors name the method and the URL without credentials or query string, so a
 * secret never reaches a log line.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { formatDuration } from '../../core/index.ts';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What one send step of a connector came to; the dispatcher decides retries and dead letters. */
export interface DeliveryOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  /** not worth retrying (a 4xx other than 408 / 429, or an answer the connector cannot use) */
  permanent?: boolean;
  /** the receiver's Retry-After, in ms from now */
  retryAfterMs?: number;
  /** the vendor's id of what it created or updated (sys_id, issue key, dedup_key, ticket id) */
  remoteId?: string;
}

/** `Retry-After` (RFC 9110 10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfter(header: string | string[] | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const v = (Array.isArray(header) ? header[0] : header).trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** `scheme://host[:port]/path`: what may appear in messages (no user:password, no query). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}

/** Thrown for a network error or timeout; its message is already safe to log. */
export class HttpError extends Error {}

export function httpCall(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  o: { headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  const u = new URL(url);
  const headers: Record<string, string | number> = {
    accept: 'application/json',
    connection: 'close',
    ...o.headers,
  };
  if (o.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = Buffer.byteLength(o.body);
  }
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const where = `${method} ${safeUrl(url)}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: Error | null, a?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(a!);
    };
    const req = request(u, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done(null, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (err) => done(new HttpError(`${where}: ${err.message}`)));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(new HttpError(`${where}: timed out after ${formatDuration(o.timeoutMs)}`));
    }, o.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      done(new HttpError(`${where}: ${err.code ?? err.message}`)),
    );
    req.end(o.body);
  });
}

/** A non-2xx answer as a failed outcome (retryable or permanent), with a short excerpt of the vendor's reason. */
export function failure(a: HttpAnswer, where: string): DeliveryOutcome {
  const excerpt = a.body.replace(/\s+/g, ' ').slice(0, 200);
  return {
    ok: false,
    status: a.status,
    error: `HTTP ${a.status} from ${where}${excerpt ? `: ${excerpt}` : ''}`,
    permanent: !retryable(a.status),
    retryAfterMs: retryAfter(a.headers['retry-after'], Date.now()),
  };
}

/** Every occurrence of a secret (and its base64, as in a basic-auth header) replaced by "***". */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets.filter((x) => x.length >= 4))
    for (const form of [s, Buffer.from(s).toString('base64')]) out = out.split(form).join('***');
  return out;
}

/**
 * Runs a connector's send step, turning network errors and timeouts into retryable outcomes; the
 * error text (which may quote the vendor's answer) never carries one of `secrets`.
 */
export async function guarded(
  fn: () => Promise<DeliveryOutcome>,
  secrets: string[] = [],
): Promise<DeliveryOutcome> {
  let r: DeliveryOutcome;
  try {
    r = await fn();
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    r = { ok: false, error: err.message };
  }
  return r.error ? { ...r, error: redact(r.error, secrets) } : r;
}

export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** JSON of a 2xx answer, or null when it is not JSON. */
export function jsonOf(a: HttpAnswer): unknown {
  try {
    return JSON.parse(a.body);
  } catch {
    return null;
  }
}
