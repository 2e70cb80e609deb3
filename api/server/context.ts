/**
 * What the server's plugins share: the resolved config, the open telemetry store (DuckDB lets one
 * process hold a store file, so the server owns it while it runs), fleet health, the job queue,
 * the live loop (serve --mqtt), the auth hooks, and a lock that serialises writes to the store.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TelemetryStore } from '../../ingest/index.ts';
import type { TicketPolicy, TicketStore } from '../../tickets/index.ts';
import type { FleetHealth } from '../../app/fleet-health.ts';
import type { JobQueue } from './jobs.ts';
import type { LiveMqtt } from './live-mqtt.ts';
import type { ServerConfig } from './schemas.ts';

export type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface ServerContext {
  home: string;
  config: ServerConfig;
  rateWindowMs: number;
  store: TelemetryStore;
  health: FleetHealth;
  /** the ticket store (null when it could not be opened; the ticket routes answer 503) */
  tickets: TicketStore | null;
  ticketPolicy: TicketPolicy;
  /** per asset, the latest stored time already evaluated for tickets */
  evaluatedUpTo: Map<string, number>;
  /** evaluations for tickets, one run at a time (after ingest with autoTickets, or on request) */
  ticketLock<T>(fn: () => Promise<T>): Promise<T>;
  jobs: JobQueue;
  /** the live loop's MQTT subscription (serve --mqtt), else null */
  live: LiveMqtt | null;
  /** onRequest hook: 401 unless the request carries a valid token */
  writeAuth: Hook;
  /** onRequest hook for reads: open, or the same as writeAuth when readsOpen is false */
  readAuth: Hook;
  /** a warning for the server log */
  log(message: string): void;
  /** runs fn after every earlier write finished (one writer per store connection) */
  writeLock<T>(fn: () => Promise<T>): Promise<T>;
}

export function serialiser(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}
