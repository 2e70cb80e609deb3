/**
 * The outbox dispatcher: sends each pending ticket event to every destination through the
 * destination's connector (tickets/connectors: the signed webhook, PagerDuty, ServiceNow, Jira SM,
 * Zendesk), each with the vendor's own deduplication key derived from the stable ticket id.
 * Delivery is at least once: an event is marked delivered only after the connector reports
 * success, so a crash between the send and the mark re-sends it, and the receiver de-duplicates. Failures (network errors,
 * timeouts, 408, 429 and 5xx) retry with exponential backoff and "equal jitter" (Brooker,
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015): the n-th retry waits
 * d/2 + U(0, d/2) with d = min(maxDelay, baseDelay * 2^(n-1)). Other 4xx answers are permanent and
 * dead-letter at once; so does an event older than maxAge. A `Retry-After` answer is honoured when
 * it asks for longer than the backoff. Per ticket, events go strictly in order
 * (create before update); different tickets are sent in parallel. Events are claimed with a lease
 * (TicketStore.claimDue), so several dispatchers on one shared store split the work. When every
 * attempt of a round fails, the dispatcher itself backs off the same way before the next round (an
 * endpoint that has gone away costs a few wake-ups a minute, not a core), and a round that finds
 * nothing to send sleeps at least MIN_IDLE_MS.
 */
import type { Connector } from '../connectors/connector.ts';
import { safeUrl } from '../connectors/http.ts';
import { webhookConnector } from '../connectors/webhook.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxRecord, TicketStore } from '../store/ticket-store.ts';

export interface DispatchOptions {
  /** webhook URLs (the `webhook` connector with `secret`); ignored when `destinations` is given */
  urls?: string[];
  /** the destinations, each with its connector (tickets/connectors: createConnector) */
  destinations?: Connector[];
  /** shared secret for the webhook signature header (omitted: no signature header) */
  secret?: string;
  /** per-request timeout, ms (default 10 s) */
  timeoutMs?: number;
  /** first retry delay, ms (default 1 s) */
  baseDelayMs?: number;
  /** cap of the retry delay, ms (default 5 min) */
  maxDelayMs?: number;
  /** an event still undelivered this long after it was written is dead-lettered (default 24 h) */
  maxAgeMs?: number;
  /** keep going (sleeping until the next retry) until no event is pending */
  untilEmpty?: boolean;
  /** concurrent requests (default 8) */
  concurrency?: number;
  /** random source in [0, 1) for the jitter (default Math.random) */
  random?: () => number;
  /** called after each attempt */
  onAttempt?: (a: AttemptReport) => void;
  /** this dispatcher's name in the outbox's claims (default host:pid:random) */
  worker?: string;
  /**
   * how long a claimed event is held before another dispatcher may take it (default: the longest
   * this one can take over it, 2 x timeout x URLs, at least 60 s); a killed dispatcher's events
   * wait this long
   */
  leaseMs?: number;
  /** called after an event's delivery record is committed */
  onDelivered?: (r: OutboxRecord) => void;
  /** stop: no new deliveries start, the loop ends once those in flight finish */
  signal?: AbortSignal;
}

export interface AttemptReport {
  eventId: number;
  idempotencyKey: string;
  url: string;
  attempt: number;
  ok: boolean;
  status?: number;
  error?: string;
  /** when the next attempt is due (failed attempts that are not dead-lettered) */
  retryAt?: number;
  dead?: boolean;
}

export interface DispatchSummary {
  delivered: number;
  deadLettered: number;
  attempts: number;
  failedAttempts: number;
  pending: number;
}

/** Shortest sleep of a dispatch round that found nothing to send, ms. */
export const MIN_IDLE_MS = 250;
/** Longest sleep while events are pending: another dispatcher's lease may end before its time. */
const LEASE_POLL_MS = 1_000;

/** The n-th retry's delay (n >= 1), with equal jitter from `u` in [0, 1). */
export function backoffDelay(n: number, baseMs: number, maxMs: number, u: number): number {
  const d = Math.min(maxMs, baseMs * 2 ** (n - 1));
  return d / 2 + u * (d / 2);
}

// Retry-After parsing lives with the HTTP call every connector makes; exported here as before
export { retryAfter } from '../connectors/http.ts';

/** The destinations of a dispatch: the connectors given, else a signed webhook per URL. */
function destinationsOf(o: DispatchOptions): Connector[] {
  if (o.destinations?.length) return o.destinations;
  // the secret is passed explicitly (callers read LEADTIME_WEBHOOK_SECRET themselves)
  return (o.urls ?? []).map((url) => webhookConnector({ connector: 'webhook', url, secret: o.secret }, {}));
}

