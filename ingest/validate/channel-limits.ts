/**
 * Limits on channels, so one client cannot make every later query slow: a record may carry at
 * most `perRecord` channels, and an asset may have at most `perAsset` distinct channels (those
 * already stored plus those this input adds). A record over a limit is rejected whole, with the
 * reason; the rest of the input goes on.
 */
import type { ReaderRecord } from '../readers/reader.ts';

export interface ChannelLimits {
  perRecord: number;
  perAsset: number;
}

export class ChannelBudget {
  /** per asset, the channels stored or accepted so far */
  private readonly channels = new Map<string, Set<string>>();

  /** `known(asset)`: the channels already stored for an asset (read once per asset) */
  constructor(
    private readonly limits: ChannelLimits,
    private readonly known: (asset: string) => Iterable<string>,
  ) {}

  private channelsOf(asset: string): Set<string> {
    let set = this.channels.get(asset);
    if (!set) this.channels.set(asset, (set = new Set(this.known(asset))));
    return set;
  }

  /** The record, or its rejection when it breaks a limit; accepted channels count from then on. */
  check(rec: ReaderRecord): ReaderRecord {
    if (rec.kind === 'rejected') return rec;
    const reject = (reason: string, field: string): ReaderRecord => ({
      kind: 'rejected',
      position: rec.position,
      raw: rec.raw,
      settle: rec.settle,
      reason,
      field,
    });
    const items =
      rec.kind === 'samples'
        ? rec.samples.map((s) => ({ asset: s.asset, channel: s.channel }))
        : rec.kind === 'row'
          ? rec.channels
              .filter((_, i) => !Number.isNaN(rec.values[i]))
              .map((channel) => ({ asset: rec.asset, channel }))
          : [{ asset: rec.waveform.asset, channel: rec.waveform.channel }];
    const width = items.length + (rec.kind === 'waveform' ? 0 : (rec.problems?.length ?? 0));
    if (width > this.limits.perRecord)
      return reject(
        `record has ${width} channels, over the limit of ${this.limits.perRecord} per record; split it`,
        'values',
      );
    const fresh = new Map<string, Set<string>>();
    for (const { asset, channel } of items) {
      if (this.channelsOf(asset).has(channel)) continue;
      let add = fresh.get(asset);
      if (!add) fresh.set(asset, (add = new Set()));
      add.add(channel);
    }
    for (const [asset, add] of fresh) {
      const have = this.channelsOf(asset).size;
      if (have + add.size > this.limits.perAsset)
        return reject(
          `asset "${asset}" has ${have} channels; ${add.size} more would pass the limit of ${this.limits.perAsset} per asset`,
          'channel',
        );
    }
    for (const [asset, add] of fresh) for (const c of add) this.channelsOf(asset).add(c);
    return rec;
  }
}
