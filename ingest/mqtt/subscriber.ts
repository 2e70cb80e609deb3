/**
 * MQTT telemetry source: subscribes with QoS 1 on a persistent session (clean start off, a fixed
 * client id, a long session expiry), so the broker keeps what is published while the ingester is
 * down and hands it over on return. Payloads are the JSON telemetry contract (one object, or NDJSON
 * lines). Each message is acknowledged only once the batch holding it is committed to the store,
 * so a crash loses nothing the broker handed over: unacknowledged messages are redelivered and the
 * store's idempotent keys absorb the repeats.
 *
 * How acknowledgement is deferred: mqtt.js handles incoming packets one at a time and sends a QoS 1
 * PUBACK as soon as `handleMessage` calls back, so waiting there would allow one message per
 * commit. Instead `handleMessage` calls back at once and the PUBACK packet it triggers is held
 * (intercepting the client's packet writer) until the record is settled. PUBACKs held for a
 * connection that has since dropped are discarded: the broker redelivers those messages.
 * Backpressure: when more than `highWater` records are waiting for the pipeline, `handleMessage`
 * stops calling back, mqtt.js stops reading the socket, and TCP pushes back on the broker, which
 * queues for the session instead of this process growing without bound.
 *
 * Several processes (on several machines) split one stream with `share`: an MQTT shared
 * subscription `$share/<group>/<filter>` gives each message to one member of the group. Each member
 * is a persistent session of its own, so each needs its own stable client id.
 *
 * Messages stamped by leadtime's publisher (a publisher id and sequence number) are counted per
 * publisher, and the numbers that never arrived are reported (`publisherGaps()`, sequence-gaps.ts).
 */
import { hostname } from 'node:os';
import type { IClientOptions, IPublishPacket, MqttClient, Packet } from 'mqtt';
import type * as Mqtt from 'mqtt';
import { onDemand } from '../../core/on-demand.ts';
import { InputError } from '../../core/index.ts';
import type { TimeUnit } from '../contracts.ts';
import { telemetryRecord } from '../readers/ndjson.ts';
import type { ReaderRecord, TelemetryReader } from '../readers/reader.ts';
import { readStamp, SequenceTracker, type PublisherGaps } from './sequence-gaps.ts';

/** mqtt.js, loaded when a client connects: the ingest barrel's other importers never do */
const mqttJs = onDemand<typeof Mqtt>('mqtt');

export interface MqttSourceOptions {
  url: string;
  topics: string[];
  /**
   * the persistent session's identity; the same id resumes the same session (default
   * leadtime-ingest, or leadtime-ingest-<share>-<hostname> in a shared group)
   */
  clientId?: string;
  /**
   * a shared-subscription group: the topics are subscribed as `$share/<share>/<topic>`, so the
   * processes of one group split the messages between them
   */
  share?: string;
  /** MQTT protocol version: 5, or 4 (3.1.1); default: 5, falling back to 4 if the broker refuses */
  protocolVersion?: 4 | 5;
  timeUnit?: TimeUnit;
  /** largest accepted payload, bytes (default 8 MiB); larger ones are rejected */
  maxMessageBytes?: number;
  /** records waiting for the pipeline before reading pauses (default 20,000) */
  highWater?: number;
  /** stop after this many messages */
  maxMessages?: number;
  /** stop when no message has arrived for this long, ms */
  idleMs?: number;
  connectTimeoutMs?: number;
  /** called once the subscription is in place (messages published from now on are kept for this session) */
  onSubscribed?: (info: { url: string; topics: string[]; clientId: string; protocolVersion: 4 | 5 }) => void;
}

/** The one mqtt.js internal used: the packet writer (see the header comment). */
interface PacketWriter {
  _sendPacket: (packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
}

/** A message's acknowledgement: held until its record is settled (stored or rejected durably). */
interface Ack {
  messageId?: number;
  /** connection generation the message arrived on; a PUBACK is only valid on that connection */
  gen: number;
  settled: boolean;
  held?: () => void;
}

interface Pending {
  record: ReaderRecord;
}

export class MqttReader implements TelemetryReader {
  readonly format = 'mqtt';
  readonly source: string;
  readonly timeUnit: TimeUnit;
  private client?: MqttClient;
  private closed = false;
  private wake?: () => void;
  /** messages received so far */
  received = 0;
  protocolVersion?: 4 | 5;
  private readonly sequences = new SequenceTracker();
  /** set when the session can no longer go on (another process took it over) */
  private fatal?: Error;

