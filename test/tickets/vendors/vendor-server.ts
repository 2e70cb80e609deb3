/**
 * The common part of the vendor stand-ins: a real node:http server on 127.0.0.1 that checks
 * basic auth, hands each request to the vendor's handler (which enforces the vendor's documented
 * required fields, sizes and enumerations, answering 400 like the vendor), and lets a test inject
 * faults per request: answer without applying (`before`: 429 with Retry-After, 5xx), apply and
 * then answer an error (`after`: the vendor did it but the client cannot know), or apply and never
 * answer (`hang`: a kill -9 mid-delivery).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | 'ok'
  | 'hang'
  | { before: number; headers?: Record<string, string> }
  | { after: number; headers?: Record<string, string> };

export interface VendorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  raw: string;
}

export interface VendorAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** the vendor rejected the request (documented validation): answered 400 and recorded */
export class Invalid extends Error {}

export const need = (cond: unknown, message: string): void => {
  if (!cond) throw new Invalid(message);
};

export abstract class VendorServer {
  /** every request as seen: method, path, the answer's status */
  readonly log: { method: string; path: string; status: number | 'hang'; n: number }[] = [];
  /** validation failures (each answered 400 as the vendor does) */
  readonly invalid: string[] = [];
  /** the fault for the n-th request (0-based) */
  fault: (n: number, r: VendorRequest) => Fault = () => 'ok';
  port = 0;
  private server: Server | null = null;
  private hanging: ServerResponse[] = [];

  constructor(
    /** expected `Authorization` header (null: not checked) */
    readonly authorization: string | null,
  ) {}

  /** the vendor's API for one (valid, authenticated) request */
  protected abstract route(r: VendorRequest): VendorAnswer;
  /** the endpoint URL a connector is configured with */
  abstract get url(): string;
  /** true for the request that creates the vendor-side record */
  abstract isCreate(r: VendorRequest): boolean;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.hanging = [];
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', this.origin);
    const n = this.log.length;
    const entry = { method: req.method ?? '', path: u.pathname, status: 0 as number | 'hang', n };
    this.log.push(entry);
    const send = (a: VendorAnswer) => {
      entry.status = a.status;
      res
        .writeHead(a.status, { 'content-type': 'application/json', ...a.headers })
        .end(a.body === undefined ? '' : JSON.stringify(a.body));
    };
    if (this.authorization !== null && req.headers.authorization !== this.authorization) {
      send({ status: 401, body: { error: 'authentication failed' } });
      return;
    }
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        send({ status: 400, body: { error: 'malformed JSON' } });
        return;
      }
    }
    const r: VendorRequest = {
      method: entry.method,
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body,
      raw,
    };
    const fault = this.fault(n, r);
    if (typeof fault === 'object' && 'before' in fault) {
      send({ status: fault.before, body: { error: 'injected' }, headers: fault.headers });
      return;
    }
    let answer: VendorAnswer;
    try {
      answer = this.route(r);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      this.invalid.push(`${r.method} ${r.path}: ${err.message}`);
      answer = { status: 400, body: { error: err.message } };
    }
    if (fault === 'hang') {
      entry.status = 'hang';
      this.hanging.push(res);
      return;
    }
    if (typeof fault === 'object' && 'after' in fault) {
      send({ status: fault.after, body: { error: 'injected after applying' }, headers: fault.headers });
      return;
    }
    send(answer);
  }
}

/** a fault plan the connector tests share: 429 + Retry-After first, then a 503, then the first create applied but answered 500 */
export function standardFaults(
  server: VendorServer,
  retryAfterSeconds = 1,
): (n: number, r: VendorRequest) => Fault {
  let createFailed = false;
  return (n, r) => {
    if (n === 0) return { before: 429, headers: { 'retry-after': String(retryAfterSeconds) } };
    if (n === 1) return { before: 503 };
    if (!createFailed && server.isCreate(r)) {
      createFailed = true;
      return { after: 500 };
    }
    return 'ok';
  };
}
