/**
 * Zendesk Support stand-in: `POST /api/v2/tickets.json` (ticket.comment.body required, priority
 * urgent / high / normal / low, status new / open / pending / hold / solved / closed, subject;
 * `Idempotency-Key`: a repeat with the same body answers the first ticket with
 * `x-idempotency-lookup: hit`, with another body 400) -> 201 `{ ticket }`;
 * `GET /api/v2/tickets.json?external_id=...` -> `{ tickets, count }`; `PUT /api/v2/tickets/<id>.json`
 * -> 200. Basic auth `<email>/token:<api token>`.
 */
import { need, VendorServer, type VendorAnswer, type VendorRequest } from './vendor-server.ts';

export interface ZdTicket {
  id: number;
  external_id: string | null;
  subject: string;
  priority: string;
  status: string;
  type: string | null;
  tags: string[];
  comments: { body: string; public: boolean }[];
}

const PRIORITIES = ['urgent', 'high', 'normal', 'low'];
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

export class ZendeskServer extends VendorServer {
  readonly tickets: ZdTicket[] = [];
  /** Idempotency-Key -> [body, answer] */
  private readonly keys = new Map<string, [string, VendorAnswer]>();
  idempotencyHits = 0;

  constructor(email: string, token: string) {
    super(`Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`);
  }

  get url(): string {
    return `${this.origin}/api/v2/tickets.json`;
  }

  isCreate(r: VendorRequest): boolean {
    return r.method === 'POST' && r.path === '/api/v2/tickets.json';
  }

  count(externalId: string): number {
    return this.tickets.filter((t) => t.external_id === externalId).length;
  }

  byExternalId(externalId: string): ZdTicket | undefined {
    return this.tickets.find((t) => t.external_id === externalId);
  }

  private check(t: Record<string, unknown>, create: boolean): void {
    const c = t.comment as { body?: unknown; public?: unknown } | undefined;
    if (create) need(typeof c?.body === 'string' && c.body.length > 0, 'ticket.comment.body: required');
    need(
      t.priority === undefined || PRIORITIES.includes(t.priority as string),
      'ticket.priority: urgent, high, normal or low',
    );
    need(
      t.status === undefined || STATUSES.includes(t.status as string),
      `ticket.status: one of ${STATUSES.join(', ')}`,
    );
    need(
      t.type === undefined || ['problem', 'incident', 'question', 'task'].includes(t.type as string),
      'ticket.type',
    );
    need(
      t.external_id === undefined || (typeof t.external_id === 'string' && t.external_id.length <= 255),
      'ticket.external_id: a string',
    );
  }

  protected route(r: VendorRequest): VendorAnswer {
    if (r.path === '/api/v2/tickets.json' && r.method === 'GET') {
      const ext = r.query.get('external_id');
      const list = ext === null ? this.tickets : this.tickets.filter((t) => t.external_id === ext);
      return {
        status: 200,
        body: { tickets: list, count: list.length, next_page: null, previous_page: null },
      };
    }
    if (r.path === '/api/v2/tickets.json' && r.method === 'POST') {
      const key = r.headers['idempotency-key'] as string | undefined;
      if (key && this.keys.has(key)) {
        const [body, answer] = this.keys.get(key)!;
        if (body !== r.raw)
          return {
            status: 400,
            body: {
              error: 'IdempotentRequestError',
              description: 'request body does not match the original request with this Idempotency-Key',
            },
          };
        this.idempotencyHits++;
        return { ...answer, headers: { 'x-idempotency-lookup': 'hit' } };
      }
      const t = ((r.body ?? {}) as { ticket?: Record<string, unknown> }).ticket;
      need(t && typeof t === 'object', 'ticket: required');
      this.check(t!, true);
      const c = t!.comment as { body: string; public?: boolean };
      const ticket: ZdTicket = {
        id: 1000 + this.tickets.length + 1,
        external_id: (t!.external_id as string | undefined) ?? null,
        subject: (t!.subject as string | undefined) ?? c.body.slice(0, 80),
        priority: (t!.priority as string | undefined) ?? 'normal',
        status: (t!.status as string | undefined) ?? 'new',
        type: (t!.type as string | undefined) ?? null,
        tags: (t!.tags as string[] | undefined) ?? [],
        comments: [{ body: c.body, public: c.public ?? true }],
      };
      this.tickets.push(ticket);
      const answer = { status: 201, body: { ticket } };
      if (key) this.keys.set(key, [r.raw, answer]);
      return answer;
    }
    const m = /^\/api\/v2\/tickets\/(\d+)\.json$/.exec(r.path);
    if (m && r.method === 'PUT') {
      const ticket = this.tickets.find((t) => t.id === Number(m[1]));
      if (!ticket) return { status: 404, body: { error: 'RecordNotFound' } };
      if (ticket.status === 'closed')
        return {
          status: 422,
          body: { error: 'RecordInvalid', description: 'closed tickets cannot be updated' },
        };
      const t = ((r.body ?? {}) as { ticket?: Record<string, unknown> }).ticket ?? {};
      this.check(t, false);
      if (t.priority) ticket.priority = t.priority as string;
      if (t.status) ticket.status = t.status as string;
      const c = t.comment as { body: string; public?: boolean } | undefined;
      if (c) ticket.comments.push({ body: c.body, public: c.public ?? true });
      return { status: 200, body: { ticket } };
    }
    return { status: 404, body: { error: 'InvalidEndpoint' } };
  }
}