  constructor(private readonly options: MqttSourceOptions) {
    if (!/^mqtts?:\/\//.test(options.url))
      throw new InputError(`--url must be mqtt://host:port or mqtts://..., got "${options.url}"`);
    if (options.topics.length === 0) throw new InputError('--topic is required (e.g. plant/+/+/telemetry)');
    if (options.share !== undefined && !/^[^/+#$]+$/.test(options.share))
      throw new InputError(`--share must be a group name without / + # or $, got "${options.share}"`);
    if (options.share !== undefined && options.topics.some((t) => t.startsWith('$share/')))
      throw new InputError('give --share or a $share/... topic, not both');
    this.source = `${options.url.replace(/\/$/, '')}/${this.filters().join('+')}`;
    this.timeUnit = options.timeUnit ?? 'ms';
  }

  /** The filters as subscribed: with `share`, each under `$share/<group>/`. */
  filters(): string[] {
    const share = this.options.share;
    return share === undefined ? this.options.topics : this.options.topics.map((t) => `$share/${share}/${t}`);
  }

  get clientId(): string {
    const share = this.options.share;
    return (
      this.options.clientId ??
      (share === undefined ? 'leadtime-ingest' : `leadtime-ingest-${share}-${hostname()}`)
    );
  }

  /** Per publisher that stamps its messages: received, duplicates, and the sequence numbers missing. */
  publisherGaps(): PublisherGaps[] {
    return this.sequences.report(this.options.share !== undefined);
  }

  /** The run record's report: the session and the per-publisher gaps. */
  report(): { clientId: string; share: string | null; publishers: PublisherGaps[] } {
    return { clientId: this.clientId, share: this.options.share ?? null, publishers: this.publisherGaps() };
  }

  /**
   * Connects, installing the message hooks before the first packet can arrive: a persistent session
   * delivers its queued messages right after CONNACK, before any `await` here returns.
   */
  private connect(version: 4 | 5, install: (client: MqttClient) => void): Promise<MqttClient> {
    const opts: IClientOptions = {
      clientId: this.clientId,
      clean: false,
      protocolVersion: version,
      reconnectPeriod: 1000,
      connectTimeout: this.options.connectTimeoutMs ?? 5000,
      ...(version === 5 && { properties: { sessionExpiryInterval: 0xffffffff, receiveMaximum: 65535 } }),
    };
    const client = mqttJs().connect(this.options.url, opts);
    install(client);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        client.removeListener('connect', onConnect);
        client.end(true);
        reject(err);
      };
      const onConnect = (): void => {
        client.removeListener('error', onError);
        resolve(client);
      };
      client.once('connect', onConnect);
      client.once('error', onError);
    });
  }

