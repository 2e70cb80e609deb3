/**
 * Replays the synthetic fleet live onto an MQTT broker in the JSON telemetry contract, snapshot
 * time by snapshot time across the fleet: per asset and time one scalar message
 * `{asset, t, values: {temperature, load, speed}}` and one waveform message with base64 float32
 * samples and the asset's machine context. Topics are `<prefix>/<asset>/telemetry`.
 */
import { RatePublisher } from '../mqtt/publisher.ts';
import type { FleetConfig } from './config.ts';
import { planFleet, scalarReading, synthesizeSnapshot } from './fleet.ts';

export interface PublishFleetOptions {
  url: string;
  /** messages per second (0: as fast as the broker acknowledges) */
  rate?: number;
  /** topic prefix; messages go to `<prefix>/<asset>/telemetry` (default plant/synthetic) */
  topicPrefix?: string;
  /** what to send (default both) */
  what?: 'scalars' | 'waveforms' | 'all';
  onMessage?: (done: number, total: number) => void;
  /** the id stamped in each message (default: unique per run) */
  publisherId?: string;
}

export interface PublishSummary {
  url: string;
  /** the id stamped in every message with its sequence number 0..messages-1 */
  publisher?: string;
  /** messages the broker did not acknowledge */
  failures: number;
  messages: number;
  samples: number;
  waveforms: number;
  seconds: number;
  messagesPerSecond: number;
}

export async function publishFleet(
  config: FleetConfig,
  options: PublishFleetOptions,
): Promise<PublishSummary> {
  const plan = planFleet(config);
  const what = options.what ?? 'all';
  const prefix = options.topicPrefix ?? 'plant/synthetic';
  const steps = Math.max(...plan.assets.map((a) => a.times.length));
  const perStep = what === 'all' ? 2 : 1;
  const total = plan.assets.reduce((s, a) => s + a.times.length, 0) * perStep;
  const pub = await RatePublisher.connect({
    url: options.url,
    rate: options.rate,
    publisherId: options.publisherId,
  });
  let samples = 0,
    waveforms = 0,
    done = 0;
  for (let k = 0; k < steps; k++) {
    for (const a of plan.assets) {
      if (k >= a.times.length) continue;
      const topic = `${prefix}/${a.asset}/telemetry`;
      const t = Math.round(a.times[k]);
      if (what !== 'waveforms') {
        const values = scalarReading(plan, a, k);
        await pub.publish(topic, JSON.stringify({ asset: a.asset, t, values }));
        samples += 3;
        options.onMessage?.(++done, total);
      }
      if (what !== 'scalars') {
        const x = synthesizeSnapshot(plan, a, k);
        const b64 = Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
        const context = { shaftHz: a.shaftHz, bearing: config.bearing };
        await pub.publish(
          topic,
          JSON.stringify({
            asset: a.asset,
            channel: 'vib',
            t,
            sampleRateHz: config.sampleRateHz,
            samples: b64,
            context,
          }),
        );
        waveforms++;
        options.onMessage?.(++done, total);
      }
    }
  }
  const { messages, seconds, publisher, failures } = await pub.close();
  return {
    url: options.url,
    publisher,
    failures,
    messages,
    samples,
    waveforms,
    seconds,
    messagesPerSecond: messages / seconds,
  };
}
