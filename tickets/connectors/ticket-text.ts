/**
 * How a ticket reads on the vendor's side, the same for every connector: a one-line summary, a
 * plain-text description with the evidence (RUL with its interval, model and version, anomaly,
 * indicators, reasons, SLA, chart links) and the same evidence as a flat details object for the
 * vendors that show key/value details (PagerDuty custom_details, ServiceNow additional_info).
 */
import type { Ticket } from '../ticket.ts';
import type { EventBody } from './connector.ts';

const h = (x: number): string => x.toFixed(1);

/** chart links, absolute when the server's public URL is known */
export function chartLinks(t: Ticket, linkBase?: string): string[] {
  const plots = t.evidence.links.plots.length ? t.evidence.links.plots : [t.evidence.links.series];
  return plots.filter(Boolean).map((p) => (linkBase ? new URL(p, linkBase).toString() : p));
}

export function rulText(t: Ticket): string | null {
  if (!t.rul) return null;
  const r = t.rul.hours;
  const cov = t.rul.coverage === null ? '' : `${Math.round(t.rul.coverage * 100)}% `;
  return `${h(r.estimate)} h (${cov}interval ${h(r.lower)}-${h(r.upper)} h)`;
}

const WHAT: Record<EventBody['event'], string> = {
  'ticket.created': 'predicted failure',
  'ticket.upgraded': 'predicted failure (priority raised)',
  'ticket.acknowledged': 'predicted failure (acknowledged)',
  'ticket.in_progress': 'predicted failure (in progress)',
  'ticket.resolved': 'predicted failure (resolved)',
  'ticket.closed': 'predicted failure (closed)',
};

/** `[P1] asset-3 general: predicted failure, RUL 12.0 h (90% interval 8.0-20.0 h) [LT-000001]`, cut to `max`. */
export function summary(e: EventBody, max = 1024): string {
  const t = e.ticket;
  const rul = rulText(t);
  const s = `[${t.priority}] ${t.asset} ${t.faultMode}: ${WHAT[e.event]}${rul ? `, RUL ${rul}` : ''} [${t.id}]`;
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The evidence as flat key/value pairs. */
export function details(t: Ticket, linkBase?: string): Record<string, string | number | boolean | null> {
  const ev = t.evidence;
  return {
    ticket: t.id,
    priority: t.priority,
    status: t.status,
    asset: t.asset,
    faultMode: t.faultMode,
    predictedFailureAt: t.predictedFailureAt,
    rul: rulText(t),
    rulTimeUnit: t.rul?.timeUnit ?? null,
    model: t.model ? `${t.model.name}@${t.model.version}` : null,
    anomaly: ev.anomaly
      ? `${ev.anomaly.score.toPrecision(3)} vs threshold ${ev.anomaly.threshold.toPrecision(3)} (${ev.anomaly.level})`
      : null,
    indicators:
      ev.indicators.map((i) => `${i.channel} (${i.contribution.toPrecision(3)})`).join(', ') || null,
    reasons: ev.reasons.join('; ') || null,
    evaluatedAt: ev.evaluatedAt,
    respondBy: t.sla.respondBy,
    onsiteBy: t.sla.onsiteBy,
    resolveBy: t.sla.resolveBy,
    faultConfirmed: t.faultConfirmed,
    charts: chartLinks(t, linkBase).join(' ') || null,
  };
}

/** Plain-text description: one "key: value" line per piece of evidence that is known. */
export function description(e: EventBody, linkBase?: string): string {
  const d = details(e.ticket, linkBase);
  const lines = [summary(e, 4000), ''];
  for (const [k, v] of Object.entries(d)) if (v !== null && v !== '') lines.push(`${k}: ${String(v)}`);
  return lines.join('\n');
}
