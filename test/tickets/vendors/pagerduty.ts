/**
 * PagerDuty Events API v2 stand-in (`POST /v2/enqueue`, developer.pagerduty.com "Send an Alert
 * Event"): routing_key required (32 characters), event_action in trigger / acknowledge / resolve,
 * dedup_key <= 255 (required for acknowledge and resolve), a trigger's payload with summary
 * (<= 1024), source and severity (critical / error / warning / info). Answers 202
 * `{ status: "success", message: "Event processed", dedup_key }`, 400 `{ status: "invalid event" }`.
 * A trigger with the dedup_key of an open incident joins it; otherwise it opens a new incident.
 */
import { need, VendorServer, type VendorAnswer, type VendorRequest } from './vendor-server.ts';

export interface PdIncident {
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  severity: string;
  summary: string;
  customDetails: Record<string, unknown>;
  alerts: number;
}

export class PagerDutyServer extends VendorServer {
  /** every incident ever opened, in order (a second one for a dedup key is a duplicate) */
  readonly incidents: PdIncident[] = [];

  constructor(readonly routingKey: string) {
    super(null);
  }

  get url(): string {
    return `${this.origin}/v2/enqueue`;
  }

  isCreate(r: VendorRequest): boolean {
    const b = r.body as { dedup_key?: string; event_action?: string } | undefined;
    return b?.event_action === 'trigger' && !this.open(b.dedup_key ?? '');
  }

  private open(key: string): PdIncident | undefined {
    return this.incidents.find((i) => i.dedupKey === key && i.status !== 'resolved');
  }

  /** incidents opened for a dedup key */
  count(key: string): number {
    return this.incidents.filter((i) => i.dedupKey === key).length;
  }

  last(key: string): PdIncident | undefined {
    return this.incidents.filter((i) => i.dedupKey === key).at(-1);
  }

  protected route(r: VendorRequest): VendorAnswer {
    if (r.method !== 'POST' || r.path !== '/v2/enqueue')
      return { status: 404, body: { message: 'not found' } };
    const b = (r.body ?? {}) as Record<string, unknown>;
    need(
      typeof b.routing_key === 'string' && b.routing_key.length === 32,
      'routing_key: 32 characters required',
    );
    if (b.routing_key !== this.routingKey)
      return { status: 400, body: { status: 'invalid event', message: 'Invalid routing key' } };
    need(
      ['trigger', 'acknowledge', 'resolve'].includes(b.event_action as string),
      'event_action: trigger, acknowledge or resolve',
    );
    const key = b.dedup_key as string | undefined;
    need(
      key === undefined || (typeof key === 'string' && key.length <= 255),
      'dedup_key: at most 255 characters',
    );
    if (b.event_action !== 'trigger')
      need(typeof key === 'string' && key.length > 0, 'dedup_key: required to acknowledge or resolve');
    let incident = this.open(key ?? '');
    if (b.event_action === 'trigger') {
      const p = (b.payload ?? {}) as Record<string, unknown>;
      need(
        typeof p.summary === 'string' && p.summary.length > 0 && p.summary.length <= 1024,
        'payload.summary: 1-1024 characters',
      );
      need(typeof p.source === 'string' && p.source.length > 0, 'payload.source: required');
      need(
        ['critical', 'error', 'warning', 'info'].includes(p.severity as string),
        'payload.severity: critical, error, warning or info',
      );
      need(
        p.custom_details === undefined || typeof p.custom_details === 'object',
        'payload.custom_details: an object',
      );
      if (!incident) {
        incident = {
          dedupKey: key!,
          status: 'triggered',
          severity: '',
          summary: '',
          customDetails: {},
          alerts: 0,
        };
        this.incidents.push(incident);
      }
      incident.alerts++;
      incident.severity = p.severity as string;
      incident.summary = p.summary as string;
      incident.customDetails = (p.custom_details ?? {}) as Record<string, unknown>;
    } else if (incident) incident.status = b.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
  }
}