  async *records(): AsyncGenerator<ReaderRecord> {
    const queue: Pending[] = [];
    const highWater = this.options.highWater ?? 20_000;
    const maxBytes = this.options.maxMessageBytes ?? 8 * 1024 * 1024;
    let resumeReading: (() => void) | undefined;
    let generation = 0;
    let lastMessage = performance.now();
    let current: Ack | undefined;

    const install = (client: MqttClient): void => {
      client.on('connect', () => generation++);
      // MQTT 5 tells why the broker hung up: 0x8E, another connection with the same client id
      client.on('disconnect', (packet) => {
        if (packet.reasonCode === 0x8e) {
          this.fatal = new InputError(
            `another subscriber connected as ${this.clientId} and took over its session; give each process its own --client-id`,
          );
          client.end(true);
          this.wake?.();
        }
      });
      const holdable = client as unknown as PacketWriter;
      const send = holdable._sendPacket.bind(holdable);
      holdable._sendPacket = (packet, cb, ...rest) => {
        if (packet.cmd === 'puback' && current && current.messageId === packet.messageId) {
          const gen = current.gen;
          const release = (): void => {
            if (gen === generation && client.connected) send(packet, () => {}, ...rest);
          };
          if (current.settled) release();
          else current.held = release;
          cb?.();
          return;
        }
        send(packet, cb, ...rest);
      };

      client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void) => {
        this.received++;
        lastMessage = performance.now();
        const topic = packet.topic;
        const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
        const stamp = readStamp(payload);
        if (stamp) this.sequences.see(stamp.publisher, stamp.seq);
        const where = `topic ${topic} message ${packet.messageId ?? '-'} (received ${new Date().toISOString()})`;
        const ack: Ack = { messageId: packet.messageId, gen: generation, settled: false };
        const settle = (): void => {
          ack.settled = true;
          ack.held?.();
        };
        if (payload.length > maxBytes) {
          queue.push({
            record: {
              kind: 'rejected',
              position: where,
              raw: payload.subarray(0, 4096).toString('utf8'),
              reason: `payload is ${payload.length} bytes, over the ${maxBytes}-byte limit; split it or raise --max-message-bytes`,
              settle,
            },
          });
        } else {
          const lines = payload
            .toString('utf8')
            .split('\n')
            .filter((l) => l.trim() !== '');
          if (lines.length === 0)
            queue.push({
              record: {
                kind: 'rejected',
                position: where,
                raw: '',
                reason: 'empty payload; expected a JSON telemetry object',
                settle,
              },
            });
          lines.forEach((line, i) => {
            const rec = telemetryRecord(
              line,
              lines.length > 1 ? `${where} line ${i + 1}` : where,
              this.timeUnit,
            );
            if (i === lines.length - 1) rec.settle = settle;
            queue.push({ record: rec });
          });
        }
        this.wake?.();
        const proceed = (): void => {
          current = ack;
          callback();
          current = undefined;
        };
        if (queue.length >= highWater) resumeReading = proceed;
        else proceed();
      };
    };

    let client: MqttClient;
    const wanted = this.options.protocolVersion;
    try {
      client = await this.connect(wanted ?? 5, install);
      this.protocolVersion = wanted ?? 5;
    } catch (err) {
      if (wanted !== undefined)
        throw new InputError(`cannot connect to ${this.options.url}: ${(err as Error).message}`);
      try {
        client = await this.connect(4, install);
        this.protocolVersion = 4;
      } catch (err2) {
        throw new InputError(`cannot connect to ${this.options.url}: ${(err2 as Error).message}`);
      }
    }
    this.client = client;
    client.on('error', () => {}); // reconnects on its own; connect errors surfaced above

    const subscribed = await client.subscribeAsync(
      this.filters()
        .map((topic) => ({ topic, qos: 1 as const }))
        .reduce((o, s) => ({ ...o, [s.topic]: { qos: s.qos } }), {}),
    );
    const refused = subscribed.filter((g) => g.qos !== 1);
    if (refused.length)
      throw new InputError(`broker refused QoS 1 subscription to ${refused.map((g) => g.topic).join(', ')}`);
    this.options.onSubscribed?.({
      url: this.options.url,
      topics: this.filters(),
      clientId: this.clientId,
      protocolVersion: this.protocolVersion!,
    });

    try {
      for (;;) {
        if (queue.length > 0) {
          const item = queue.shift()!;
          if (resumeReading && queue.length < highWater / 2) {
            const r = resumeReading;
            resumeReading = undefined;
            r();
          }
          yield item.record;
          continue;
        }
        if (this.fatal) throw this.fatal;
        if (this.closed) return;
        if (this.options.maxMessages !== undefined && this.received >= this.options.maxMessages) return;
        const idle = this.options.idleMs;
        let idleTimer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (idle !== undefined)
            idleTimer = setTimeout(resolve, Math.max(0, lastMessage + idle - performance.now()) + 1);
        });
        // a pending idle timer would keep the process alive after an interrupt
        clearTimeout(idleTimer);
        this.wake = undefined;
        if (queue.length === 0 && idle !== undefined && performance.now() - lastMessage >= idle) return;
      }
    } finally {
      this.closed = true;
    }
  }

  /** Disconnects. Unacknowledged messages stay with the broker for the next session. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const c = this.client;
    this.client = undefined;
    if (c) await c.endAsync(false).catch(() => {});
  }
}
