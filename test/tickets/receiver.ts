/**
 * A webhook receiver for the delivery tests: a real node:http server on 127.0.0.1 that verifies the
 * signature, applies each idempotency key once (a repeat is answered 200 without applying), and
 * checks per-ticket order (an event must be the ticket's next version). `respond` decides per
 * request: a status code, or 'hang' (never answer: the request is applied first, then left open).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../tickets/index.ts';

export interface Received {
  key: string;
  event: string;
  ticketId: string;
  version: number;
  signatureOk: boolean;
  attempt: number;
}

/** an HTTP status, a status with headers, or 'hang' */
export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

export class Receiver {
  readonly received: Received[] = [];
  /** idempotency keys applied (each once: a repeat is answered without applying) */
  readonly applied = new Set<string>();
  /** deliveries of a key already applied, answered 2xx without applying */
  duplicates = 0;
  /** ticket id -> last applied version */
  readonly versions = new Map<string, number>();
  readonly orderErrors: string[] = [];
  private server: Server | null = null;
  private hanging: ServerResponse[] = [];
  port = 0;
  /** answer each request this many ms after applying it (a slow receiver keeps deliveries in flight) */
  delayMs = 0;

  constructor(
    readonly secret: string | undefined,
    /** the answer to the n-th request (0-based): an HTTP status, or 'hang' */
    public respond: (n: number, r: Received) => Answer = () => 200,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/tickets`;
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
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString('utf8')) as {
      event: string;
      idempotencyKey: string;
      ticket: { id: string; version: number };
    };
    const key = String(req.headers['idempotency-key']);
    const r: Received = {
      key,
      event: body.event,
      ticketId: body.ticket.id,
      version: body.ticket.version,
      signatureOk: this.secret
        ? verify(raw, this.secret, req.headers['x-leadtime-signature'] as string | undefined)
        : true,
      attempt: Number(req.headers['x-leadtime-delivery-attempt']),
    };
    const n = this.received.length;
    this.received.push(r);
    const given = this.respond(n, r);
    const answer = typeof given === 'object' ? given.status : given;
    const headers = typeof given === 'object' ? given.headers : {};
    if (answer === 'hang' || (answer >= 200 && answer < 300)) {
      if (!r.signatureOk) {
        res.writeHead(401).end();
        return;
      }
      if (!this.applied.has(key)) {
        // applying an event: it must be the ticket's next version (create before update)
        const last = this.versions.get(r.ticketId) ?? 0;
        if (r.version !== last + 1) this.orderErrors.push(`${key}: got version ${r.version} after ${last}`);
        this.versions.set(r.ticketId, Math.max(last, r.version));
      }
      if (this.applied.has(key)) this.duplicates++;
      else this.applied.add(key);
    }
    if (answer === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    res.writeHead(answer, { 'content-type': 'application/json', ...headers }).end('{}');
  }

  /** distinct keys received */
  keys(): Set<string> {
    return new Set(this.received.map((r) => r.key));
  }
}
