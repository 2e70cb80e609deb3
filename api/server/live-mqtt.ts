/**
 * The live loop inside the server: an MQTT subscription (QoS 1, persistent session, acknowledged
 * only once stored, as `leadtime ingest mqtt`) ingested into the server's own store, so one process
 * holds the embedded store while it subscribes, evaluates the fleet, opens and delivers tickets and
 * serves the API and dashboard. Every store write goes through the server's write lock (one writer
 * per store connection, shared with POST /v1/telemetry); after each committed batch the fleet health
 * is recomputed on demand and, with `autoTickets`, the new rows go through the ticket policy.
 * Per-publisher sequence gaps are in the status (GET /v1/status `live.publishers`) and on the run
 * record (`report`, written every few seconds and when the loop stops).
 */
import {
  ingest,
  MqttReader,
  type IngestProgress,
  type PublisherGaps,
  type TelemetryStore,
} from '../../ingest/index.ts';
import type { ServerContext } from './context.ts';
import { evaluateFleet } from './fleet-tickets.ts';

export interface LiveMqttOptions {
  url: string;
  topics: string[];
  /** MQTT 5 shared subscription group: several servers or workers split one stream */
  share?: string;
  /** the persistent session's identity (default leadtime-serve) */
  clientId?: string;
}

export interface LiveMqttStatus {
  url: string;
  topics: string[];
  clientId: string;
  subscribed: boolean;
  received: number;
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
  lastCommitAt: string | null;
  error: string | null;
  /** per publisher stamping its messages (leadtime's own): received, redelivered, missing sequence numbers */
  publishers: PublisherGaps[];
}

export interface LiveMqtt {
  status(): LiveMqttStatus;
  /** stops reading; what was read is committed and acknowledged */
  stop(): Promise<void>;
}

/** The store with its writes serialised through the server's write lock (reads pass through). */
function lockedStore(store: TelemetryStore, writeLock: ServerContext['writeLock']): TelemetryStore {
  const locked: TelemetryStore = Object.create(store);
  locked.beginRun = (...a) => writeLock(() => store.beginRun(...a));
  locked.finishRun = (...a) => writeLock(() => store.finishRun(...a));
  locked.commit = (...a) => writeLock(() => store.commit(...a));
  locked.reportRun = (...a) => writeLock(() => store.reportRun(...a));
  return locked;
}

export function startLiveMqtt(ctx: ServerContext, o: LiveMqttOptions): LiveMqtt {
  const topics = o.share ? o.topics.map((t) => `$share/${o.share}/${t}`) : o.topics;
  const clientId = o.clientId ?? `leadtime-serve${o.share ? `-${o.share}-${process.pid}` : ''}`;
  const abort = new AbortController();
  const state: LiveMqttStatus = {
    url: o.url,
    topics,
    clientId,
    subscribed: false,
    received: 0,
    records: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    lastCommitAt: null,
    error: null,
    publishers: [],
  };
  const reader = new MqttReader({
    url: o.url,
    topics,
    clientId,
    onSubscribed: () => {
      state.subscribed = true;
      ctx.log(`live: subscribed to ${topics.join(', ')} at ${o.url} as ${clientId}`);
    },
  });
  // ticket evaluations after commits: one at a time, the latest request coalescing the others
  let evaluating: Promise<void> | null = null;
  let again = false;
  const evaluate = (): void => {
    if (evaluating) {
      again = true;
      return;
    }
    evaluating = ctx
      .ticketLock(() => evaluateFleet(ctx))
      .then(
        () => {},
        (err) => ctx.log(`live tickets: ${(err as Error).message}`),
      )
      .finally(() => {
        evaluating = null;
        if (again && !abort.signal.aborted) {
          again = false;
          evaluate();
        }
      });
  };
  const onCommit = (p: IngestProgress): void => {
    Object.assign(state, {
      received: reader.received,
      records: p.records,
      stored: p.stored,
      duplicates: p.duplicates,
      rejected: p.rejected,
      lastCommitAt: new Date().toISOString(),
    });
    if (p.stored > 0) {
      ctx.health.invalidate();
      if (ctx.config.autoTickets) evaluate();
    }
  };
  const running = ingest(reader, lockedStore(ctx.store, ctx.writeLock), {
    maxBatchAgeMs: 200,
    runOptions: { via: 'serve --mqtt', url: o.url, topics },
    onCommit,
    signal: abort.signal,
  }).then(
    () => {},
    (err) => {
      state.error = (err as Error).message;
      ctx.log(`live: MQTT ingest stopped: ${state.error}`);
    },
  );
  return {
    status: () => ({ ...state, received: reader.received, publishers: reader.publisherGaps() }),
    stop: async () => {
      abort.abort();
      await running;
      await evaluating;
    },
  };
}