/** Delivers due events; with `untilEmpty`, until nothing is pending (delivered or dead-lettered). */
export async function dispatch(store: TicketStore, o: DispatchOptions): Promise<DispatchSummary> {
  const destinations = destinationsOf(o);
  if (destinations.length === 0)
    throw new Error('dispatch needs at least one destination (a URL or a connector)');
  const urls = destinations.map((d) => d.url);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const base = o.baseDelayMs ?? 1_000;
  const maxDelay = o.maxDelayMs ?? 300_000;
  const maxAge = o.maxAgeMs ?? 86_400_000;
  const random = o.random ?? Math.random;
  const concurrency = o.concurrency ?? 8;
  const worker = o.worker ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const leaseMs = o.leaseMs ?? Math.max(60_000, 2 * timeoutMs * destinations.length);
  const summary: DispatchSummary = {
    delivered: 0,
    deadLettered: 0,
    attempts: 0,
    failedAttempts: 0,
    pending: 0,
  };

  // attempts since the dispatcher last slept, and rounds in a row in which every attempt failed
  let roundOk = 0;
  let roundFailed = 0;
  let outage = 0;

  const deliver = async (ev: OutboxRecord): Promise<void> => {
    for (const d of destinations) {
      if (ev.deliveredTo.includes(d.url)) continue;
      const url = safeUrl(d.url);
      const attempt = ev.attempts + 1;
      const r = await d.deliver(ev, { timeoutMs, attempt });
      summary.attempts++;
      if (r.ok) roundOk++;
      else roundFailed++;
      const now = Date.now();
      if (r.ok) {
        o.onAttempt?.({
          eventId: ev.eventId,
          idempotencyKey: ev.idempotencyKey,
          url,
          attempt,
          ok: true,
          status: r.status,
        });
        const state = await store.markDelivered(ev.eventId, d.url, urls, now);
        ev.deliveredTo.push(d.url);
        if (state === 'delivered') {
          summary.delivered++;
          o.onDelivered?.(ev);
        }
        continue;
      }
      summary.failedAttempts++;
      // the backoff, or longer when the receiver asks for it (429 / 503 with Retry-After)
      const retryAt = now + Math.max(backoffDelay(attempt, base, maxDelay, random()), r.retryAfterMs ?? 0);
      const dead = r.permanent === true || retryAt - ev.createdAt > maxAge;
      const error = r.permanent ? `${r.error} (not retryable)` : (r.error ?? 'failed');
      await store.markFailed(ev.eventId, error, { nextAttemptAt: retryAt, dead });
      if (dead) summary.deadLettered++;
      o.onAttempt?.({
        eventId: ev.eventId,
        idempotencyKey: ev.idempotencyKey,
        url,
        attempt,
        ok: false,
        status: r.status,
        error,
        ...(dead ? { dead: true } : { retryAt }),
      });
      return; // this event waits; later events of its ticket wait behind it
    }
  };

  // a pool of in-flight deliveries, at most one per ticket (so a ticket's events never overtake
  // each other) and `concurrency` in all; a slow request holds up only its own ticket
  const inFlight = new Map<string, Promise<void>>();
  let failure: unknown = null;
  const aborted = new Promise<void>((r) => {
    if (o.signal?.aborted) r();
    o.signal?.addEventListener('abort', () => r(), { once: true });
  });
  for (;;) {
    if (failure || o.signal?.aborted) break;
    let started = 0;
    if (inFlight.size < concurrency) {
      // claimed with a lease: other dispatchers on a shared store skip these until it ends
      const due = await store.claimDue(Date.now(), worker, leaseMs, concurrency - inFlight.size);
      for (const ev of due) {
        started++;
        // a ticket's next event can be claimed in the instant its previous one is finishing: after it
        const before = inFlight.get(ev.ticketId) ?? Promise.resolve();
        const p: Promise<void> = before
          .then(() => deliver(ev))
          .catch((err: unknown) => {
            failure ??= err;
          })
          .finally(() => {
            if (inFlight.get(ev.ticketId) === p) inFlight.delete(ev.ticketId);
          });
        inFlight.set(ev.ticketId, p);
      }
    }
    const next = await store.nextDue();
    if (inFlight.size === 0 && (next === null || !o.untilEmpty)) break;
    if (inFlight.size === 0 && started > 0 && next !== null && next <= Date.now()) continue;
    // wait for a delivery to finish or the next retry to fall due, whichever comes first; a round
    // that started nothing sleeps at least MIN_IDLE_MS, so no state of the outbox can make this spin
    let floor = started > 0 ? 5 : MIN_IDLE_MS;
    if (inFlight.size === 0 && roundOk + roundFailed > 0) {
      // every endpoint failing (down, refusing, 5xx): the whole dispatcher backs off, so the due
      // events are retried together in one round instead of each waking it on its own schedule
      outage = roundOk === 0 ? outage + 1 : 0;
      if (outage > 0) floor = Math.max(floor, backoffDelay(outage, base, maxDelay, random()));
      roundOk = roundFailed = 0;
    }
    // on a shared store the next due time may be another dispatcher's lease, which ends early when
    // that one delivers: look again at least every LEASE_POLL_MS rather than sleep the lease out
    const wait = next === null ? 60_000 : Math.max(floor, Math.min(next - Date.now(), 60_000, LEASE_POLL_MS));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ...inFlight.values(),
      aborted,
      new Promise<void>((r) => (timer = setTimeout(r, wait))),
    ]);
    clearTimeout(timer);
  }
  await Promise.all(inFlight.values());
  if (failure) throw failure;
  summary.pending = await store.pendingCount();
  return summary;
}
