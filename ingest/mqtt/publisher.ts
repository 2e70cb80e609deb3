/**
 * A QoS 1 publisher with a message-rate limit and a bounded window of unacknowledged messages,
 * used to replay telemetry onto a broker (the load generator of the MQTT benchmark). Each JSON
 * message is stamped with this publisher's id and its sequence number (`"publisher"`, `"seq"`,
 * fields the telemetry contract ignores), so a subscriber can count what never reached it
 * (sequence-gaps.ts).
 */
import { hostname } from 'node:os';
import type { MqttClient } from 'mqtt';
import type * as Mqtt from 'mqtt';
import { onDemand } from '../../core/on-demand.ts';
import { InputError } from '../../core/index.ts';
import { stampPayload } from './sequence-gaps.ts';

/** mqtt.js, loaded when a client connects: the ingest barrel's other importers never do */
const mqttJs = onDemand<typeof Mqtt>('mqtt');

export interface PublisherOptions {
  url: string;
  clientId?: string;
  /** messages per second; 0 or undefined: as fast as the window allows */
  rate?: number;
  /** unacknowledged messages allowed in flight (default 1,000) */
  window?: number;
  protocolVersion?: 4 | 5;
  /** the id stamped in each message (default: unique per publisher run); false: no stamp */
  publisherId?: string | false;
}

export class RatePublisher {
  private inFlight = new Set<Promise<unknown>>();
  private sent = 0;
  private t0 = 0;
  failures = 0;
  /** the id in every message's stamp (undefined: not stamped) */
  readonly publisherId: string | undefined;

  private constructor(
    private readonly client: MqttClient,
    private readonly options: PublisherOptions,
  ) {
    this.publisherId =
      options.publisherId === false
        ? undefined
        : (options.publisherId ?? `${hostname()}-${process.pid}-${Date.now().toString(36)}`);
  }

  static async connect(options: PublisherOptions): Promise<RatePublisher> {
    try {
      const client = await mqttJs().connectAsync(options.url, {
        clientId: options.clientId ?? `leadtime-publisher-${process.pid}-${Date.now()}`,
        clean: true,
        protocolVersion: options.protocolVersion ?? 4,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
      });
      client.on('error', () => {});
      return new RatePublisher(client, options);
    } catch (err) {
      throw new InputError(`cannot connect to ${options.url}: ${(err as Error).message}`);
    }
  }

  /** Publishes one message at QoS 1, waiting for the rate and the window. */
  async publish(topic: string, payload: string | Buffer): Promise<void> {
    if (this.sent === 0) this.t0 = performance.now();
    const rate = this.options.rate ?? 0;
    if (rate > 0) {
      const due = this.t0 + (this.sent * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
    while (this.inFlight.size >= (this.options.window ?? 1000)) await Promise.race(this.inFlight);
    const body =
      this.publisherId === undefined ? payload : stampPayload(payload, this.publisherId, this.sent);
    const p = this.client.publishAsync(topic, body, { qos: 1 }).catch(() => {
      this.failures++;
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    this.sent++;
  }

  /** Waits for every message to be acknowledged by the broker, then disconnects. */
  async close(): Promise<{ messages: number; seconds: number; publisher?: string; failures: number }> {
    await Promise.all(this.inFlight);
    const seconds = (performance.now() - this.t0) / 1000;
    await this.client.endAsync();
    return { messages: this.sent, seconds, publisher: this.publisherId, failures: this.failures };
  }
}
