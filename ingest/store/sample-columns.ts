/**
 * The scalar samples of one batch, held column-wise: each (asset, channel) pair is a small integer
 * series id (a dictionary of the few distinct names), and t, value and the record ref are typed
 * arrays. This is what makes a batch cheap to build and to hand to DuckDB: no object and no key
 * string per sample (profiling showed those, and the garbage they made, to cost more than parsing),
 * and the store appends whole numeric columns instead of five calls per sample.
 *
 * It also answers "is (series, t) already in this batch?" for in-batch duplicates. Sources mostly
 * give each series in increasing t, so a sample beyond the series' largest t so far is new without
 * a lookup; the first out-of-order t builds that series' t -> index map from the batch, and the map
 * is kept up to date from then on.
 */
export class SampleColumns {
  /** asset and channel of each series id */
  readonly seriesAsset: string[] = [];
  readonly seriesChannel: string[] = [];
  private readonly ids = new Map<string, Map<string, number>>();
  private maxT: number[] = [];
  private lookup: (Map<number, number> | undefined)[] = [];
  private rowChannels: readonly string[] | undefined;
  private readonly rowIds = new Map<string, Int32Array>();
  private cap = 0;
  private n = 0;
  series = new Int32Array(0);
  t = new Float64Array(0);
  value = new Float64Array(0);
  ref = new Int32Array(0);

  /** capacity: the batch size expected, so the columns are allocated once instead of doubling */
  constructor(capacity = 0) {
    if (capacity > 0) this.resize(capacity);
  }

  /** Empties the batch for reuse, keeping the columns' memory (allocating them again cost ~10 ms a batch). */
  clear(): void {
    this.seriesAsset.length = 0;
    this.seriesChannel.length = 0;
    this.ids.clear();
    this.maxT = [];
    this.lookup = [];
    this.rowChannels = undefined;
    this.rowIds.clear();
    this.n = 0;
  }

  get length(): number {
    return this.n;
  }

  /** The id of (asset, channel), created on first use. */
  seriesId(asset: string, channel: string): number {
    let byChannel = this.ids.get(asset);
    if (!byChannel) {
      byChannel = new Map();
      this.ids.set(asset, byChannel);
    }
    let id = byChannel.get(channel);
    if (id === undefined) {
      id = this.seriesAsset.length;
      byChannel.set(channel, id);
      this.seriesAsset.push(asset);
      this.seriesChannel.push(channel);
      this.maxT.push(-Infinity);
      this.lookup.push(undefined);
    }
    return id;
  }

  /**
   * The series ids of (asset, channels[i]) for a wide row. Cached per asset for the last `channels`
   * array seen (a source's rows share one), so a row costs one map lookup instead of one per cell.
   */
  seriesIds(asset: string, channels: readonly string[]): Int32Array {
    if (channels !== this.rowChannels) {
      this.rowChannels = channels;
      this.rowIds.clear();
    }
    let ids = this.rowIds.get(asset);
    if (!ids) {
      ids = Int32Array.from(channels, (c) => this.seriesId(asset, c));
      this.rowIds.set(asset, ids);
    }
    return ids;
  }

  /** Index of the sample of series id at t in this batch, or -1. */
  indexOf(id: number, t: number): number {
    if (t > this.maxT[id]) return -1;
    let map = this.lookup[id];
    if (!map) {
      map = new Map();
      for (let i = 0; i < this.n; i++) if (this.series[i] === id) map.set(this.t[i], i);
      this.lookup[id] = map;
    }
    return map.get(t) ?? -1;
  }

  /** Appends a sample the caller has checked is not in the batch yet (indexOf < 0). */
  push(id: number, t: number, value: number, ref: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.series[i] = id;
    this.t[i] = t;
    this.value[i] = value;
    this.ref[i] = ref;
    if (t > this.maxT[id]) this.maxT[id] = t;
    this.lookup[id]?.set(t, i);
  }

  /** Whether series id has samples in the batch (a wide row's series are named before its cells are checked). */
  hasSamples(id: number): boolean {
    return this.maxT[id] > -Infinity;
  }

  asset(i: number): string {
    return this.seriesAsset[this.series[i]];
  }

  channel(i: number): string {
    return this.seriesChannel[this.series[i]];
  }

  private grow(): void {
    this.resize(Math.max(1024, this.cap * 2));
  }

  private resize(cap: number): void {
    const series = new Int32Array(cap),
      t = new Float64Array(cap),
      value = new Float64Array(cap),
      ref = new Int32Array(cap);
    series.set(this.series);
    t.set(this.t);
    value.set(this.value);
    ref.set(this.ref);
    this.series = series;
    this.t = t;
    this.value = value;
    this.ref = ref;
    this.cap = cap;
  }
}
