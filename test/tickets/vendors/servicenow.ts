/**
 * ServiceNow stand-in: Event Management's `POST /api/global/em/jsonv2` (records with source,
 * node, type, severity 0-5 as strings, message_key; events with one message_key make one alert,
 * severity 0 closes it; answers 200) and the Table API on `incident` (`GET ?sysparm_query=
 * correlation_id=...` -> `{ result: [...] }`; `POST` -> 201 `{ result: { sys_id, number } }` with
 * short_description <= 160, urgency / impact 1-3, correlation_id <= 100; `PATCH /<sys_id>` -> 200,
 * resolving (state 6) needs close_code and close_notes). Basic auth.
 */
import { randomBytes } from 'node:crypto';
import { need, VendorServer, type VendorAnswer, type VendorRequest } from './vendor-server.ts';

export interface SnowAlert {
  messageKey: string;
  severity: string;
  state: 'Open' | 'Closed';
  events: number;
  node: string;
  additionalInfo: Record<string, unknown>;
}

export interface SnowIncident {
  sys_id: string;
  number: string;
  correlation_id: string;
  short_description: string;
  description: string;
  urgency: string;
  impact: string;
  state: string;
  close_code?: string;
  work_notes: string[];
}

const STATES = ['1', '2', '3', '6', '7', '8'];
const CLOSE_CODES = [
  'Solved (Work Around)',
  'Solved (Permanently)',
  'Solved Remotely (Work Around)',
  'Solved Remotely (Permanently)',
  'Not Solved (Not Reproducible)',
  'Not Solved (Too Costly)',
  'Closed/Resolved by Caller',
];

export class ServiceNowServer extends VendorServer {
  readonly alerts: SnowAlert[] = [];
  readonly incidents: SnowIncident[] = [];

  constructor(
    readonly user: string,
    readonly password: string,
    readonly api: 'em' | 'incident',
  ) {
    super(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
  }

  get url(): string {
    return this.api === 'em'
      ? `${this.origin}/api/global/em/jsonv2`
      : `${this.origin}/api/now/table/incident`;
  }

  isCreate(r: VendorRequest): boolean {
    if (this.api === 'incident') return r.method === 'POST';
    const rec = (r.body as { records?: { message_key?: string }[] } | undefined)?.records?.[0];
    return !this.alerts.some((a) => a.messageKey === rec?.message_key && a.state === 'Open');
  }

  /** alerts or incidents made for a key (a second one is a duplicate) */
  count(key: string): number {
    return this.api === 'em'
      ? this.alerts.filter((a) => a.messageKey === key).length
      : this.incidents.filter((i) => i.correlation_id === key).length;
  }

  protected route(r: VendorRequest): VendorAnswer {
    if (r.path === '/api/global/em/jsonv2' && r.method === 'POST') return this.event(r);
    if (r.path === '/api/now/table/incident' && r.method === 'GET') {
      const q = r.query.get('sysparm_query') ?? '';
      const m = /^correlation_id=(.+)$/.exec(q);
      need(m, `sysparm_query: expected correlation_id=<value>, got "${q}"`);
      const limit = Number(r.query.get('sysparm_limit') ?? 10000);
      return {
        status: 200,
        body: { result: this.incidents.filter((i) => i.correlation_id === m![1]).slice(0, limit) },
      };
    }
    if (r.path === '/api/now/table/incident' && r.method === 'POST') {
      const b = (r.body ?? {}) as Record<string, string>;
      this.checkFields(b);
      need(
        typeof b.short_description === 'string' && b.short_description.length > 0,
        'short_description: required',
      );
      const inc: SnowIncident = {
        sys_id: randomBytes(16).toString('hex'),
        number: `INC${String(10001 + this.incidents.length).padStart(7, '0')}`,
        correlation_id: b.correlation_id ?? '',
        short_description: b.short_description,
        description: b.description ?? '',
        urgency: b.urgency ?? '3',
        impact: b.impact ?? '3',
        state: b.state ?? '1',
        close_code: b.close_code,
        work_notes: [],
      };
      this.incidents.push(inc);
      return { status: 201, body: { result: inc } };
    }
    const m = /^\/api\/now\/table\/incident\/([0-9a-f]{32})$/.exec(r.path);
    if (m && r.method === 'PATCH') {
      const inc = this.incidents.find((i) => i.sys_id === m[1]);
      if (!inc) return { status: 404, body: { error: { message: 'No Record found' }, status: 'failure' } };
      const b = (r.body ?? {}) as Record<string, string>;
      this.checkFields(b);
      for (const k of [
        'short_description',
        'description',
        'urgency',
        'impact',
        'state',
        'close_code',
      ] as const)
        if (b[k] !== undefined) inc[k] = b[k];
      if (b.work_notes) inc.work_notes.push(b.work_notes);
      return { status: 200, body: { result: inc } };
    }
    return { status: 400, body: { error: { message: `Invalid resource ${r.method} ${r.path}` } } };
  }

  private checkFields(b: Record<string, string>): void {
    need(
      b.short_description === undefined || b.short_description.length <= 160,
      'short_description: at most 160 characters',
    );
    need(
      b.correlation_id === undefined || b.correlation_id.length <= 100,
      'correlation_id: at most 100 characters',
    );
    for (const k of ['urgency', 'impact'])
      need(b[k] === undefined || ['1', '2', '3'].includes(b[k]), `${k}: 1, 2 or 3`);
    need(b.state === undefined || STATES.includes(b.state), `state: one of ${STATES.join(', ')}`);
    if (b.state === '6' || b.state === '7') {
      need(CLOSE_CODES.includes(b.close_code), 'close_code: required to resolve, one of the base choices');
      need(typeof b.close_notes === 'string' && b.close_notes.length > 0, 'close_notes: required to resolve');
    }
  }

  private event(r: VendorRequest): VendorAnswer {
    const records = (r.body as { records?: unknown[] } | undefined)?.records;
    need(Array.isArray(records) && records.length > 0, 'records: a non-empty list');
    for (const [i, x] of records!.entries()) {
      const e = x as Record<string, unknown>;
      for (const k of ['source', 'node', 'type', 'severity'])
        need(typeof e[k] === 'string' && (e[k] as string).length > 0, `records[${i}].${k}: required string`);
      need(['0', '1', '2', '3', '4', '5'].includes(e.severity as string), `records[${i}].severity: "0".."5"`);
      need(
        typeof e.message_key === 'string' && e.message_key.length <= 1024,
        `records[${i}].message_key: required`,
      );
      need(
        e.time_of_event === undefined || /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(e.time_of_event as string),
        `records[${i}].time_of_event: yyyy-MM-dd HH:mm:ss`,
      );
      let info: Record<string, unknown> = {};
      try {
        info = JSON.parse((e.additional_info as string) ?? '{}') as Record<string, unknown>;
      } catch {
        need(false, `records[${i}].additional_info: a JSON object as a string`);
      }
      let alert = this.alerts.find((a) => a.messageKey === e.message_key && a.state === 'Open');
      if (e.severity === '0') {
        if (alert) alert.state = 'Closed';
        continue;
      }
      if (!alert) {
        alert = {
          messageKey: e.message_key as string,
          severity: '',
          state: 'Open',
          events: 0,
          node: e.node as string,
          additionalInfo: {},
        };
        this.alerts.push(alert);
      }
      alert.events++;
      alert.severity = e.severity as string;
      alert.additionalInfo = info;
    }
    return {
      status: 200,
      body: { result: { 'Default Bulk Endpoint': `${records!.length} events were inserted` } },
    };
  }
}
